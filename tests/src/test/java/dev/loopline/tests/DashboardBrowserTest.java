package dev.loopline.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.loopline.jobs.JobConfig;
import dev.loopline.jobs.Topics;
import dev.loopline.jobs.dashboard.Dashboard;
import dev.loopline.jobs.demo.DemoRun;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The live dashboard of a running embedded loop, looked at by a real browser: the demo runs in the
 * background with its dashboard on a free port, the error memory on and a strong drift injected halfway. A second dashboard
 * follows the demo's broker from outside, as {@code loopline dashboard --bootstrap} does (it outlives the
 * demo, so the browser is never racing the end of the run); once it has an alert for the drift, headless
 * Chromium (Debian's {@code chromium}) loads its page, the DOM is checked (every chart holds data points,
 * the alert the job raised is in the table) and, after the run, a screenshot of the whole run is written to
 * {@code tests/target/dashboard.png} for people to look at (the DOM the browser saw next to it).
 *
 * <p>Like a Testcontainers test without Docker, it runs when a system Chromium is found (on the PATH as
 * {@code chromium} or {@code chromium-browser}, or named by {@code -Dloopline.chromium=PATH}) and is
 * reported as skipped, with the install line, when none is. CI passes {@code -Dloopline.browser.required=true},
 * which turns a missing Chromium into a failure, so the browser check can never be skipped there silently.
 */
class DashboardBrowserTest {
    private static final String INSTALL = "apt-get install -y chromium chromium-driver (or -Dloopline.chromium=PATH)";
    private static final Path CHROMIUM = chromiumBinary().orElse(null);
    private static final long SECONDS = 32;
    private static final long DRIFT_AT_MILLIS = 16_000;
    private static final long SEED = 7;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> CHARTS = List.of("chart-reward", "chart-regret", "chart-model", "chart-latency",
            "chart-ope", "chart-ope-online", "chart-explore", "chart-feedback", "chart-memory");

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void aRunningLoopsDashboardDrawsEveryChartAndShowsTheInjectedDriftAsAnAlert() throws Exception {
        if (Boolean.getBoolean("loopline.browser.required")) {
            assertTrue(CHROMIUM != null, "loopline.browser.required is set but no headless Chromium was found: " + INSTALL);
        }
        assumeTrue(CHROMIUM != null, "no system Chromium to test the dashboard in a browser: " + INSTALL);
        ByteArrayOutputStream consoleBytes = new ByteArrayOutputStream();
        PrintStream console = new PrintStream(consoleBytes, true, StandardCharsets.UTF_8);
        ExecutorService background = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "dashboard-test-demo");
            t.setDaemon(true);
            return t;
        });
        try {
            Future<Map<String, Object>> demo = background.submit(() -> DemoRun.run(new DemoRun.Options(SECONDS, 0, SEED,
                    0, 0, "squarecb", JobConfig.EXACTLY_ONCE, null, null, false, false, false, false,
                    Dashboard.Settings.local(0), DRIFT_AT_MILLIS),
                    new DemoRun.Extras("payments", 0, null, true, Map.of()), console));
            Supplier<String> log = () -> consoleBytes.toString(StandardCharsets.UTF_8);
            String demoUrl = await("the demo dashboard's URL on the console", Duration.ofSeconds(90), demo, log,
                    () -> find(log.get(), "Dashboard: (http://127\\.0\\.0\\.1:\\d+/)"));
            assertTrue(get(demoUrl + "api/status").contains("\"title\":\"Loopline demo"), "the demo serves its dashboard");
            String bootstrap = find(log.get(), "Kafka broker \\(KRaft, in-JVM\\) at (\\S+),").orElseThrow();
            try (Dashboard outside = Dashboard.start(Dashboard.Settings.local(0), bootstrap, Map.of(), Topics.defaults(), 0,
                    "Loopline demo, followed from outside")) {
                checkWhileRunning(outside.url(), demo, log);
                Map<String, Object> summary = demo.get(180, TimeUnit.SECONDS);
                assertEquals(summary.get("contextEvents"), summary.get("uniqueDecisionIds"), "every event decided once");
                // The dashboard keeps what it read after the loop is gone: the screenshot shows the whole run.
                screenshot(outside.url());
            }
        } finally {
            background.shutdownNow();
            System.out.println(consoleBytes.toString(StandardCharsets.UTF_8));
        }
    }

    private void checkWhileRunning(String url, Future<?> demo, Supplier<String> log) throws Exception {
        // The signal to wait for: a fall of the reward detected after the injected drift (published and read back).
        JsonNode alert = await("a drift alert after the injected drift", Duration.ofSeconds(150), demo, log,
                () -> alertAfterInjection(url));
        long injectedAt = injectedAt(url).orElseThrow();
        long delay = alert.get("firedAt").asLong() - injectedAt;
        // Measured on 2 busy cores: 5 s (the reward windows are by feedback time, a second or two after the
        // decisions, and metrics become visible with the 2 s checkpoints).
        assertTrue(delay >= 0 && delay <= 20_000, "alert " + delay + " ms after the drift: " + alert);
        assertEquals("adwin", alert.get("detector").asText());
        assertEquals("reward", alert.get("metric").asText(), "an alert on the reward stream, raised in the job");
        assertTrue(alert.get("delta").asDouble() <= -0.05, "the reward fell: " + alert);
        assertTrue(alert.get("onTopic").asBoolean(), "the job wrote the alert to the metrics topic");
        String csv = get(url + "metrics.csv");
        assertTrue(csv.startsWith("name,scope,key,windowEnd,value,low,high,unit\n") && csv.contains("\nreward.mean,GLOBAL,,"));
        JsonNode history = JSON.readTree(get(url + "metrics.json")).get("metrics");
        assertTrue(contains(history, "drift.alert.reward") && contains(history, "latency.p99") && contains(history, "gate.serving"));

        String dom = chromium(List.of("--dump-dom", "--virtual-time-budget=4000", url), "dump-dom");
        Files.writeString(target("dashboard-dom.html"), dom, StandardCharsets.UTF_8);
        assertTrue(dom.contains("<title>Loopline demo"), "page title in " + head(dom));
        assertTrue(dom.contains("class=\"sub live\""), "the page reached the API: " + statusLine(dom));
        for (String id : CHARTS) {
            Matcher m = Pattern.compile("id=\"" + id + "\"[^>]*data-points=\"(\\d+)\"").matcher(dom);
            assertTrue(m.find(), id + " not on the page");
            assertTrue(Integer.parseInt(m.group(1)) > 0, id + " holds no data points");
        }
        assertTrue(count(dom, "<canvas") >= CHARTS.size(), "ECharts drew a canvas per chart");
        Matcher row = Pattern.compile("<tr class=\"alert down\"[^>]*data-metric=\"reward\" data-detector=\"adwin\"")
                .matcher(dom);
        assertTrue(row.find(), "the alert is in the table: " + section(dom, "id=\"alerts\""));
        assertTrue(dom.contains("data-alerts-down=\"") && !dom.contains("data-alerts-down=\"0\""), "summary counts the fall");
    }

    private void screenshot(String url) throws Exception {
        Path screenshot = target("dashboard.png");
        Files.deleteIfExists(screenshot);
        chromium(List.of("--screenshot=" + screenshot, "--window-size=1280,2900", "--hide-scrollbars",
                "--virtual-time-budget=4000", url), "screenshot");
        assertTrue(Files.size(screenshot) > 50_000, "a screenshot with charts, not a blank page: " + Files.size(screenshot));
        System.out.println("Dashboard screenshot: " + screenshot);
    }

    /** A file under tests/target, for people to look at after the run. */
    private static Path target(String name) throws IOException {
        Path dir = Path.of(System.getProperty("basedir", "."), "target").toAbsolutePath();
        Files.createDirectories(dir);
        return dir.resolve(name);
    }

    private static Optional<String> find(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

    /** The newest alert of a fall at or after the injected drift's window, if there is one yet. */
    private Optional<JsonNode> alertAfterInjection(String url) throws IOException, InterruptedException {
        Optional<Long> injected = injectedAt(url);
        if (injected.isEmpty()) {
            return Optional.empty();
        }
        for (JsonNode a : JSON.readTree(get(url + "api/alerts")).get("alerts")) {
            // The residual stream may alert first (the model's errors move too); the drift is a fall of the reward.
            if (a.get("metric").asText().equals("reward") && a.get("direction").asText().equals("down")
                    && a.get("firedAt").asLong() >= injected.get() && a.get("onTopic").asBoolean()) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }

    private Optional<Long> injectedAt(String url) throws IOException, InterruptedException {
        JsonNode points = JSON.readTree(get(url + "api/metrics")).get("series").get("drift.injected");
        return points == null || points.isEmpty() ? Optional.empty() : Optional.of(points.get(0).get(0).asLong());
    }

    private String get(String url) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), url);
        return r.body();
    }

    private interface Probe<T> {
        Optional<T> poll() throws Exception;
    }

    /** Polls {@code probe} until it has a value, the demo fails, or the deadline passes. */
    private static <T> T await(String what, Duration limit, Future<?> demo, Supplier<String> log, Probe<T> probe)
            throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<T> value = probe.poll();
            if (value.isPresent()) {
                return value.get();
            }
            if (demo.isDone()) {
                try {
                    demo.get();
                } catch (ExecutionException e) {
                    throw new AssertionError("the demo failed before " + what + "; console:\n" + log.get(), e.getCause());
                }
                fail("the demo ended before " + what + "; console:\n" + log.get());
            }
            try {
                demo.get(250, TimeUnit.MILLISECONDS); // waits on the demo, not a fixed sleep
            } catch (TimeoutException stillRunning) {
                // poll again
            }
        }
        throw new AssertionError("no " + what + " within " + limit.toSeconds() + " s; console:\n" + log.get());
    }

    /** Runs headless Chromium with a throw-away profile; returns its standard output. */
    private String chromium(List<String> args, String name) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--disable-dev-shm-usage", "--user-data-dir=" + dir.resolve("profile-" + name)));
        command.addAll(args);
        Path out = dir.resolve(name + ".out");
        Path err = dir.resolve(name + ".err");
        Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(90, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("chromium " + name + " did not finish within 90 s; stderr:\n" + tail(Files.readString(err)));
        }
        assertEquals(0, p.exitValue(), "chromium " + name + " failed; stderr:\n" + tail(Files.readString(err)));
        return Files.readString(out, StandardCharsets.UTF_8);
    }

    private static boolean contains(JsonNode metrics, String name) {
        for (JsonNode m : metrics) {
            if (m.get("name").asText().equals(name)) {
                return true;
            }
        }
        return false;
    }

    private static int count(String s, String part) {
        int n = 0;
        for (int i = s.indexOf(part); i >= 0; i = s.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }

    private static String head(String s) {
        return s.substring(0, Math.min(400, s.length()));
    }

    private static String tail(String s) {
        return s.substring(Math.max(0, s.length() - 2000));
    }

    private static String statusLine(String dom) {
        return section(dom, "id=\"status\"");
    }

    private static String section(String dom, String marker) {
        int i = dom.indexOf(marker);
        return i < 0 ? "(" + marker + " not found)" : dom.substring(i, Math.min(dom.length(), i + 1500));
    }

    /** {@code -Dloopline.chromium}, else the first of {@code chromium} and {@code chromium-browser} on the PATH. */
    private static Optional<Path> chromiumBinary() {
        String named = System.getProperty("loopline.chromium");
        if (named != null && !named.isBlank()) {
            return Optional.of(Path.of(named)).filter(Files::isExecutable);
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            for (String name : List.of("chromium", "chromium-browser")) {
                Path candidate = Path.of(dir.isEmpty() ? "." : dir, name);
                if (Files.isExecutable(candidate)) {
                    return Optional.of(candidate);
                }
            }
        }
        return Optional.empty();
    }
}
