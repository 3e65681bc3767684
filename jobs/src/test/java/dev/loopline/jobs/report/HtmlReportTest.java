package dev.loopline.jobs.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HtmlReportTest {

    private static final long START = 1_700_000_000_000L;
    private static final String DISTINCTIVE = "0.123456789";

    @TempDir
    Path dir;

    /** A run of {@code n} seconds: reward climbs from uniform (0.3) towards oracle (0.8), two model pushes. */
    static List<ReportPoint> synthetic(int n) {
        List<ReportPoint> points = new ArrayList<>();
        double regret = 0;
        for (int i = 0; i < n; i++) {
            double progress = 1 - Math.exp(-i / 30.0);
            double reward = 0.3 + 0.45 * progress + 0.05 * Math.sin(i * 1.7);
            regret += 0.8 - reward;
            long version = i < 40 ? 1 : i < 80 ? 2 : 3;
            points.add(new ReportPoint(START + i * 1000L, 200, reward, 0.8, 0.3, regret,
                    0.5 * (1 - progress) + 0.05, 0.4 + 0.05 * Math.cos(i), 2.5 + (i % 17 == 0 ? 20 : 0),
                    version, 200 + 10 * Math.sin(i / 5.0)));
        }
        return points;
    }

    static ReportSummary summary(String title) {
        LinkedHashMap<String, String> figures = new LinkedHashMap<>();
        figures.put("Decisions", "24,000");
        figures.put("Final mean reward", "0.74");
        figures.put("Model versions", "3");
        return new ReportSummary(title, figures,
                List.of(new ModelMark(1, START), new ModelMark(2, START + 40_000), new ModelMark(3, START + 80_000)));
    }

    private static String dataJson(String html) {
        String open = "<script type=\"application/json\" id=\"loopline-data\">";
        int from = html.indexOf(open);
        assertTrue(from >= 0, "data block present");
        from += open.length();
        int to = html.indexOf("</script>", from);
        return html.substring(from, to);
    }

    private static int count(String haystack, String needle) {
        int n = 0;
        for (int i = haystack.indexOf(needle); i >= 0; i = haystack.indexOf(needle, i + needle.length())) {
            n++;
        }
        return n;
    }

    @Test
    void writesSelfContainedReportWithAllChartsAndData() throws Exception {
        List<ReportPoint> points = new ArrayList<>(synthetic(120));
        ReportPoint p = points.get(60);
        points.set(60, new ReportPoint(p.timeMillis(), p.decisions(), Double.parseDouble(DISTINCTIVE), p.meanOracle(),
                p.meanUniform(), p.cumulativeRegret(), p.exploredShare(), p.latencyP50Millis(), p.latencyP99Millis(),
                p.modelVersion(), p.eventsPerSecond()));
        Path file = dir.resolve("out/loopline-report.html");

        HtmlReport.write(file, summary("Loopline demo"), points);

        assertTrue(Files.isRegularFile(file));
        assertTrue(Files.size(file) > 500_000, "echarts inlined, size " + Files.size(file));
        String html = Files.readString(file, StandardCharsets.UTF_8);
        assertTrue(html.startsWith("<!DOCTYPE html>"));
        assertTrue(html.contains("echarts"));
        assertTrue(html.contains("Apache Software Foundation"), "library license header inlined");
        for (String id : HtmlReport.CHART_IDS) {
            assertTrue(html.contains("id=\"" + id + "\""), "container " + id);
            assertTrue(html.contains("'" + id + "'"), "chart drawn into " + id);
        }
        assertEquals(5, HtmlReport.CHART_IDS.size());
        String data = dataJson(html);
        assertTrue(data.contains(DISTINCTIVE), "point data embedded");
        assertTrue(data.contains("\"t\":[0,1,2,3,"), "time in seconds since start");
        assertTrue(data.contains("\"models\":[{\"version\":1,\"t\":0},{\"version\":2,\"t\":40},{\"version\":3,\"t\":80}]"));
        JsonCheck.validate(data);

        // Summary figures table, in order.
        int a = html.indexOf("<th scope=\"row\">Decisions</th><td>24,000</td>");
        int b = html.indexOf("<th scope=\"row\">Final mean reward</th><td>0.74</td>");
        int c = html.indexOf("<th scope=\"row\">Model versions</th><td>3</td>");
        assertTrue(a > 0 && a < b && b < c, "figures in insertion order");

        // Offline: outside the inlined library, nothing refers to the network.
        String own = html.replace(HtmlReport.loadEcharts(HtmlReport.ECHARTS_RESOURCE), "");
        assertFalse(own.contains("http://") || own.contains("https://") || own.contains("src=\"//"), own);
        assertFalse(own.contains("<script src"));
        assertFalse(own.contains("<link rel=\"stylesheet\""));
        assertTrue(own.contains("Content-Security-Policy"));
        // No temp file left behind.
        try (var files = Files.list(file.getParent())) {
            assertEquals(1, files.count());
        }
    }

    @Test
    void escapesTitleAndFiguresSafely() throws Exception {
        String evil = "Run </script><script>alert(\"x\")</script> & 'q' <!-- \u2028";
        LinkedHashMap<String, String> figures = new LinkedHashMap<>();
        figures.put("<b>key</b>", "\"value\" </script>");
        Path file = dir.resolve("evil.html");

        HtmlReport.write(file, new ReportSummary(evil, figures, List.of()), synthetic(5));

        String html = Files.readString(file, StandardCharsets.UTF_8);
        assertFalse(html.contains("<script>alert"), "no injected script element");
        assertFalse(html.contains("<b>key</b>"));
        assertTrue(html.contains("<title>Run &lt;/script&gt;&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; "
                + "&amp; &#39;q&#39; &lt;!-- \u2028</title>"));
        assertTrue(html.contains("<h1>Run &lt;/script&gt;"));
        assertTrue(html.contains("<th scope=\"row\">&lt;b&gt;key&lt;/b&gt;</th><td>&quot;value&quot; &lt;/script&gt;</td>"));
        // Exactly our three script elements are closed: data, library, app.
        assertEquals(3, count(html, "</script>"));
        assertEquals(3, count(html.toLowerCase(), "</script"));
        String data = dataJson(html);
        assertTrue(data.contains("\"title\":\"Run \\u003c/script\\u003e\\u003cscript\\u003ealert(\\\"x\\\")"
                + "\\u003c/script\\u003e \\u0026 'q' \\u003c!-- \\u2028\""), data.substring(0, 120));
        JsonCheck.validate(data);
    }

    @Test
    void writesNullForNonFiniteValues() throws Exception {
        List<ReportPoint> points = new ArrayList<>(synthetic(3));
        points.set(0, new ReportPoint(START, 0, Double.NaN, Double.NaN, Double.NaN, 0, Double.NaN,
                Double.NaN, Double.POSITIVE_INFINITY, 0, Double.NEGATIVE_INFINITY));
        Path file = dir.resolve("nan.html");

        HtmlReport.write(file, summary("nan"), points);

        String data = dataJson(Files.readString(file, StandardCharsets.UTF_8));
        assertTrue(data.contains("\"reward\":[null,"), data);
        assertTrue(data.contains("\"rewardAvg\":[null,"), data);
        assertTrue(data.contains("\"p99\":[null,"), data);
        assertTrue(data.contains("\"eps\":[null,"), data);
        assertFalse(data.contains("NaN"));
        assertFalse(data.contains("Infinity"));
        JsonCheck.validate(data);
    }

    @Test
    void handlesEmptyAndNullInput() throws Exception {
        Path file = dir.resolve("empty.html");
        HtmlReport.write(file, new ReportSummary(null, null, null), null);
        String html = Files.readString(file, StandardCharsets.UTF_8);
        assertTrue(html.contains("<h1>Loopline report</h1>"));
        assertTrue(html.contains("No data points were recorded"));
        JsonCheck.validate(dataJson(html));

        HtmlReport.write(file, summary("again"), List.of());
        assertTrue(Files.readString(file, StandardCharsets.UTF_8).contains("<h1>again</h1>"), "file replaced");
    }

    @Test
    void sortsPointsByTime() throws Exception {
        List<ReportPoint> points = new ArrayList<>(synthetic(4));
        java.util.Collections.reverse(points);
        String data = dataJson(HtmlReport.render(summary("s"), points, "/*lib*/"));
        assertTrue(data.contains("\"t\":[0,1,2,3]"), data);
    }

    @Test
    void movingAverageUsesTrailingTimeWindow() {
        List<ReportPoint> points = synthetic(20);
        double[] v = new double[20];
        for (int i = 0; i < v.length; i++) {
            v[i] = i + 1;
        }
        v[5] = Double.NaN;
        double[] avg = HtmlReport.movingAverage(points, v);
        assertEquals(1.0, avg[0], 1e-12);
        assertEquals((1 + 2 + 3 + 4 + 5 + 7) / 6.0, avg[6], 1e-12);
        assertEquals(15.5, avg[19], 1e-12); // mean of 11..20
    }

    @Test
    void jsonNumbersAndStrings() {
        StringBuilder b = new StringBuilder();
        HtmlReport.jsonNumber(b, 3.0);
        b.append(' ');
        HtmlReport.jsonNumber(b, 0.25);
        b.append(' ');
        HtmlReport.jsonNumber(b, 1e-5);
        b.append(' ');
        HtmlReport.jsonNumber(b, Double.NaN);
        assertEquals("3 0.25 1.0E-5 null", b.toString());

        StringBuilder s = new StringBuilder();
        HtmlReport.jsonString(s, "a\"b\\c\n\u0001\ud800x</script>");
        assertEquals("\"a\\\"b\\\\c\\n\\u0001\\ud800x\\u003c/script\\u003e\"", s.toString());
    }

    @Test
    void missingLibraryFailsClearly() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> HtmlReport.loadEcharts("/META-INF/resources/webjars/echarts/0.0.0/missing.js"));
        assertTrue(e.getMessage().contains("org.webjars.npm:echarts"), e.getMessage());
    }

    /** Minimal strict JSON syntax checker (no JSON library in this module). */
    static final class JsonCheck {
        private final String s;
        private int i;

        private JsonCheck(String s) {
            this.s = s;
        }

        static void validate(String json) {
            JsonCheck c = new JsonCheck(json);
            c.value();
            c.ws();
            if (c.i != json.length()) {
                throw new AssertionError("trailing data at " + c.i);
            }
        }

        private void ws() {
            while (i < s.length() && " \t\r\n".indexOf(s.charAt(i)) >= 0) {
                i++;
            }
        }

        private AssertionError fail(String what) {
            int from = Math.max(0, i - 30);
            return new AssertionError("invalid JSON at " + i + " (" + what + "): "
                    + s.substring(from, Math.min(s.length(), i + 30)));
        }

        private void expect(char c) {
            ws();
            if (i >= s.length() || s.charAt(i) != c) {
                throw fail("expected " + c);
            }
            i++;
        }

        private void value() {
            ws();
            if (i >= s.length()) {
                throw fail("end");
            }
            char c = s.charAt(i);
            if (c == '{') {
                i++;
                ws();
                if (s.charAt(i) == '}') {
                    i++;
                    return;
                }
                do {
                    ws();
                    string();
                    expect(':');
                    value();
                    ws();
                } while (s.charAt(i++) == ',');
                i--;
                expect('}');
            } else if (c == '[') {
                i++;
                ws();
                if (s.charAt(i) == ']') {
                    i++;
                    return;
                }
                do {
                    value();
                    ws();
                } while (s.charAt(i++) == ',');
                i--;
                expect(']');
            } else if (c == '"') {
                string();
            } else if (s.startsWith("null", i) || s.startsWith("true", i)) {
                i += 4;
            } else if (s.startsWith("false", i)) {
                i += 5;
            } else {
                int start = i;
                java.util.regex.Matcher m = java.util.regex.Pattern
                        .compile("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?").matcher(s);
                if (!m.find(start) || m.start() != start || m.end() == start) {
                    throw fail("value");
                }
                i = m.end();
            }
        }

        private void string() {
            if (s.charAt(i) != '"') {
                throw fail("string");
            }
            i++;
            while (true) {
                char c = s.charAt(i++);
                if (c == '"') {
                    return;
                }
                if (c < 0x20) {
                    throw fail("control char");
                }
                if (c == '\\') {
                    char e = s.charAt(i++);
                    if (e == 'u') {
                        if (!s.substring(i, i + 4).matches("[0-9a-fA-F]{4}")) {
                            throw fail("unicode escape");
                        }
                        i += 4;
                    } else if ("\"\\/bfnrt".indexOf(e) < 0) {
                        throw fail("escape");
                    }
                }
            }
        }
    }
}
