package dev.loopline.jobs.dashboard;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.loopline.jobs.report.HtmlReport;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dashboard's HTTP side, on the JDK's own server: the page, the charting library from its WebJar,
 * and a small JSON API over a {@link MetricStore}.
 *
 * <table>
 *   <caption>Routes (GET)</caption>
 *   <tr><td>{@code /}</td><td>the page; it polls the API every second</td></tr>
 *   <tr><td>{@code /echarts.min.js}</td><td>ECharts, from the {@code org.webjars.npm:echarts} WebJar</td></tr>
 *   <tr><td>{@code /api/metrics?since=MS}</td><td>metric series by name, records whose window ends after MS;
 *       {@code ?after=SEQ} instead gives the records that arrived after cursor SEQ (what the page uses)</td></tr>
 *   <tr><td>{@code /api/alerts}</td><td>drift alerts, latest first</td></tr>
 *   <tr><td>{@code /api/models}</td><td>model versions with status and gate figures; dead letters</td></tr>
 *   <tr><td>{@code /api/status}</td><td>what the dashboard follows and how far it has read</td></tr>
 *   <tr><td>{@code /metrics.csv}, {@code /metrics.json}</td><td>the whole metric history, as downloads</td></tr>
 * </table>
 */
public final class DashboardServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DashboardServer.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What the page says it is watching. */
    public record Info(String title, String bootstrap, String topicPrefix) {}

    private final HttpServer http;
    private final ExecutorService executor;
    private final MetricStore store;
    private final Info info;
    private final byte[] page;
    private final byte[] echarts;
    /** What a request must present, or null (loopback only). */
    private final byte[] token;

    private DashboardServer(HttpServer http, ExecutorService executor, MetricStore store, Info info, String token)
            throws IOException {
        this.http = http;
        this.token = token == null ? null : token.getBytes(StandardCharsets.UTF_8);
        this.executor = executor;
        this.store = store;
        this.info = info;
        this.page = DashboardPage.html(info.title()).getBytes(StandardCharsets.UTF_8);
        try (InputStream in = HtmlReport.class.getResourceAsStream(HtmlReport.ECHARTS_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("ECharts not found on the classpath at " + HtmlReport.ECHARTS_RESOURCE
                        + "; the jobs module needs the dependency org.webjars.npm:echarts");
            }
            this.echarts = in.readAllBytes();
        }
    }

    /** Binds {@code settings.bind():settings.port()} and starts serving. */
    public static DashboardServer start(Dashboard.Settings settings, MetricStore store, Info info) throws IOException {
        HttpServer http = HttpServer.create(new InetSocketAddress(settings.bind(), settings.port()), 16);
        AtomicInteger n = new AtomicInteger();
        ExecutorService executor = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "loopline-dashboard-http-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        DashboardServer server;
        try {
            server = new DashboardServer(http, executor, store, info, settings.token());
        } catch (IOException | RuntimeException e) {
            http.stop(0);
            executor.shutdownNow();
            throw e;
        }
        http.setExecutor(executor);
        http.createContext("/", server::handle);
        http.start();
        return server;
    }

    public int port() {
        return http.getAddress().getPort();
    }

    /** The page's address; a wildcard bind is shown as 127.0.0.1. */
    public String url() {
        String host = http.getAddress().getAddress().isAnyLocalAddress() ? "127.0.0.1"
                : http.getAddress().getAddress().getHostAddress();
        if (host.contains(":")) {
            host = "[" + host + "]";
        }
        return "http://" + host + ":" + port() + "/"
                + (token == null ? "" : "?" + TOKEN_PARAMETER + "=" + java.net.URLEncoder.encode(new String(token, StandardCharsets.UTF_8), StandardCharsets.UTF_8));
    }

    private static final String TOKEN_PARAMETER = "token";
    private static final String TOKEN_COOKIE = "loopline_dashboard";

    /**
     * Whether the request may read the dashboard: no token is needed, or it presents it. A token in the query
     * becomes a cookie, so the page's own requests carry it without putting it in every address.
     */
    private boolean authorised(HttpExchange ex, Map<String, String> query) {
        if (token == null) {
            return true;
        }
        if (matches(query.get(TOKEN_PARAMETER))) {
            ex.getResponseHeaders().add("Set-Cookie", TOKEN_COOKIE + "=" + new String(token, StandardCharsets.UTF_8)
                    + "; Path=/; HttpOnly; SameSite=Strict");
            return true;
        }
        String authorization = ex.getRequestHeaders().getFirst("Authorization");
        if (authorization != null && authorization.startsWith("Bearer ") && matches(authorization.substring(7).strip())) {
            return true;
        }
        for (String header : ex.getRequestHeaders().getOrDefault("Cookie", List.of())) {
            for (String cookie : header.split(";")) {
                String c = cookie.strip();
                if (c.startsWith(TOKEN_COOKIE + "=") && matches(c.substring(TOKEN_COOKIE.length() + 1))) {
                    return true;
                }
            }
        }
        return false;
    }

    private boolean matches(String presented) {
        return presented != null && java.security.MessageDigest.isEqual(token, presented.getBytes(StandardCharsets.UTF_8));
    }

    private void handle(HttpExchange ex) {
        try (ex) {
            try {
                route(ex);
            } catch (IllegalArgumentException e) {
                send(ex, 400, "text/plain; charset=utf-8", (e.getMessage() + "\n").getBytes(StandardCharsets.UTF_8));
            }
        } catch (IOException | RuntimeException e) {
            LOG.debug("Dashboard request {} failed: {}", ex.getRequestURI(), e.toString());
        }
    }

    private void route(HttpExchange ex) throws IOException {
        String method = ex.getRequestMethod();
        if (!method.equals("GET") && !method.equals("HEAD")) {
            ex.getResponseHeaders().set("Allow", "GET, HEAD");
            send(ex, 405, "text/plain; charset=utf-8", "method not allowed\n".getBytes(StandardCharsets.UTF_8));
            return;
        }
        URI uri = ex.getRequestURI();
        Map<String, String> query = query(uri.getRawQuery());
        if (!authorised(ex, query)) {
            send(ex, 401, "text/plain; charset=utf-8", ("this dashboard needs its token: open the address it printed"
                    + " (...?token=...) or send Authorization: Bearer TOKEN\n").getBytes(StandardCharsets.UTF_8));
            return;
        }
        switch (uri.getPath()) {
            case "/", "/index.html" -> send(ex, 200, "text/html; charset=utf-8", page);
            case "/echarts.min.js" -> {
                ex.getResponseHeaders().set("Cache-Control", "max-age=86400");
                send(ex, 200, "application/javascript; charset=utf-8", echarts);
            }
            case "/api/metrics" -> sendJson(ex, metrics(query));
            case "/api/alerts" -> sendJson(ex, alerts());
            case "/api/models" -> sendJson(ex, models());
            case "/api/status" -> sendJson(ex, status());
            case "/metrics.csv" -> {
                ex.getResponseHeaders().set("Content-Disposition", "attachment; filename=\"loopline-metrics.csv\"");
                send(ex, 200, "text/csv; charset=utf-8", csv());
            }
            case "/metrics.json" -> {
                ex.getResponseHeaders().set("Content-Disposition", "attachment; filename=\"loopline-metrics.json\"");
                send(ex, 200, "application/json", historyJson());
            }
            default -> send(ex, 404, "text/plain; charset=utf-8", ("not found: " + uri.getPath() + "\n")
                    .getBytes(StandardCharsets.UTF_8));
        }
    }

    private static void send(HttpExchange ex, int status, String type, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", type);
        ex.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        if (!ex.getResponseHeaders().containsKey("Cache-Control")) {
            ex.getResponseHeaders().set("Cache-Control", "no-store");
        }
        boolean head = ex.getRequestMethod().equals("HEAD");
        ex.sendResponseHeaders(status, head ? -1 : body.length == 0 ? -1 : body.length);
        if (!head && body.length > 0) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private static void sendJson(HttpExchange ex, Object value) throws IOException {
        send(ex, 200, "application/json", JSON.writeValueAsBytes(value));
    }

    static Map<String, String> query(String raw) {
        Map<String, String> q = new HashMap<>();
        if (raw == null || raw.isEmpty()) {
            return q;
        }
        for (String part : raw.split("&")) {
            int eq = part.indexOf('=');
            String k = java.net.URLDecoder.decode(eq < 0 ? part : part.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : java.net.URLDecoder.decode(part.substring(eq + 1), StandardCharsets.UTF_8);
            q.put(k, v);
        }
        return q;
    }

    private static long longParam(Map<String, String> q, String name) {
        String v = q.get(name);
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + "=" + v + " is not a whole number; give " + name
                    + (name.equals("since") ? "=EPOCH_MILLIS" : "=CURSOR (from the last response)"));
        }
    }

    // ------------------------------------------------------------------------------------------
    // API bodies

    Map<String, Object> metrics(Map<String, String> q) {
        long cursor = store.cursor();
        List<MetricStore.Point> points = q.containsKey("after") ? store.pointsAfter(longParam(q, "after"))
                : q.containsKey("since") ? store.pointsSince(longParam(q, "since")) : store.pointsAfter(0);
        Map<String, List<List<Object>>> series = new LinkedHashMap<>();
        Map<String, String> units = new LinkedHashMap<>();
        for (MetricStore.Point p : points) {
            if (p.seq() >= cursor) {
                break; // arrived after the cursor was taken: the next poll gets it
            }
            List<Object> row = new ArrayList<>(4);
            row.add(p.windowEnd());
            row.add(number(p.value()));
            if (Double.isFinite(p.low()) || Double.isFinite(p.high())) {
                row.add(number(p.low()));
                row.add(number(p.high()));
            }
            series.computeIfAbsent(p.series(), k -> new ArrayList<>()).add(row);
            units.putIfAbsent(p.series(), p.unit());
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("epoch", store.epoch());
        body.put("cursor", cursor);
        body.put("now", System.currentTimeMillis());
        body.put("series", series);
        body.put("units", units);
        return body;
    }

    Map<String, Object> alerts() {
        List<Map<String, Object>> list = new ArrayList<>();
        for (MetricStore.Alert a : store.alerts()) {
            DriftAlert d = a.alert();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("firedAt", d.firedAt());
            m.put("detector", d.detector());
            m.put("metric", d.metric());
            m.put("scope", d.scope());
            m.put("key", d.key());
            m.put("delta", number(d.delta()));
            m.put("direction", d.direction());
            m.put("meanBefore", number(d.meanBefore()));
            m.put("meanAfter", number(d.meanAfter()));
            m.put("window", d.window());
            m.put("onTopic", a.onTopic());
            list.add(m);
        }
        return Map.of("alerts", list);
    }

    Map<String, Object> models() {
        List<Map<String, Object>> list = new ArrayList<>();
        for (MetricStore.Model v : store.models()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("modelId", v.modelId());
            m.put("version", v.version());
            m.put("parent", v.parent());
            m.put("status", v.status());
            m.put("appendedAt", v.appendedAt());
            m.put("createdAt", v.createdAt());
            Map<String, Object> figures = new LinkedHashMap<>();
            v.metrics().forEach((k, x) -> figures.put(k, number(x)));
            m.put("metrics", figures);
            list.add(m);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("models", list);
        body.put("deadLetters", store.deadLetters());
        body.put("deadLetterReasons", store.deadLetterReasons());
        return body;
    }

    Map<String, Object> status() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("title", info.title());
        m.put("bootstrap", info.bootstrap());
        m.put("topicPrefix", info.topicPrefix());
        m.put("caughtUp", store.caughtUp());
        m.put("lastRecordAt", store.lastRecordAt());
        m.put("cursor", store.cursor());
        m.put("deadLetters", store.deadLetters());
        m.put("unreadable", store.unreadable());
        m.put("now", System.currentTimeMillis());
        return m;
    }

    private static Double number(double d) {
        return Double.isFinite(d) ? d : null;
    }

    // ------------------------------------------------------------------------------------------
    // Downloads

    static final String CSV_HEADER = "name,scope,key,windowEnd,value,low,high,unit";

    byte[] csv() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (Writer w = new OutputStreamWriter(bytes, StandardCharsets.UTF_8)) {
            w.write(CSV_HEADER);
            w.write('\n');
            for (MetricStore.Point p : store.pointsAfter(0)) {
                w.write(csvField(p.name()));
                w.write(',');
                w.write(p.scope());
                w.write(',');
                w.write(csvField(p.key()));
                w.write(',');
                w.write(Long.toString(p.windowEnd()));
                w.write(',');
                w.write(csvNumber(p.value()));
                w.write(',');
                w.write(csvNumber(p.low()));
                w.write(',');
                w.write(csvNumber(p.high()));
                w.write(',');
                w.write(csvField(p.unit()));
                w.write('\n');
            }
        }
        return bytes.toByteArray();
    }

    private static String csvNumber(double d) {
        return Double.isFinite(d) ? Double.toString(d) : "";
    }

    static String csvField(String s) {
        if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) {
            return s;
        }
        return '"' + s.replace("\"", "\"\"") + '"';
    }

    byte[] historyJson() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JsonGenerator g = JSON.getFactory().createGenerator(bytes)) {
            g.writeStartObject();
            g.writeStringField("bootstrap", info.bootstrap());
            g.writeStringField("topicPrefix", info.topicPrefix());
            g.writeArrayFieldStart("metrics");
            for (MetricStore.Point p : store.pointsAfter(0)) {
                g.writeStartObject();
                g.writeStringField("name", p.name());
                g.writeStringField("scope", p.scope());
                g.writeStringField("key", p.key());
                g.writeNumberField("windowEnd", p.windowEnd());
                writeNumber(g, "value", p.value());
                writeNumber(g, "low", p.low());
                writeNumber(g, "high", p.high());
                g.writeStringField("unit", p.unit());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        return bytes.toByteArray();
    }

    private static void writeNumber(JsonGenerator g, String name, double d) throws IOException {
        if (Double.isFinite(d)) {
            g.writeNumberField(name, d);
        } else {
            g.writeNullField(name);
        }
    }

    @Override
    public void close() {
        http.stop(0);
        executor.shutdownNow();
    }
}
