package dev.loopline.jobs.report;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes the end-of-run report of {@code ./loopline demo}: one self-contained HTML file with the
 * ECharts library inlined (from the {@code org.webjars.npm:echarts} WebJar on the classpath) and
 * the run's data embedded as JSON, so that it opens offline and makes no network request at all.
 *
 * <p>Charts: reward over time against the oracle and a uniform-random policy, cumulative regret,
 * decision latency p50/p99, model version in use (with a marker per new version) and exploration
 * share with throughput. The time axis is seconds since the first point.
 */
public final class HtmlReport {

    /** Classpath location of the minified ECharts bundle inside the WebJar (the live dashboard serves it too). */
    public static final String ECHARTS_RESOURCE = "/META-INF/resources/webjars/echarts/5.3.1/dist/echarts.min.js";

    /** Trailing window of the moving averages on the reward chart, in seconds. */
    static final int SMOOTHING_WINDOW_SECONDS = 10;

    /** Element ids of the chart containers, in page order. */
    static final List<String> CHART_IDS = List.of(
            "chart-reward", "chart-regret", "chart-latency", "chart-model", "chart-explore");

    private static final String DEFAULT_TITLE = "Loopline report";
    private static final Pattern SCRIPT_CLOSE = Pattern.compile("(?i)</(script)");
    private static final DateTimeFormatter START_FORMAT =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

    private HtmlReport() {
    }

    /**
     * Writes the report to {@code file} (parent directories are created; an existing file is
     * replaced). Null arguments or components are treated as empty.
     *
     * @throws IOException           if the file cannot be written
     * @throws IllegalStateException if the ECharts WebJar is not on the classpath
     */
    public static void write(Path file, ReportSummary summary, List<ReportPoint> points) throws IOException {
        if (file == null) {
            throw new IllegalArgumentException("file must not be null");
        }
        String html = render(summary, points, loadEcharts(ECHARTS_RESOURCE));
        Path target = file.toAbsolutePath();
        Path dir = target.getParent();
        if (dir != null) {
            Files.createDirectories(dir);
        }
        // Sibling temp file with default permissions (createTempFile would make it owner-only).
        Path tmp = target.resolveSibling(target.getFileName() + "." + Long.toHexString(System.nanoTime()) + ".tmp");
        try {
            Files.writeString(tmp, html, StandardCharsets.UTF_8);
            try {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** The report's style sheet, shared with the live dashboard so that both pages look alike. */
    public static String styleSheet() {
        return CSS;
    }

    /** Escapes text for HTML element content and quoted attribute values. */
    public static String escapeHtml(String s) {
        return html(s);
    }

    static String loadEcharts(String resource) throws IOException {
        try (InputStream in = HtmlReport.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("ECharts library not found on the classpath at " + resource
                        + "; the jobs module needs the dependency org.webjars.npm:echarts:5.3.1");
            }
            String js = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            // Defensive: a literal "</script" would end the inline <script> element early.
            return SCRIPT_CLOSE.matcher(js).replaceAll(Matcher.quoteReplacement("<\\/") + "$1");
        }
    }

    // ------------------------------------------------------------------------------------------
    // Page

    static String render(ReportSummary summary, List<ReportPoint> rawPoints, String echartsJs) {
        String title = summary == null || summary.title() == null || summary.title().isBlank()
                ? DEFAULT_TITLE : summary.title();
        Map<String, String> figures = summary == null || summary.figures() == null ? Map.of() : summary.figures();
        List<ModelMark> models = new ArrayList<>();
        if (summary != null && summary.models() != null) {
            for (ModelMark m : summary.models()) {
                if (m != null) {
                    models.add(m);
                }
            }
        }
        models.sort(Comparator.comparingLong(ModelMark::firstSeenMillis).thenComparingLong(ModelMark::version));
        List<ReportPoint> points = new ArrayList<>();
        if (rawPoints != null) {
            for (ReportPoint p : rawPoints) {
                if (p != null) {
                    points.add(p);
                }
            }
        }
        points.sort(Comparator.comparingLong(ReportPoint::timeMillis));

        StringBuilder out = new StringBuilder(echartsJs.length() + 64 * 1024 + points.size() * 256);
        out.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                // Enforce "works offline, no network": nothing may be fetched, only inline code runs.
                .append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; ")
                .append("script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data: blob:\">\n")
                .append("<link rel=\"icon\" href=\"data:,\">\n")
                .append("<title>").append(html(title)).append("</title>\n")
                .append("<style>\n").append(CSS).append("</style>\n</head>\n<body>\n<main>\n");

        out.append("<header>\n<h1>").append(html(title)).append("</h1>\n<p class=\"sub\">")
                .append(html(subtitle(points, models))).append("</p>\n</header>\n");

        if (!figures.isEmpty()) {
            out.append("<section class=\"card figures\">\n<table>\n<tbody>\n");
            for (Map.Entry<String, String> e : figures.entrySet()) {
                out.append("<tr><th scope=\"row\">").append(html(e.getKey())).append("</th><td>")
                        .append(html(e.getValue())).append("</td></tr>\n");
            }
            out.append("</tbody>\n</table>\n</section>\n");
        }
        if (points.isEmpty()) {
            out.append("<p class=\"notice\">No data points were recorded during this run.</p>\n");
        }

        chart(out, "chart-reward", "Reward over time",
                "The solid blue line is the policy's reward averaged over the last " + SMOOTHING_WINDOW_SECONDS
                        + " s (the pale line is the raw per-second mean). Look for it to start near the grey "
                        + "uniform-random line and climb towards the green oracle line as the policy learns.");
        chart(out, "chart-regret", "Cumulative regret",
                "Reward lost against the oracle, summed over the run. A learning policy bends this curve: "
                        + "the slope (regret per second) should flatten after the first model versions arrive.");
        chart(out, "chart-latency", "Decision latency",
                "Per-second p50 and p99 of the time to make a decision, in milliseconds (log scale). "
                        + "Look for a stable p50 and for p99 spikes around model pushes or backpressure.");
        chart(out, "chart-model", "Model version in use",
                "The model version serving decisions over time; dashed vertical lines mark when each new "
                        + "version was first seen in the stream. Versions should roll forward without gaps or rollbacks.");
        chart(out, "chart-explore", "Exploration and throughput",
                "Share of decisions that explored (left axis) and decisions per second (right axis). "
                        + "Exploration should fall as the policy grows confident, while throughput stays steady.");

        out.append("<footer>Generated by Loopline. This page is self-contained and works offline.</footer>\n");
        out.append("</main>\n");
        out.append("<script type=\"application/json\" id=\"loopline-data\">")
                .append(dataJson(title, points, models)).append("</script>\n");
        out.append("<script>\n").append(echartsJs).append("\n</script>\n");
        out.append("<script>\n").append(APP_JS).append("</script>\n");
        out.append("</body>\n</html>\n");
        return out.toString();
    }

    private static String subtitle(List<ReportPoint> points, List<ModelMark> models) {
        if (points.isEmpty()) {
            return models.size() + " model version" + (models.size() == 1 ? "" : "s");
        }
        long first = points.get(0).timeMillis();
        long last = points.get(points.size() - 1).timeMillis();
        long seconds = Math.round((last - first) / 1000.0);
        return "Run started " + START_FORMAT.format(Instant.ofEpochMilli(first))
                + " \u00b7 " + seconds + " s of data, " + points.size() + " samples \u00b7 "
                + models.size() + " model version" + (models.size() == 1 ? "" : "s");
    }

    private static void chart(StringBuilder out, String id, String heading, String caption) {
        out.append("<section class=\"card chart\">\n<h2>").append(html(heading)).append("</h2>\n")
                .append("<div id=\"").append(id).append("\" class=\"plot\" role=\"img\" aria-label=\"")
                .append(html(heading)).append("\"></div>\n")
                .append("<p class=\"caption\">").append(html(caption)).append("</p>\n</section>\n");
    }

    // ------------------------------------------------------------------------------------------
    // Data

    static String dataJson(String title, List<ReportPoint> points, List<ModelMark> models) {
        int n = points.size();
        long start = n > 0 ? points.get(0).timeMillis()
                : models.isEmpty() ? 0L : models.get(0).firstSeenMillis();
        double[] t = new double[n];
        double[] reward = new double[n];
        double[] oracle = new double[n];
        double[] uniform = new double[n];
        for (int i = 0; i < n; i++) {
            ReportPoint p = points.get(i);
            t[i] = (p.timeMillis() - start) / 1000.0;
            reward[i] = p.meanReward();
            oracle[i] = p.meanOracle();
            uniform[i] = p.meanUniform();
        }

        StringBuilder j = new StringBuilder(n * 200 + 256);
        j.append('{');
        j.append("\"title\":");
        jsonString(j, title);
        j.append(",\"startMillis\":").append(start);
        j.append(",\"windowSeconds\":").append(SMOOTHING_WINDOW_SECONDS);
        array(j, "t", t);
        longArray(j, "decisions", points, ReportPoint::decisions);
        array(j, "reward", reward);
        array(j, "rewardAvg", movingAverage(points, reward));
        array(j, "oracle", oracle);
        array(j, "oracleAvg", movingAverage(points, oracle));
        array(j, "uniform", uniform);
        array(j, "uniformAvg", movingAverage(points, uniform));
        array(j, "regret", column(points, ReportPoint::cumulativeRegret));
        array(j, "explored", column(points, ReportPoint::exploredShare));
        array(j, "p50", column(points, ReportPoint::latencyP50Millis));
        array(j, "p99", column(points, ReportPoint::latencyP99Millis));
        longArray(j, "version", points, ReportPoint::modelVersion);
        array(j, "eps", column(points, ReportPoint::eventsPerSecond));
        j.append(",\"models\":[");
        for (int i = 0; i < models.size(); i++) {
            ModelMark m = models.get(i);
            if (i > 0) {
                j.append(',');
            }
            j.append("{\"version\":").append(m.version()).append(",\"t\":");
            jsonNumber(j, Math.max(0.0, (m.firstSeenMillis() - start) / 1000.0));
            j.append('}');
        }
        j.append("]}");
        return j.toString();
    }

    /**
     * Trailing moving average over the last {@link #SMOOTHING_WINDOW_SECONDS} seconds of time
     * (not of samples, so gaps in the data are handled), ignoring non-finite values.
     */
    static double[] movingAverage(List<ReportPoint> points, double[] values) {
        int n = values.length;
        double[] avg = new double[n];
        long windowMillis = SMOOTHING_WINDOW_SECONDS * 1000L;
        int lo = 0;
        double sum = 0;
        int count = 0;
        for (int i = 0; i < n; i++) {
            if (Double.isFinite(values[i])) {
                sum += values[i];
                count++;
            }
            long now = points.get(i).timeMillis();
            while (points.get(lo).timeMillis() <= now - windowMillis) {
                if (Double.isFinite(values[lo])) {
                    sum -= values[lo];
                    count--;
                }
                lo++;
            }
            avg[i] = count > 0 ? sum / count : Double.NaN;
        }
        return avg;
    }

    private interface DoubleField {
        double get(ReportPoint p);
    }

    private interface LongField {
        long get(ReportPoint p);
    }

    private static double[] column(List<ReportPoint> points, DoubleField f) {
        double[] v = new double[points.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = f.get(points.get(i));
        }
        return v;
    }

    private static void array(StringBuilder j, String name, double[] values) {
        j.append(",\"").append(name).append("\":[");
        for (int i = 0; i < values.length; i++) {
            if (i > 0) {
                j.append(',');
            }
            jsonNumber(j, values[i]);
        }
        j.append(']');
    }

    private static void longArray(StringBuilder j, String name, List<ReportPoint> points, LongField f) {
        j.append(",\"").append(name).append("\":[");
        for (int i = 0; i < points.size(); i++) {
            if (i > 0) {
                j.append(',');
            }
            j.append(f.get(points.get(i)));
        }
        j.append(']');
    }

    // ------------------------------------------------------------------------------------------
    // Escaping

    /** Appends a JSON number; NaN and infinities, which JSON cannot express, become {@code null}. */
    static void jsonNumber(StringBuilder j, double d) {
        if (!Double.isFinite(d)) {
            j.append("null");
        } else if (d == Math.rint(d) && Math.abs(d) < 1e15) {
            j.append((long) d);
        } else {
            j.append(Double.toString(d)); // e.g. 0.25 or 1.0E-5, both valid JSON
        }
    }

    /**
     * Appends a JSON string literal that is also safe inside an HTML {@code <script>} element:
     * {@code < > &} and the JavaScript line separators are written as unicode escapes, so the
     * literal can never contain {@code </script} or {@code <!--}.
     */
    static void jsonString(StringBuilder j, String s) {
        if (s == null) {
            j.append("null");
            return;
        }
        j.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> j.append("\\\"");
                case '\\' -> j.append("\\\\");
                case '\n' -> j.append("\\n");
                case '\r' -> j.append("\\r");
                case '\t' -> j.append("\\t");
                case '\b' -> j.append("\\b");
                case '\f' -> j.append("\\f");
                default -> {
                    boolean loneSurrogate = Character.isHighSurrogate(c)
                            ? i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))
                            : Character.isLowSurrogate(c)
                                    && (i == 0 || !Character.isHighSurrogate(s.charAt(i - 1)));
                    if (c < 0x20 || c == '<' || c == '>' || c == '&' || c == '\u2028' || c == '\u2029'
                            || loneSurrogate) {
                        j.append(String.format("\\u%04x", (int) c));
                    } else {
                        j.append(c);
                    }
                }
            }
        }
        j.append('"');
    }

    /** Escapes text for HTML element content and double- or single-quoted attribute values. */
    static String html(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    // ------------------------------------------------------------------------------------------
    // Static page parts

    private static final String CSS = """
            :root { color-scheme: light; }
            * { box-sizing: border-box; }
            body { margin: 0; background: #f4f5f7; color: #1f2933;
              font-family: -apple-system, BlinkMacSystemFont, "Segoe UI", Roboto, "Helvetica Neue", Arial,
                "Noto Sans", "Liberation Sans", sans-serif;
              font-size: 15px; line-height: 1.5; }
            main { max-width: 1080px; margin: 0 auto; padding: 28px 20px 40px; }
            header h1 { font-size: 26px; font-weight: 650; margin: 0 0 4px; overflow-wrap: anywhere; }
            header .sub { margin: 0 0 20px; color: #5f6b7a; font-size: 14px; }
            .card { background: #fff; border: 1px solid #e3e6ea; border-radius: 10px;
              padding: 16px 20px; margin: 0 0 18px; box-shadow: 0 1px 2px rgba(16, 24, 40, .04); }
            .figures table { border-collapse: collapse; width: 100%; }
            .figures th, .figures td { text-align: left; padding: 6px 10px; border-bottom: 1px solid #eef0f3;
              vertical-align: top; overflow-wrap: anywhere; }
            .figures tr:last-child th, .figures tr:last-child td { border-bottom: none; }
            .figures th { font-weight: 500; color: #5f6b7a; width: 40%; }
            .figures td { font-variant-numeric: tabular-nums; font-weight: 600; }
            .chart h2 { font-size: 17px; font-weight: 600; margin: 0 0 6px; }
            .plot { width: 100%; height: 320px; }
            .caption { margin: 6px 0 0; color: #5f6b7a; font-size: 13.5px; }
            .notice { background: #fff7e6; border: 1px solid #f5d9a8; border-radius: 8px; padding: 10px 14px; }
            footer { color: #8a94a3; font-size: 12.5px; text-align: center; margin-top: 24px; }
            """;

    private static final String APP_JS = """
            (function () {
              'use strict';
              var D = JSON.parse(document.getElementById('loopline-data').textContent);
              if (typeof echarts === 'undefined') {
                var p = document.createElement('p');
                p.className = 'notice';
                p.textContent = 'The charting library failed to load; the charts cannot be drawn.';
                document.querySelector('main').insertBefore(p, document.querySelector('.chart'));
                return;
              }
              var FONT = '-apple-system, BlinkMacSystemFont, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif';
              var C = {
                policy: '#2563eb', policyLight: 'rgba(37, 99, 235, 0.30)', oracle: '#16a34a', uniform: '#8b95a1',
                regret: '#dc2626', p50: '#0891b2', p99: '#9333ea', model: '#ea580c', explore: '#d97706', eps: '#475569'
              };
              var t = D.t;
              var xMax = t.length ? t[t.length - 1] : 0;
              D.models.forEach(function (m) { if (m.t > xMax) { xMax = m.t; } });
              if (!(xMax > 0)) { xMax = 1; }

              function pairs(ys, positiveOnly) {
                var out = new Array(t.length);
                for (var i = 0; i < t.length; i++) {
                  var y = ys[i];
                  if (y === null || y === undefined || (positiveOnly && !(y > 0))) { y = null; }
                  out[i] = [t[i], y];
                }
                return out;
              }
              function num(d) {
                return function (v) {
                  if (v === null || v === undefined || typeof v !== 'number' || isNaN(v)) { return '\\u2013'; }
                  return v.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d });
                };
              }
              function pct(v) {
                if (v === null || v === undefined || typeof v !== 'number' || isNaN(v)) { return '\\u2013'; }
                return (Math.round(v * 1000) / 10) + '%';
              }
              function line(name, data, color, extra) {
                var s = {
                  name: name, type: 'line', data: data, showSymbol: false, symbol: 'circle', symbolSize: 4,
                  connectNulls: false, lineStyle: { width: 2, color: color }, itemStyle: { color: color },
                  emphasis: { focus: 'none', scale: false }
                };
                if (extra) { Object.keys(extra).forEach(function (k) { s[k] = extra[k]; }); }
                return s;
              }
              function option(o) {
                var base = {
                  animation: false,
                  textStyle: { fontFamily: FONT, color: '#374151' },
                  color: [C.policy, C.oracle, C.uniform, C.regret],
                  grid: { left: 64, right: 64, top: 44, bottom: 48 },
                  legend: { top: 4, itemWidth: 18, itemHeight: 8, textStyle: { color: '#374151' } },
                  tooltip: {
                    trigger: 'axis', confine: true, order: 'seriesAsc',
                    axisPointer: { type: 'line', lineStyle: { color: '#9aa5b1' } },
                    textStyle: { fontFamily: FONT, fontSize: 12 }
                  },
                  xAxis: {
                    type: 'value', min: 0, max: xMax, name: 'seconds since start', nameLocation: 'middle', nameGap: 28,
                    axisLine: { lineStyle: { color: '#9aa5b1' } }, splitLine: { lineStyle: { color: '#eef0f3' } },
                    axisPointer: { label: { formatter: function (p) { return num(0)(p.value) + ' s'; } } }
                  }
                };
                Object.keys(o).forEach(function (k) { base[k] = o[k]; });
                return base;
              }
              function yAxis(name, extra) {
                var a = {
                  type: 'value', name: name, nameTextStyle: { color: '#5f6b7a' }, scale: false,
                  axisLine: { show: false }, splitLine: { lineStyle: { color: '#eef0f3' } }
                };
                if (extra) { Object.keys(extra).forEach(function (k) { a[k] = extra[k]; }); }
                return a;
              }
              var charts = [];
              function draw(id, opt) {
                var el = document.getElementById(id);
                var chart = echarts.init(el, null, { renderer: 'canvas' });
                chart.setOption(opt);
                chart.group = 'loopline';
                charts.push(chart);
              }
              var w = D.windowSeconds + ' s avg';

              // 1. Reward
              draw('chart-reward', option({
                yAxis: yAxis('mean reward', { scale: true }),
                series: [
                  line('policy (per second)', pairs(D.reward), C.policyLight,
                    { lineStyle: { width: 1, color: C.policyLight }, z: 1 }),
                  line('policy (' + w + ')', pairs(D.rewardAvg), C.policy, { lineStyle: { width: 2.5, color: C.policy }, z: 4 }),
                  line('oracle (' + w + ')', pairs(D.oracleAvg), C.oracle, { lineStyle: { width: 2, type: 'dashed', color: C.oracle }, z: 3 }),
                  line('uniform random (' + w + ')', pairs(D.uniformAvg), C.uniform,
                    { lineStyle: { width: 2, type: 'dashed', color: C.uniform }, z: 2 })
                ].map(function (s) { s.tooltip = { valueFormatter: num(4) }; return s; })
              }));

              // 2. Cumulative regret
              draw('chart-regret', option({
                legend: { show: false },
                yAxis: yAxis('regret'),
                series: [line('cumulative regret', pairs(D.regret), C.regret,
                  { areaStyle: { color: 'rgba(220, 38, 38, 0.08)' }, tooltip: { valueFormatter: num(2) } })]
              }));

              // 3. Latency
              draw('chart-latency', option({
                yAxis: yAxis('ms (log)', { type: 'log', logBase: 10, minorSplitLine: { show: false } }),
                series: [
                  line('p50', pairs(D.p50, true), C.p50, { tooltip: { valueFormatter: function (v) { return num(2)(v) + ' ms'; } } }),
                  line('p99', pairs(D.p99, true), C.p99, { tooltip: { valueFormatter: function (v) { return num(2)(v) + ' ms'; } } })
                ]
              }));

              // 4. Model version
              var marks = D.models.map(function (m) {
                return { name: 'v' + m.version, xAxis: m.t, label: { formatter: 'v' + m.version } };
              });
              draw('chart-model', option({
                legend: { show: false },
                yAxis: yAxis('version', {
                  minInterval: 1,
                  min: function (v) { return Math.max(0, Math.floor(v.min) - 1); },
                  max: function (v) { return Math.ceil(v.max) + 1; }
                }),
                series: [line('model version', pairs(D.version), C.model, {
                  step: 'end',
                  tooltip: { valueFormatter: function (v) { return v === null || v === undefined ? '\\u2013' : 'v' + v; } },
                  markLine: {
                    symbol: ['none', 'none'], silent: true, animation: false,
                    lineStyle: { type: 'dashed', color: '#9aa5b1', width: 1 },
                    label: { position: 'end', color: '#5f6b7a', fontSize: 11 },
                    data: marks
                  }
                })]
              }));

              // 5. Exploration and throughput
              draw('chart-explore', option({
                yAxis: [
                  yAxis('explored', { min: 0, axisLabel: { formatter: pct } }),
                  yAxis('decisions/s', { min: 0, position: 'right', splitLine: { show: false } })
                ],
                series: [
                  line('explored share', pairs(D.explored), C.explore,
                    { yAxisIndex: 0, tooltip: { valueFormatter: pct } }),
                  line('throughput (decisions/s)', pairs(D.eps), C.eps,
                    { yAxisIndex: 1, lineStyle: { width: 1.5, color: C.eps }, tooltip: { valueFormatter: num(1) } })
                ]
              }));

              echarts.connect('loopline');
              window.addEventListener('resize', function () { charts.forEach(function (c) { c.resize(); }); });
            })();
            """;
}
