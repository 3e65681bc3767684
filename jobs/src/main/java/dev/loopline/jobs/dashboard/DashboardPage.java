package dev.loopline.jobs.dashboard;

import dev.loopline.jobs.report.HtmlReport;
import java.util.List;

/**
 * The dashboard page: static HTML with the report's style sheet, ECharts from {@code /echarts.min.js}
 * and a small script that polls the API every second and redraws. Nothing is fetched from outside the
 * dashboard (the Content-Security-Policy says so), so it works offline.
 *
 * <p>For tests and scripts, every chart container carries {@code data-points} (the data points it
 * draws) and the hidden {@code #summary} element carries the counts the page has seen; both are
 * visible in a headless browser's DOM dump.
 */
final class DashboardPage {

    /** Element ids of the chart containers, in page order. */
    static final List<String> CHART_IDS = List.of("chart-reward", "chart-regret", "chart-model", "chart-latency",
            "chart-ope", "chart-ope-online", "chart-explore", "chart-feedback", "chart-memory");

    private DashboardPage() {}

    static String html(String title) {
        String t = HtmlReport.escapeHtml(title == null || title.isBlank() ? "Loopline dashboard" : title);
        return """
                <!DOCTYPE html>
                <html lang="en">
                <head>
                <meta charset="utf-8">
                <meta name="viewport" content="width=device-width, initial-scale=1">
                <meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'self' 'unsafe-inline'; \
                style-src 'unsafe-inline'; connect-src 'self'; img-src data: blob:">
                <link rel="icon" href="data:,">
                <title>%1$s</title>
                <style>
                %2$s%3$s</style>
                </head>
                <body>
                <main>
                <header>
                  <div>
                    <h1>%1$s</h1>
                    <p class="sub" id="status"><span class="dot"></span><span id="status-text">Connecting…</span></p>
                  </div>
                  <nav class="downloads" aria-label="Downloads">
                    <a href="/metrics.csv" download>metrics.csv</a>
                    <a href="/metrics.json" download>metrics.json</a>
                  </nav>
                </header>
                <section class="tiles" aria-label="Latest figures">
                  <div class="tile"><div class="label">Reward</div><div class="value" id="tile-reward">–</div><div class="hint" id="tile-reward-hint">&nbsp;</div></div>
                  <div class="tile"><div class="label">Regret</div><div class="value" id="tile-regret">–</div><div class="hint" id="tile-regret-hint">&nbsp;</div></div>
                  <div class="tile"><div class="label">Model</div><div class="value" id="tile-model">–</div><div class="hint" id="tile-model-hint">&nbsp;</div></div>
                  <div class="tile"><div class="label">Exploration</div><div class="value" id="tile-explore">–</div><div class="hint">share of decisions</div></div>
                  <div class="tile"><div class="label">Latency p50/p99</div><div class="value" id="tile-latency">–</div><div class="hint">ms, last window</div></div>
                  <div class="tile" id="tile-alerts-box"><div class="label">Drift alerts</div><div class="value" id="tile-alerts">0</div><div class="hint" id="tile-alerts-hint">none yet</div></div>
                  <div class="tile"><div class="label">Dead letters</div><div class="value" id="tile-dead">0</div><div class="hint" id="tile-dead-hint">refused records</div></div>
                </section>
                %4$s
                <section class="card">
                  <h2>Latest drift alerts</h2>
                  <table class="list" id="alerts">
                    <thead><tr><th>Fired at</th><th>Detector</th><th>Metric</th><th>Where</th><th>Statistic</th><th>Source</th></tr></thead>
                    <tbody><tr class="empty"><td colspan="6">No drift detected so far.</td></tr></tbody>
                  </table>
                  <p class="caption">The job watches the rewards of the decisions that heard their feedback and the residuals (reward − served
                  prediction) per entity, per segment and globally, with the detector of <code>monitor.drift.detector</code> (ADWIN by default: an
                  alert when the mean reward fell by at least 0.05, at most one per 15 s per key). Each alert is a <code>drift.alert.reward</code> or
                  <code>drift.alert.residual</code> record on the metrics topic (unit = detector, value = its statistic, negative for a fall; for ADWIN
                  the change of the mean across its cut); this page only reads them.</p>
                </section>
                <div class="grid">
                %5$s%6$s%7$s%8$s%9$s%10$s%11$s%12$s</div>
                <section class="card">
                  <h2>Model versions</h2>
                  <table class="list" id="models">
                    <thead><tr><th>Version</th><th>Status</th><th>Published</th><th>Examples</th><th>Loss</th><th>Gate: candidate vs serving</th></tr></thead>
                    <tbody><tr class="empty"><td colspan="6">No model version published yet.</td></tr></tbody>
                  </table>
                </section>
                <div id="summary" hidden data-cursor="0" data-series="" data-alerts="0" data-alerts-down="0" data-models="0"></div>
                <footer>Loopline live dashboard · reads the loop's metrics, model and dead-letter topics · works offline</footer>
                </main>
                <script src="/echarts.min.js"></script>
                <script>
                %13$s</script>
                </body>
                </html>
                """.formatted(t, HtmlReport.styleSheet(), CSS,
                chart("chart-reward", "Reward: loop vs. oracle vs. uniform random", "wide",
                        "Per-window mean reward of the loop (timed-out decisions count with the default reward), against the best "
                                + "achievable and a uniform random choice when the environment reports them. Vertical lines: drift alerts "
                                + "(red: the reward fell); dashed: a drift injected by the demo."),
                chart("chart-regret", "Regret", "",
                        "Cumulative regret (left) and regret per window (right), exact when contexts carry oracle rewards."),
                chart("chart-model", "Model versions", "",
                        "Highest version stamped on the window's decisions; dots: versions published to the model topic "
                                + "(green promoted, red refused by the promotion gate)."),
                chart("chart-latency", "Decision latency", "",
                        "Per-window p50 and p99 from context append to decision append, in ms (log scale)."),
                chart("chart-ope", "Off-policy estimates of each candidate", "",
                        "Promotion gate, per training round: SNIPS value of the serving model and of the candidate on held-out "
                                + "decisions; the bar is the bootstrap interval of candidate − serving, drawn around the serving value."),
                chart("chart-ope-online", "Online off-policy estimates and regret without an oracle", "",
                        "Left: SNIPS value of each candidate policy (monitor.ope.candidates) replayed over the sliding window of "
                                + "logged decisions, dashed: its bootstrap interval. Right: estimated cumulative regret against the "
                                + "best fixed action and against the reference policy, from the logged propensities alone."),
                chart("chart-explore", "Exploration rate", "",
                        "Share of decisions that were not the policy's best-scored action."),
                chart("chart-feedback", "Feedback per window", "",
                        "Decisions joined with their feedback, timed out (default reward) and late feedback, per window."),
                chart("chart-memory", "Error memory", "",
                        "With errorMemory.enabled: root-mean-square error of the chosen actions' predictions before (base model) "
                                + "and after the memory's correction (left), and the share of look-ups that found neighbours (right)."),
                APP_JS);
    }

    private static String chart(String id, String heading, String extraClass, String caption) {
        return "<section class=\"card chart " + extraClass + "\">\n<h2>" + HtmlReport.escapeHtml(heading) + "</h2>\n"
                + "<div id=\"" + id + "\" class=\"plot\" data-points=\"0\" role=\"img\" aria-label=\""
                + HtmlReport.escapeHtml(heading) + "\"></div>\n<p class=\"caption\">" + HtmlReport.escapeHtml(caption)
                + "</p>\n</section>\n";
    }

    private static final String CSS = """
            main { max-width: 1320px; padding: 18px 20px 32px; }
            header { display: flex; justify-content: space-between; align-items: flex-start; gap: 16px; flex-wrap: wrap; }
            header .sub { margin: 0 0 14px; }
            .dot { display: inline-block; width: 9px; height: 9px; border-radius: 50%; background: #9aa5b1; margin-right: 7px; }
            #status.live .dot { background: #16a34a; }
            #status.lost .dot { background: #dc2626; }
            .downloads { display: flex; gap: 8px; margin-top: 6px; }
            .downloads a { color: #1f2933; text-decoration: none; font-size: 13.5px; padding: 5px 12px; background: #fff;
              border: 1px solid #d5dae1; border-radius: 8px; }
            .downloads a:hover { border-color: #2563eb; color: #2563eb; }
            .tiles { display: grid; grid-template-columns: repeat(7, minmax(0, 1fr)); gap: 12px; margin: 0 0 18px; }
            @media (max-width: 1100px) { .tiles { grid-template-columns: repeat(4, minmax(0, 1fr)); } }
            .tile { background: #fff; border: 1px solid #e3e6ea; border-radius: 10px; padding: 10px 14px;
              box-shadow: 0 1px 2px rgba(16, 24, 40, .04); min-width: 0; }
            .tile .label { color: #5f6b7a; font-size: 12px; text-transform: uppercase; letter-spacing: .03em; white-space: nowrap;
              overflow: hidden; text-overflow: ellipsis; }
            .tile .value { font-size: 22px; font-weight: 650; font-variant-numeric: tabular-nums; white-space: nowrap; }
            .tile .hint { color: #8a94a3; font-size: 12.5px; line-height: 1.35; }
            .tile.alerting { border-color: #fca5a5; background: #fff5f5; }
            .tile.alerting .value { color: #dc2626; }
            .grid { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); column-gap: 18px; }
            @media (max-width: 900px) { .grid { grid-template-columns: minmax(0, 1fr); } }
            .plot { height: 250px; }
            .chart.wide .plot { height: 300px; }
            .card h2 { font-size: 16px; font-weight: 600; margin: 0 0 6px; }
            table.list { width: 100%; border-collapse: collapse; font-size: 14px; }
            table.list th { text-align: left; color: #5f6b7a; font-weight: 500; border-bottom: 1px solid #e3e6ea; padding: 6px 10px; }
            table.list td { padding: 6px 10px; border-bottom: 1px solid #eef0f3; font-variant-numeric: tabular-nums; }
            table.list tr:last-child td { border-bottom: none; }
            table.list tr.empty td { color: #8a94a3; font-style: italic; }
            tr.down td.stat { color: #dc2626; font-weight: 600; }
            tr.up td.stat { color: #15803d; font-weight: 600; }
            .badge { display: inline-block; padding: 1px 9px; border-radius: 999px; font-size: 12px; background: #eef0f3; color: #374151; }
            .badge.serving { background: #dbeafe; color: #1e40af; }
            .badge.promoted { background: #dcfce7; color: #166534; }
            .badge.refused, .badge.unusable { background: #fee2e2; color: #991b1b; }
            code { font-size: 12.5px; background: #f1f3f5; padding: 0 4px; border-radius: 4px; }
            """;

    private static final String APP_JS = """
            (function () {
              'use strict';
              var POLL_MS = 1000;
              var FONT = '-apple-system, BlinkMacSystemFont, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif';
              var C = {
                policy: '#2563eb', oracle: '#16a34a', uniform: '#8b95a1', regret: '#dc2626', regretWindow: '#f59e0b',
                p50: '#0891b2', p99: '#9333ea', model: '#ea580c', explore: '#d97706', good: '#16a34a', bad: '#dc2626',
                serving: '#2563eb', joined: '#2563eb', timedOut: '#d97706', late: '#9333ea', injected: '#111827'
              };
              var S = { epoch: null, cursor: 0, series: {}, units: {}, alerts: [], models: [], deadLetters: 0,
                        reasons: {}, status: null };
              var charts = {};
              var hasCharts = typeof echarts !== 'undefined';

              function $(id) { return document.getElementById(id); }
              function get(url) {
                return fetch(url, { cache: 'no-store' }).then(function (r) {
                  if (!r.ok) { throw new Error(url + ': HTTP ' + r.status); }
                  return r.json();
                });
              }
              function fmt(v, d) {
                if (v === null || v === undefined || typeof v !== 'number' || !isFinite(v)) { return '–'; }
                return v.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d });
              }
              function pct(v) { return v === null || v === undefined || !isFinite(v) ? '–' : fmt(100 * v, 1) + '%'; }
              function signed(v, d) { return !isFinite(v) ? '–' : (v < 0 ? '−' : '+') + fmt(Math.abs(v), d); }
              function clock(ms) {
                var t = new Date(ms);
                function two(n) { return (n < 10 ? '0' : '') + n; }
                return two(t.getHours()) + ':' + two(t.getMinutes()) + ':' + two(t.getSeconds());
              }
              function esc(s) {
                return String(s).replace(/[&<>"']/g, function (c) {
                  return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c];
                });
              }

              // ---- data
              function merge(d) {
                if (S.epoch !== d.epoch) {
                  var restarted = S.epoch !== null;
                  S.epoch = d.epoch; S.series = {}; S.units = {}; S.cursor = 0;
                  if (restarted) { return; } // the dashboard restarted: read its history from the start next time
                }
                Object.keys(d.series).forEach(function (k) {
                  var into = S.series[k] || (S.series[k] = []);
                  var add = d.series[k];
                  var ordered = !into.length || !add.length || add[0][0] >= into[into.length - 1][0];
                  for (var i = 0; i < add.length; i++) { into.push(add[i]); }
                  if (!ordered) { into.sort(function (a, b) { return a[0] - b[0]; }); }
                });
                Object.keys(d.units).forEach(function (k) { S.units[k] = d.units[k]; });
                S.cursor = d.cursor;
              }
              function series(name) {
                if (S.series[name]) { return S.series[name]; }
                var keys = Object.keys(S.series);
                for (var i = 0; i < keys.length; i++) {
                  if (keys[i].indexOf(name + '[') === 0) { return S.series[keys[i]]; }
                }
                return [];
              }
              function last(name) { var s = series(name); return s.length ? s[s.length - 1][1] : null; }
              // The newest window's reward among windows mostly made of decisions that heard their feedback
              // (when a run ends, the last windows hold timed-out decisions, which count with the default reward).
              function lastHeard() {
                var reward = series('reward.mean'), joined = {}, timedOut = {};
                series('feedback.joined').slice(-120).forEach(function (p) { joined[p[0]] = p[1]; });
                series('feedback.timedOut').slice(-120).forEach(function (p) { timedOut[p[0]] = p[1]; });
                for (var i = reward.length - 1; i >= Math.max(0, reward.length - 120); i--) {
                  var t = reward[i][0];
                  if (!(t in joined) || (joined[t] > 0 && joined[t] >= (timedOut[t] || 0))) { return reward[i][1]; }
                }
                return last('reward.mean');
              }
              function xy(points, positiveOnly) {
                var out = [];
                for (var i = 0; i < points.length; i++) {
                  var y = points[i][1];
                  if (positiveOnly && !(y > 0)) { y = null; }
                  out.push([points[i][0], y]);
                }
                return out;
              }
              function xRange() {
                var lo = Infinity, hi = -Infinity;
                Object.keys(S.series).forEach(function (k) {
                  if (k.indexOf('drift.') === 0) { return; }
                  var s = S.series[k];
                  if (s.length) { lo = Math.min(lo, s[0][0]); hi = Math.max(hi, s[s.length - 1][0]); }
                });
                return isFinite(lo) ? { min: lo, max: Math.max(hi, lo + 1000) } : { min: null, max: null };
              }

              // ---- charts
              function option(o, x) {
                var base = {
                  animation: false,
                  textStyle: { fontFamily: FONT, color: '#374151' },
                  grid: { left: 58, right: 58, top: 40, bottom: 30 },
                  legend: { top: 2, itemWidth: 18, itemHeight: 8, textStyle: { color: '#374151', fontSize: 12 } },
                  tooltip: { trigger: 'axis', confine: true, textStyle: { fontFamily: FONT, fontSize: 12 } },
                  xAxis: {
                    type: 'time', min: x.min, max: x.max, splitNumber: x.split || 8,
                    axisLine: { lineStyle: { color: '#9aa5b1' } }, splitLine: { show: false },
                    axisLabel: { hideOverlap: true, color: '#5f6b7a', formatter: '{HH}:{mm}:{ss}' }
                  }
                };
                Object.keys(o).forEach(function (k) { base[k] = o[k]; });
                return base;
              }
              function yAxis(name, extra) {
                var a = { type: 'value', name: name, nameTextStyle: { color: '#5f6b7a' }, axisLine: { show: false },
                          splitLine: { lineStyle: { color: '#eef0f3' } }, axisLabel: { color: '#5f6b7a' } };
                if (extra) { Object.keys(extra).forEach(function (k) { a[k] = extra[k]; }); }
                return a;
              }
              function line(name, data, color, extra) {
                var s = { name: name, type: 'line', data: data, showSymbol: false, symbolSize: 4, connectNulls: false,
                          lineStyle: { width: 2, color: color }, itemStyle: { color: color } };
                if (extra) { Object.keys(extra).forEach(function (k) { s[k] = extra[k]; }); }
                return s;
              }
              function alertMarks(withLabels) {
                // Per-entity alerts would crowd the axis; where the job watches globally, its alerts stand for the loop.
                var global = S.alerts.filter(function (a) { return a.scope === 'GLOBAL'; });
                var data = (global.length ? global : S.alerts).map(function (a) {
                  var down = a.direction === 'down';
                  return { xAxis: a.firedAt, name: a.detector + ' ' + a.metric,
                           lineStyle: { color: down ? C.bad : C.good, type: 'solid', width: down ? 2 : 1, opacity: down ? 0.9 : 0.55 },
                           label: { show: withLabels, formatter: (down ? '▼ ' : '▲ ') + a.detector.toUpperCase(), color: down ? C.bad : C.good } };
                });
                series('drift.injected').forEach(function (p) {
                  data.push({ xAxis: p[0], name: 'injected drift',
                              lineStyle: { color: C.injected, type: 'dashed', width: 1.5 },
                              label: { show: withLabels, formatter: 'injected drift', color: C.injected, position: 'insideStartTop' } });
                });
                return { symbol: ['none', 'none'], silent: true, animation: false,
                         label: { position: 'insideEndTop', fontSize: 11 }, data: data };
              }
              function draw(id, opt, empty) {
                var el = $(id);
                var n = 0;
                opt.series.forEach(function (s) { n += (s.data || []).length; });
                el.setAttribute('data-points', String(n));
                if (!hasCharts) { return; }
                var chart = charts[id];
                if (!chart) {
                  chart = echarts.init(el, null, { renderer: 'canvas' });
                  chart.group = 'loopline';
                  charts[id] = chart;
                  echarts.connect('loopline');
                }
                if (n === 0 && empty) {
                  opt.graphic = { type: 'text', left: 'center', top: 'middle',
                                  style: { text: empty, fill: '#8a94a3', font: '13px ' + FONT } };
                } else {
                  opt.graphic = { type: 'text', style: { text: '' } };
                }
                chart.setOption(opt, { notMerge: true, lazyUpdate: true });
              }

              function renderInterval(params, api) {
                var x = api.value(0);
                var lo = api.coord([x, api.value(1)]);
                var hi = api.coord([x, api.value(2)]);
                var style = { stroke: api.value(3) ? C.good : C.bad, lineWidth: 1.6 };
                return { type: 'group', children: [
                  { type: 'line', shape: { x1: lo[0], y1: lo[1], x2: hi[0], y2: hi[1] }, style: style },
                  { type: 'line', shape: { x1: lo[0] - 5, y1: lo[1], x2: lo[0] + 5, y2: lo[1] }, style: style },
                  { type: 'line', shape: { x1: hi[0] - 5, y1: hi[1], x2: hi[0] + 5, y2: hi[1] }, style: style }
                ] };
              }

              function gateRounds() {
                var serving = {};
                series('gate.serving').forEach(function (p) { serving[p[0]] = p[1]; });
                var graded = S.models.filter(function (m) { return m.metrics && m.metrics['gate.candidateValue'] !== undefined; });
                return series('gate.candidate').map(function (c) {
                  var t = c[0], promoted = c[1] >= 0.5, s = serving[t];
                  var best = null, gap = 10000;
                  graded.forEach(function (m) {
                    var refused = m.status === 'refused';
                    if (refused === !promoted && Math.abs(m.appendedAt - t) < gap) { best = m; gap = Math.abs(m.appendedAt - t); }
                  });
                  var lo = c.length > 2 ? c[2] : null, hi = c.length > 3 ? c[3] : null;
                  return { t: t, promoted: promoted, serving: s === undefined ? null : s,
                           value: best ? best.metrics['gate.candidateValue'] : null, version: best ? best.version : null,
                           low: s !== undefined && lo !== null ? s + lo : null, high: s !== undefined && hi !== null ? s + hi : null };
                });
              }

              function render() {
                var wide = xRange();
                var x = { min: wide.min, max: wide.max, split: 4 };
                var reward = series('reward.mean');
                draw('chart-reward', option({
                  yAxis: yAxis('mean reward', { scale: true }),
                  series: [
                    line('loop (per window)', xy(reward), C.policy, { markLine: alertMarks(true), z: 4 }),
                    line('oracle', xy(series('reward.oracle')), C.oracle, { lineStyle: { width: 1.8, type: 'dashed', color: C.oracle } }),
                    line('uniform random', xy(series('reward.uniform')), C.uniform, { lineStyle: { width: 1.8, type: 'dashed', color: C.uniform } })
                  ]
                }, wide), 'Waiting for the first reward window…');

                draw('chart-regret', option({
                  yAxis: [yAxis('cumulative'), yAxis('per window', { position: 'right', splitLine: { show: false } })],
                  series: [
                    line('cumulative regret', xy(series('regret.cumulative')), C.regret,
                      { areaStyle: { color: 'rgba(220, 38, 38, 0.08)' }, markLine: alertMarks(false) }),
                    line('regret per window', xy(series('regret.window')), C.regretWindow, { yAxisIndex: 1, lineStyle: { width: 1.2, color: C.regretWindow } })
                  ]
                }, x), 'No regret on the topic (contexts carry no oracle rewards)');

                var promoted = [], refused = [];
                S.models.forEach(function (m) {
                  if (!m.appendedAt) { return; }
                  (m.status === 'refused' || m.status.indexOf('unusable') === 0 ? refused : promoted).push([m.appendedAt, m.version]);
                });
                draw('chart-model', option({
                  yAxis: yAxis('version', { minInterval: 1, min: 0 }),
                  series: [
                    line('in decisions', xy(series('model.version')), C.model, { step: 'end' }),
                    { name: 'published', type: 'scatter', data: promoted, symbolSize: 7, itemStyle: { color: C.good } },
                    { name: 'refused', type: 'scatter', data: refused, symbol: 'diamond', symbolSize: 9, itemStyle: { color: C.bad } }
                  ]
                }, x), 'No model version yet');

                draw('chart-latency', option({
                  yAxis: yAxis('ms (log)', { type: 'log', logBase: 10 }),
                  series: [
                    line('p50', xy(series('latency.p50'), true), C.p50),
                    line('p99', xy(series('latency.p99'), true), C.p99)
                  ]
                }, x), 'No latency.p50 / latency.p99 on this loop’s metrics topic');

                var rounds = gateRounds();
                draw('chart-ope', option({
                  yAxis: yAxis('SNIPS value', { scale: true }),
                  tooltip: { trigger: 'item', confine: true },
                  series: [
                    line('serving model', xy(series('gate.serving')), C.serving, { showSymbol: true, symbolSize: 5 }),
                    { name: 'candidate interval', type: 'custom', renderItem: renderInterval, encode: { x: 0, y: [1, 2] },
                      data: rounds.filter(function (r) { return r.low !== null; })
                                  .map(function (r) { return [r.t, r.low, r.high, r.promoted ? 1 : 0]; }), z: 3 },
                    { name: 'candidate, promoted', type: 'scatter', symbolSize: 8, itemStyle: { color: C.good }, z: 4,
                      data: rounds.filter(function (r) { return r.promoted && r.value !== null; }).map(function (r) { return [r.t, r.value]; }) },
                    { name: 'candidate, refused', type: 'scatter', symbol: 'diamond', symbolSize: 10, itemStyle: { color: C.bad }, z: 4,
                      data: rounds.filter(function (r) { return !r.promoted && r.value !== null; }).map(function (r) { return [r.t, r.value]; }) }
                  ]
                }, x), 'No promotion-gate verdict yet (gate.candidate, gate.serving)');

                var onlineSeries = [];
                var palette = [C.policy, C.serving, C.explore, C.model, C.p50, C.oracle];
                Object.keys(S.series).filter(function (k) { return k.indexOf('ope.snips[') === 0; }).sort()
                  .forEach(function (k, i) {
                    var name = k.substring('ope.snips['.length, k.length - 1), color = palette[i % palette.length];
                    var pts = S.series[k];
                    onlineSeries.push(line(name, xy(pts), color));
                    [2, 3].forEach(function (j) {
                      onlineSeries.push(line(name + (j === 2 ? ' low' : ' high'),
                        pts.filter(function (p) { return p.length > j; }).map(function (p) { return [p[0], p[j]]; }), color,
                        { lineStyle: { width: 1, type: 'dashed', color: color, opacity: 0.6 }, legendHoverLink: false }));
                    });
                  });
                [['regret.estimate.bestFixed.cumulative', 'regret vs best fixed action', C.regret],
                 ['regret.estimate.reference.cumulative', 'regret vs reference', C.regretWindow]].forEach(function (r) {
                  onlineSeries.push(line(r[1], xy(series(r[0])), r[2], { yAxisIndex: 1, lineStyle: { width: 1.6, type: 'dotted', color: r[2] } }));
                });
                draw('chart-ope-online', option({
                  legend: { top: 2, type: 'scroll', itemWidth: 18, itemHeight: 8, textStyle: { color: '#374151', fontSize: 12 },
                            data: onlineSeries.map(function (x) { return x.name; })
                              .filter(function (n) { return !/ (low|high)$/.test(n); }) },
                  yAxis: [yAxis('SNIPS value', { scale: true }), yAxis('estimated regret', { position: 'right', splitLine: { show: false } })],
                  series: onlineSeries
                }, x), 'No online off-policy estimate yet (monitor.ope.*)');

                draw('chart-explore', option({
                  legend: { show: false },
                  yAxis: yAxis('explored', { min: 0, axisLabel: { color: '#5f6b7a', formatter: function (v) { return Math.round(v * 100) + '%'; } } }),
                  series: [line('exploration rate', xy(series('explore.rate')), C.explore, { areaStyle: { color: 'rgba(217, 119, 6, 0.08)' } })]
                }, x), 'No exploration rate yet');

                draw('chart-feedback', option({
                  yAxis: yAxis('per window'),
                  series: [
                    line('joined', xy(series('feedback.joined')), C.joined, { lineStyle: { width: 1.5, color: C.joined } }),
                    line('timed out', xy(series('feedback.timedOut')), C.timedOut, { lineStyle: { width: 1.5, color: C.timedOut } }),
                    line('late', xy(series('feedback.late')), C.late, { lineStyle: { width: 1.5, color: C.late } })
                  ]
                }, x), 'No feedback window yet');

                var rms = function (name) { return xy(series(name)).map(function (p) { return [p[0], p[1] === null ? null : Math.sqrt(p[1])]; }); };
                draw('chart-memory', option({
                  yAxis: [yAxis('RMS error', { min: 0 }), yAxis('hit rate', { position: 'right', min: 0, max: 1, splitLine: { show: false } })],
                  series: [
                    line('before correction', rms('errorMemory.squaredErrorBefore'), C.uniform),
                    line('after correction', rms('errorMemory.squaredErrorAfter'), C.policy),
                    line('hit rate', xy(series('errorMemory.hitRate')), C.explore, { yAxisIndex: 1, lineStyle: { width: 1.2, type: 'dashed', color: C.explore } })
                  ]
                }, x), 'Error memory off (errorMemory.enabled, demo --error-memory on)');

                tiles(rounds);
                tables();
                summary();
              }

              function tiles(rounds) {
                $('tile-reward').textContent = fmt(lastHeard(), 3);
                var o = last('reward.oracle'), u = last('reward.uniform');
                $('tile-reward-hint').textContent = o === null ? 'mean, last window heard' : 'oracle ' + fmt(o, 3) + ' · uniform ' + fmt(u, 3);
                $('tile-regret').textContent = fmt(last('regret.cumulative'), 0);
                $('tile-regret-hint').textContent = last('regret.window') === null ? 'cumulative' : 'cumulative · ' + fmt(last('regret.window'), 1) + ' in the last window';
                var v = last('model.version');
                $('tile-model').textContent = v === null ? '–' : 'v' + v;
                var nRefused = S.models.filter(function (m) { return m.status === 'refused'; }).length;
                $('tile-model-hint').textContent = 'in use · ' + S.models.length + ' published, ' + nRefused + ' refused';
                $('tile-explore').textContent = pct(last('explore.rate'));
                var p50 = last('latency.p50'), p99 = last('latency.p99');
                $('tile-latency').textContent = p50 === null ? '–' : fmt(p50, 0) + ' / ' + fmt(p99, 0);
                var down = S.alerts.filter(function (a) { return a.direction === 'down'; });
                $('tile-alerts').textContent = String(S.alerts.length);
                $('tile-alerts-box').className = 'tile' + (down.length ? ' alerting' : '');
                $('tile-alerts-hint').textContent = S.alerts.length ? 'latest at ' + clock(S.alerts[0].firedAt) : 'none yet';
                $('tile-dead').textContent = String(S.deadLetters);
              }

              function tables() {
                var rows = S.alerts.slice(0, 15).map(function (a) {
                  var where = a.scope === 'GLOBAL' ? 'global' : a.scope.toLowerCase() + ' ' + a.key;
                  var means = a.meanBefore !== null && a.meanAfter !== null
                    ? ' (' + fmt(a.meanBefore, 3) + ' → ' + fmt(a.meanAfter, 3) + ', window ' + a.window + ')' : '';
                  return '<tr class="alert ' + a.direction + '" data-direction="' + a.direction + '" data-fired-at="' + a.firedAt
                    + '" data-metric="' + esc(a.metric) + '" data-detector="' + esc(a.detector) + '">'
                    + '<td>' + clock(a.firedAt) + '</td><td>' + esc(a.detector.toUpperCase()) + '</td><td><code>' + esc(a.metric)
                    + '</code></td><td>' + esc(where) + '</td><td class="stat">' + signed(a.delta, 3) + esc(means)
                    + '</td><td>' + (a.onTopic ? 'metrics topic' : 'dashboard') + '</td></tr>';
                });
                $('alerts').tBodies[0].innerHTML = rows.length ? rows.join('')
                  : '<tr class="empty"><td colspan="6">No drift detected so far.</td></tr>';

                var models = S.models.slice().sort(function (a, b) { return b.version - a.version; }).slice(0, 10);
                $('models').tBodies[0].innerHTML = models.length ? models.map(function (m) {
                  var g = m.metrics || {};
                  var gate = g['gate.candidateValue'] === undefined ? '–'
                    : fmt(g['gate.candidateValue'], 4) + ' vs ' + fmt(g['gate.servingValue'], 4) + ' (diff low ' + signed(g['gate.differenceLow'], 4) + ')';
                  var status = m.status.split(':')[0];
                  return '<tr class="model" data-version="' + m.version + '"><td>v' + m.version + '</td><td><span class="badge ' + esc(status) + '">'
                    + esc(m.status) + '</span></td><td>' + (m.appendedAt ? clock(m.appendedAt) : '–') + '</td><td>'
                    + fmt(g.examples, 0) + '</td><td>' + fmt(g.loss, 5) + '</td><td>' + gate + '</td></tr>';
                }).join('') : '<tr class="empty"><td colspan="6">No model version published yet.</td></tr>';
              }

              function summary() {
                var el = $('summary');
                el.setAttribute('data-cursor', String(S.cursor));
                el.setAttribute('data-series', Object.keys(S.series).sort().map(function (k) {
                  return k + ':' + S.series[k].length;
                }).join(','));
                el.setAttribute('data-alerts', String(S.alerts.length));
                el.setAttribute('data-alerts-down', String(S.alerts.filter(function (a) { return a.direction === 'down'; }).length));
                el.setAttribute('data-models', String(S.models.length));
              }

              function setStatus(ok, text) {
                $('status').className = 'sub ' + (ok ? 'live' : 'lost');
                $('status-text').textContent = text;
              }

              function poll() {
                Promise.all([get('/api/metrics?after=' + S.cursor), get('/api/alerts'), get('/api/models'), get('/api/status')])
                  .then(function (r) {
                    merge(r[0]);
                    S.alerts = r[1].alerts;
                    S.models = r[2].models;
                    S.deadLetters = r[2].deadLetters;
                    S.status = r[3];
                    render();
                    var st = r[3];
                    setStatus(true, 'Live · following ' + st.topicPrefix + '.* at ' + st.bootstrap + ' · '
                      + st.cursor.toLocaleString('en-US') + ' metric records · updated ' + clock(r[0].now)
                      + (st.caughtUp ? '' : ' · catching up'));
                  })
                  .catch(function (e) { setStatus(false, 'Not connected (' + e.message + '); retrying every second'); })
                  .then(function () { setTimeout(poll, POLL_MS); });
              }

              if (!hasCharts) {
                setStatus(false, 'The charting library (/echarts.min.js) did not load; charts cannot be drawn.');
              }
              window.addEventListener('resize', function () { Object.keys(charts).forEach(function (k) { charts[k].resize(); }); });
              poll();
            })();
            """;
}
