package dev.loopline.jobs.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.loopline.schemas.MetricEvent;
import dev.loopline.schemas.MetricScope;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The HTTP side over a store fed by hand: no Kafka, milliseconds. */
class DashboardServerTest {
    private static final long START = 1_700_000_000_000L;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final MetricStore store = new MetricStore();
    private final HttpClient http = HttpClient.newHttpClient();
    private DashboardServer server;

    @BeforeEach
    void start() throws Exception {
        for (int i = 1; i <= 5; i++) {
            store.addMetric(metric("reward.mean", START + i * 1000L, 0.5 + i / 100.0, null, null, ""));
        }
        store.addMetric(metric("gate.candidate", START + 3000L, 1, -0.01, 0.04, "squarecb"));
        store.addMetric(new DriftAlert("adwin", "reward", "GLOBAL", "", START + 4000L, -0.2, Double.NaN, Double.NaN, 0).toMetric());
        server = DashboardServer.start(Dashboard.Settings.local(0), store, new DashboardServer.Info("t", "b:1", "loopline"));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private static MetricEvent metric(String name, long end, double value, Double low, Double high, String key) {
        return MetricEvent.newBuilder().setName(name).setScope(key.isEmpty() ? MetricScope.GLOBAL : MetricScope.POLICY)
                .setKey(key).setWindowEnd(end).setValue(value).setLow(low).setHigh(high).setUnit("reward").build();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(server.url()).resolve(path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void servesThePageAndTheChartingLibraryFromTheWebJarOnLoopback() throws Exception {
        assertTrue(server.url().startsWith("http://127.0.0.1:"), server.url());
        HttpResponse<String> page = get("/");
        assertEquals(200, page.statusCode());
        String body = page.body();
        int inlineScript = body.lastIndexOf("<script>");
        assertTrue(inlineScript > 0 && body.indexOf("function render()", inlineScript) > 0,
                "the page's own script is the application, not a chart's markup");
        for (String id : DashboardPage.CHART_IDS) {
            int at = body.indexOf("id=\"" + id + "\"");
            assertTrue(at > 0 && at < inlineScript, id + " is on the page, before the script");
        }
        assertTrue(page.body().contains("<script src=\"/echarts.min.js\">"));
        assertTrue(!page.body().contains("http://") && !page.body().contains("https://"), "no outside address on the page");
        HttpResponse<String> js = get("/echarts.min.js");
        assertEquals(200, js.statusCode());
        assertTrue(js.body().length() > 500_000 && js.body().contains("echarts"));
        assertEquals(404, get("/nothing").statusCode());
    }

    @Test
    void metricsComeBySeriesWithIntervalsAndACursorForWhatIsNew() throws Exception {
        JsonNode all = JSON.readTree(get("/api/metrics").body());
        assertEquals(7, all.get("cursor").asLong());
        assertEquals(5, all.get("series").get("reward.mean").size());
        JsonNode gate = all.get("series").get("gate.candidate[squarecb]").get(0);
        assertEquals(4, gate.size());
        assertEquals(-0.01, gate.get(2).asDouble());

        JsonNode since = JSON.readTree(get("/api/metrics?since=" + (START + 3000L)).body());
        assertEquals(2, since.get("series").get("reward.mean").size(), "windows ending after 3 s");

        JsonNode none = JSON.readTree(get("/api/metrics?after=7").body());
        assertEquals(0, none.get("series").size());
        store.addMetric(metric("reward.mean", START + 6000L, 0.7, null, null, ""));
        JsonNode next = JSON.readTree(get("/api/metrics?after=7").body());
        assertEquals(1, next.get("series").get("reward.mean").size());
        assertEquals(8, next.get("cursor").asLong());
        assertEquals(400, get("/api/metrics?since=yesterday").statusCode());
    }

    @Test
    void alertsModelsAndTheDownloads() throws Exception {
        JsonNode alerts = JSON.readTree(get("/api/alerts").body()).get("alerts");
        assertEquals(1, alerts.size());
        assertEquals("down", alerts.get(0).get("direction").asText());
        assertEquals(START + 4000L, alerts.get(0).get("firedAt").asLong());
        assertTrue(alerts.get(0).get("onTopic").asBoolean());
        assertEquals(0, JSON.readTree(get("/api/models").body()).get("models").size());

        HttpResponse<String> csv = get("/metrics.csv");
        String[] lines = csv.body().split("\n");
        assertEquals(DashboardServer.CSV_HEADER, lines[0]);
        assertEquals(8, lines.length);
        assertTrue(lines[6].startsWith("gate.candidate,POLICY,squarecb," + (START + 3000L) + ",1.0,-0.01,0.04,"), lines[6]);
        assertTrue(csv.headers().firstValue("Content-Disposition").orElse("").contains("attachment"));

        JsonNode json = JSON.readTree(get("/metrics.json").body());
        assertEquals(7, json.get("metrics").size());
        assertTrue(json.get("metrics").get(0).get("low").isNull());
        assertEquals("drift.alert.reward", json.get("metrics").get(6).get("name").asText());
    }

    /** Bound beyond loopback it needs a token: in the printed address, then as a cookie, or as a bearer token. */
    @Test
    void aDashboardWithATokenRefusesRequestsWithoutIt() throws Exception {
        assertEquals(null, new Dashboard.Settings("127.0.0.1", 0).token(), "loopback goes without");
        assertTrue(new Dashboard.Settings("0.0.0.0", 0).token().length() >= 16, "every interface gets a token");
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new Dashboard.Settings("0.0.0.0", 0, null));
        String token = "a-token-of-some-length";
        try (DashboardServer guarded = DashboardServer.start(new Dashboard.Settings("127.0.0.1", 0, token), store,
                new DashboardServer.Info("t", "b:1", "loopline"))) {
            assertTrue(guarded.url().endsWith("/?token=" + token), guarded.url());
            URI base = URI.create(guarded.url());
            HttpResponse<String> refused = http.send(HttpRequest.newBuilder(base.resolve("/api/status")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(401, refused.statusCode());
            assertEquals(401, http.send(HttpRequest.newBuilder(base.resolve("/api/status?token=wrong-token-wrong-token")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode());
            HttpResponse<String> page = http.send(HttpRequest.newBuilder(base).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, page.statusCode());
            String cookie = page.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
            assertEquals(200, http.send(HttpRequest.newBuilder(base.resolve("/api/status")).header("Cookie", cookie).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode(), "the page's own requests carry the cookie");
            assertEquals(200, http.send(HttpRequest.newBuilder(base.resolve("/api/status"))
                    .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString()).statusCode());
        }
    }
}
