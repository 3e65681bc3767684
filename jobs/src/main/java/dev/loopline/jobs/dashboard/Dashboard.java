package dev.loopline.jobs.dashboard;

import dev.loopline.jobs.Topics;
import dev.loopline.schemas.DeadLetter;
import dev.loopline.schemas.MetricEvent;
import dev.loopline.schemas.ModelVersion;
import dev.loopline.schemas.codec.RecordRejectedException;
import java.io.IOException;
import java.util.Map;

/**
 * The live dashboard of one loop: follows the loop's output topics and serves the page and its API.
 * Works the same for the embedded demo and for any running loop. It only reads: drift alerts are
 * detected in the job ({@code DriftFunction}) and arrive as {@code drift.alert.*} records on the metrics
 * topic like every other metric, so any number of dashboards show the same alerts and write none.
 */
public final class Dashboard implements AutoCloseable {

    /**
     * Where the page is served, and who may read it.
     *
     * @param bind  address to bind, {@value #LOCAL} unless the page must be reachable from other machines
     * @param port  TCP port, 0 for a free one
     * @param token what a request must present (query {@code ?token=}, then a cookie; or {@code Authorization:
     *              Bearer}), or null for none: only a loopback address may go without
     */
    public record Settings(String bind, int port, String token) {
        public static final String LOCAL = "127.0.0.1";
        /** The token of a dashboard bound beyond loopback; a random one is made (and printed in its URL) without it. */
        public static final String TOKEN_VARIABLE = "LOOPLINE_DASHBOARD_TOKEN";
        private static final int MIN_TOKEN_LENGTH = 16;

        /** Bound to {@code bind}: no token on a loopback address, else {@value #TOKEN_VARIABLE} or a random one. */
        public Settings(String bind, int port) {
            this(bind, port, loopback(bind) ? null : tokenFrom(System.getenv(TOKEN_VARIABLE)));
        }

        public Settings {
            if (token != null && token.length() < MIN_TOKEN_LENGTH) {
                throw new IllegalArgumentException("the dashboard token must have at least " + MIN_TOKEN_LENGTH
                        + " characters (" + TOKEN_VARIABLE + ")");
            }
            if (token == null && bind != null && !bind.isBlank() && !loopback(bind)) {
                throw new IllegalArgumentException("a dashboard bound to " + bind + " is reachable from other machines"
                        + " and needs a token");
            }
            if (bind == null || bind.isBlank()) {
                throw new IllegalArgumentException("--dashboard-bind must name an address, e.g. " + LOCAL
                        + " (this machine only) or 0.0.0.0 (every interface)");
            }
            if (port < 0 || port > 65_535) {
                throw new IllegalArgumentException("dashboard port " + port + " is outside [0, 65535]; 0 picks a free port");
            }
        }

        public static Settings local(int port) {
            return new Settings(LOCAL, port, null);
        }

        private static boolean loopback(String bind) {
            try {
                return java.net.InetAddress.getByName(bind).isLoopbackAddress();
            } catch (java.net.UnknownHostException e) {
                throw new IllegalArgumentException("--dashboard-bind " + bind + ": unknown address", e);
            }
        }

        private static String tokenFrom(String configured) {
            if (configured != null && !configured.isBlank()) {
                return configured.strip();
            }
            byte[] random = new byte[24];
            new java.security.SecureRandom().nextBytes(random);
            return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        }
    }

    private final MetricStore store = new MetricStore();
    private final OutputFollower follower;
    private final DashboardServer server;

    private Dashboard(Settings settings, String bootstrap, Map<String, String> clientProperties, Topics topics,
            String title) throws IOException {
        OutputFollower f = null;
        DashboardServer s = null;
        try {
            f = new OutputFollower(bootstrap, clientProperties, topics.metrics(), topics.deadLetter(), topics.models(),
                    new Feed());
            s = DashboardServer.start(settings, store, new DashboardServer.Info(title, bootstrap, topics.prefix()));
        } catch (IOException | RuntimeException e) {
            closeQuietly(f);
            throw e;
        }
        follower = f;
        server = s;
    }

    /**
     * Starts following the loop whose topics are {@code topics} at {@code bootstrap} and serves the page.
     *
     * @throws IllegalStateException when the loop's metrics topic does not exist
     * @throws IOException           when the address cannot be bound
     */
    public static Dashboard start(Settings settings, String bootstrap, Map<String, String> clientProperties,
            Topics topics, String title) throws IOException {
        return new Dashboard(settings, bootstrap, clientProperties, topics, title);
    }

    /**
     * The same, for callers written when the dashboard ran its own drift detector and needed the loop's
     * default reward to take timed-out decisions out; the job does that now, so it is not used.
     */
    public static Dashboard start(Settings settings, String bootstrap, Map<String, String> clientProperties,
            Topics topics, double defaultReward, String title) throws IOException {
        return start(settings, bootstrap, clientProperties, topics, title);
    }

    public int port() {
        return server.port();
    }

    /** The page's address, e.g. {@code http://127.0.0.1:8080/}. */
    public String url() {
        return server.url();
    }

    public MetricStore store() {
        return store;
    }

    /** Runs on the follower's thread. */
    private final class Feed implements OutputFollower.Listener {
        @Override
        public void onMetric(MetricEvent m, long appendedAt) {
            store.addMetric(m);
        }

        @Override
        public void onCaughtUp() {
            store.markCaughtUp();
        }

        @Override
        public void onDeadLetter(DeadLetter d, long appendedAt) {
            store.addDeadLetter(d);
        }

        @Override
        public void onModel(ModelVersion v, long appendedAt) {
            store.addModel(v, appendedAt);
        }

        @Override
        public void onUnreadable(String topic, RecordRejectedException e) {
            store.addUnreadable();
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c != null) {
            try {
                c.close();
            } catch (Exception ignored) {
                // already failing; the first error is the one to report
            }
        }
    }

    @Override
    public void close() {
        server.close();
        closeQuietly(follower);
    }
}
