package dev.loopline.envs.payments;

import dev.loopline.envs.Environment;
import dev.loopline.envs.Outcome;
import dev.loopline.envs.Seeds;
import dev.loopline.schemas.Action;
import dev.loopline.schemas.ContextEvent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Payment routing: for each card payment of a merchant, choose the acquiring route that is most
 * likely to authorise it.
 *
 * <h2>State (context features of each {@link ContextEvent})</h2>
 * The entity is the merchant, {@code merchant-NN}; a merchant has a fixed category, a home region and
 * a home currency mix drawn from the seed. Features (names are stable):
 * <ul>
 *   <li>{@code amount_log}: log10(1 + amount) / 5, clamped to [0, 1] (amount in major units,
 *       log-normal around a category median: retail 40, travel 350, digital 12, gaming 25);</li>
 *   <li>{@code currency_eur}, {@code currency_usd}, {@code currency_gbp}: one-hot;</li>
 *   <li>{@code network_visa}, {@code network_mastercard}, {@code network_amex}: one-hot;</li>
 *   <li>{@code region_eu}, {@code region_us}, {@code region_uk}, {@code region_other}: issuer region,
 *       one-hot;</li>
 *   <li>{@code category_retail}, {@code category_travel}, {@code category_digital},
 *       {@code category_gaming}: merchant category, one-hot;</li>
 *   <li>{@code hour_sin}, {@code hour_cos}: sin and cos of 2&pi;&middot;hour/24 of the payer's local
 *       hour, in [-1, 1] ({@code hour_cos} = 1 at midnight). The hour is drawn per event (a compressed
 *       day), not derived from the event time.</li>
 * </ul>
 *
 * <h2>Actions</h2>
 * Routes {@code route-0} .. {@code route-(routes-1)}. Each route is unavailable in an event with
 * probability {@code unavailability}, but at least two routes are always offered. Action features:
 * {@code fee} (the route's fee, normalised to [0, 1]) and {@code latency} (its latency estimate,
 * normalised to [0, 1]); both carry a little per-event jitter.
 *
 * <h2>Reward</h2>
 * 1 when the payment is authorised, 0 otherwise; with a {@link PaymentsConfig#feeWeight() fee weight} w
 * above 0, an authorised payment earns {@code 1 - w · fee} of the route's current fee instead. The authorisation probability of route k is
 * sigmoid(logit_k) with context interactions, so that the best route depends on the context:
 * <ul>
 *   <li>route-0: strong for eu issuers and EUR, weak for amex;</li>
 *   <li>route-1: a generalist, the best single route on average, mediocre everywhere;</li>
 *   <li>route-2: strong for us issuers and visa, weak for gaming and large amounts;</li>
 *   <li>route-3: strong for amex and travel;</li>
 *   <li>route-4: good at night and for digital and gaming, weak for large amounts.</li>
 * </ul>
 * With the defaults, choosing the best offered route per context earns about 0.86, a uniformly
 * random route about 0.54, and the best fixed route (route-1) about 0.65 (measured in the unit test).
 * {@code oracleRewards} holds the authorisation probability of every offered route.
 *
 * <h2>Delay</h2>
 * Feedback arrives after a delay drawn from {@link PaymentsConfig#delays()} (by default: 80% within 2 s,
 * 14% in 2–6 s, 4% in 30–90 s, 2% never).
 *
 * <h2>Drift</h2>
 * From {@code degradeAfterMillis} of event time after the first event on, the success probability of
 * {@code degradeRoute} is multiplied by {@code degradedSuccess}; both {@code oracleRewards} and the
 * outcomes follow. {@link PaymentsConfig#incidents() Incidents} add to it: an {@link
 * PaymentsIncident.Outage issuer outage} multiplies the success of one route (or all) for cards of one
 * issuer region (or all) during a window of event time, and a {@link PaymentsIncident.FeeChange fee
 * change} sets a route's fee from a point on (the {@code fee} action feature shows it, and the reward
 * pays it when the fee weight is above 0).
 *
 * <h2>Determinism</h2>
 * Event i is drawn from a random stream derived from (seed, i); the outcome of an event is drawn from a
 * stream derived from (seed, eventId), with one uniform draw shared by all actions (common random
 * numbers), so a replayed decision gets the same outcome. {@link #next(long)} must be called from one
 * thread; {@link #outcome(ContextEvent, String)} is thread-safe.
 */
public final class PaymentsSimulator implements Environment {

    public static final String NAME = "payments";
    public static final int MAX_ROUTES = 5;

    public static final String AMOUNT_LOG = "amount_log";
    public static final String CURRENCY_EUR = "currency_eur";
    public static final String CURRENCY_USD = "currency_usd";
    public static final String CURRENCY_GBP = "currency_gbp";
    public static final String NETWORK_VISA = "network_visa";
    public static final String NETWORK_MASTERCARD = "network_mastercard";
    public static final String NETWORK_AMEX = "network_amex";
    public static final String REGION_EU = "region_eu";
    public static final String REGION_US = "region_us";
    public static final String REGION_UK = "region_uk";
    public static final String REGION_OTHER = "region_other";
    public static final String CATEGORY_RETAIL = "category_retail";
    public static final String CATEGORY_TRAVEL = "category_travel";
    public static final String CATEGORY_DIGITAL = "category_digital";
    public static final String CATEGORY_GAMING = "category_gaming";
    public static final String HOUR_SIN = "hour_sin";
    public static final String HOUR_COS = "hour_cos";
    public static final String FEE = "fee";
    public static final String LATENCY = "latency";

    private static final String[] CURRENCIES = {CURRENCY_EUR, CURRENCY_USD, CURRENCY_GBP};
    private static final String[] NETWORKS = {NETWORK_VISA, NETWORK_MASTERCARD, NETWORK_AMEX};
    private static final String[] REGIONS = {REGION_EU, REGION_US, REGION_UK, REGION_OTHER};
    /** Issuer regions as incidents name them. */
    public static final List<String> REGION_NAMES = List.of("eu", "us", "uk", "other");
    private static final String[] CATEGORIES = {CATEGORY_RETAIL, CATEGORY_TRAVEL, CATEGORY_DIGITAL, CATEGORY_GAMING};
    private static final double[] CATEGORY_MEDIAN_AMOUNT = {40, 350, 12, 25};
    private static final double[] REGION_WEIGHTS = {0.40, 0.30, 0.15, 0.15};
    private static final double[] ROUTE_FEE = {0.30, 0.50, 0.40, 0.80, 0.20};
    private static final double[] ROUTE_LATENCY = {0.30, 0.20, 0.40, 0.60, 0.50};

    private static final List<String> CONTEXT_FEATURES = List.of(
            AMOUNT_LOG, CURRENCY_EUR, CURRENCY_USD, CURRENCY_GBP,
            NETWORK_VISA, NETWORK_MASTERCARD, NETWORK_AMEX,
            REGION_EU, REGION_US, REGION_UK, REGION_OTHER,
            CATEGORY_RETAIL, CATEGORY_TRAVEL, CATEGORY_DIGITAL, CATEGORY_GAMING,
            HOUR_SIN, HOUR_COS);
    private static final List<String> ACTION_FEATURES = List.of(FEE, LATENCY);

    private final PaymentsConfig config;
    private final String[] routeIds;
    private final String[] merchantIds;
    private final int[] merchantCategory;
    private final int[] merchantRegion;
    private final double[][] merchantCurrencyMix;
    private final int degradeIndex;
    private final String eventIdPrefix;
    private long index;
    private volatile long firstEventTime = Long.MIN_VALUE;

    public PaymentsSimulator(PaymentsConfig config) {
        this.config = config;
        this.routeIds = new String[config.routes()];
        for (int k = 0; k < routeIds.length; k++) {
            routeIds[k] = "route-" + k;
        }
        this.degradeIndex = routeIndex(config.degradeRoute());
        int m = config.merchants();
        this.merchantIds = new String[m];
        this.merchantCategory = new int[m];
        this.merchantRegion = new int[m];
        this.merchantCurrencyMix = new double[m][];
        for (int i = 0; i < m; i++) {
            SplittableRandom r = Seeds.random(config.seed(), 0x6d65726368616e74L, i);
            merchantIds[i] = String.format("merchant-%02d", i);
            merchantCategory[i] = i % CATEGORIES.length;
            int region = pick(r.nextDouble(), REGION_WEIGHTS);
            merchantRegion[i] = region;
            int home = switch (region) {
                case 0 -> 0;
                case 1 -> 1;
                case 2 -> 2;
                default -> r.nextDouble() < 0.6 ? 1 : 0;
            };
            double[] mix = {0.125, 0.125, 0.125};
            mix[home] = 0.75;
            merchantCurrencyMix[i] = mix;
        }
        this.eventIdPrefix = "pay-" + Long.toUnsignedString(config.seed(), 36) + "-";
    }

    public PaymentsConfig config() {
        return config;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<String> contextFeatureNames() {
        return CONTEXT_FEATURES;
    }

    @Override
    public List<String> actionFeatureNames() {
        return ACTION_FEATURES;
    }

    /** The action ids of all routes, offered or not. */
    public List<String> routeIds() {
        return List.of(routeIds);
    }

    @Override
    public ContextEvent next(long eventTimeMillis) {
        if (firstEventTime == Long.MIN_VALUE) {
            firstEventTime = eventTimeMillis;
        }
        long i = index++;
        SplittableRandom r = Seeds.random(config.seed(), 0x6576656e74L, i);
        int merchant = r.nextInt(merchantIds.length);
        int category = merchantCategory[merchant];
        int region = r.nextDouble() < 0.65 ? merchantRegion[merchant] : pick(r.nextDouble(), REGION_WEIGHTS);
        int currency = pick(r.nextDouble(), merchantCurrencyMix[merchant]);
        double amex = category == 1 ? 0.35 : 0.17;
        double visa = category == 1 ? 0.40 : 0.50;
        double u = r.nextDouble();
        int network = u < visa ? 0 : (u < 1.0 - amex ? 1 : 2);
        double amount = CATEGORY_MEDIAN_AMOUNT[category] * Math.exp(0.9 * r.nextGaussian());
        double amountLog = Math.min(1.0, Math.max(0.0, Math.log10(1.0 + amount) / 5.0));
        double hour = r.nextDouble() < 0.7 ? 8.0 + 14.0 * r.nextDouble() : 24.0 * r.nextDouble();
        double angle = 2.0 * Math.PI * hour / 24.0;

        Map<String, Double> features = new HashMap<>(32);
        features.put(AMOUNT_LOG, amountLog);
        oneHot(features, CURRENCIES, currency);
        oneHot(features, NETWORKS, network);
        oneHot(features, REGIONS, region);
        oneHot(features, CATEGORIES, category);
        features.put(HOUR_SIN, Math.sin(angle));
        features.put(HOUR_COS, Math.cos(angle));

        boolean[] offered = new boolean[routeIds.length];
        int count = 0;
        for (int k = 0; k < offered.length; k++) {
            offered[k] = r.nextDouble() >= config.unavailability();
            if (offered[k]) {
                count++;
            }
        }
        while (count < 2) {
            int k = r.nextInt(offered.length);
            if (!offered[k]) {
                offered[k] = true;
                count++;
            }
        }
        boolean degraded = degraded(eventTimeMillis);
        long relative = eventTimeMillis - firstEventTime;
        List<Action> actions = new ArrayList<>(count);
        Map<String, Double> oracle = new HashMap<>(count * 2);
        for (int k = 0; k < offered.length; k++) {
            if (!offered[k]) {
                continue;
            }
            Map<String, Double> af = new HashMap<>(4);
            af.put(FEE, clamp01(fee(k, relative) + 0.05 * (r.nextDouble() - 0.5)));
            af.put(LATENCY, clamp01(ROUTE_LATENCY[k] + 0.1 * (r.nextDouble() - 0.5)));
            actions.add(new Action(routeIds[k], af));
            oracle.put(routeIds[k], expectedReward(features, k, degraded, relative));
        }
        return ContextEvent.newBuilder()
                .setEventId(eventIdPrefix + i)
                .setEntityId(merchantIds[merchant])
                .setTimestamp(eventTimeMillis)
                .setDomain(NAME)
                .setFeatures(features)
                .setActions(actions)
                .setOracleRewards(oracle)
                .build();
    }

    @Override
    public Outcome outcome(ContextEvent event, String actionId) {
        int k = routeIndex(actionId);
        boolean offered = false;
        for (Action a : event.getActions()) {
            if (a.getActionId().equals(actionId)) {
                offered = true;
                break;
            }
        }
        if (!offered || k < 0 || k >= routeIds.length) {
            throw new IllegalArgumentException("action \"" + actionId + "\" was not offered in event "
                    + event.getEventId() + "; choose one of the event's actions");
        }
        long relative = firstEventTime == Long.MIN_VALUE ? 0 : event.getTimestamp() - firstEventTime;
        double p = successProbability(event.getFeatures(), k, degraded(event.getTimestamp()), relative);
        SplittableRandom r = Seeds.random(config.seed(), 0x6f7574636f6d65L, Seeds.hash64(event.getEventId()));
        double reward = r.nextDouble() < p ? 1.0 - config.feeWeight() * fee(k, relative) : 0.0;
        long delay = config.delays().sample(r);
        return new Outcome(reward, Math.max(0, delay), delay >= 0);
    }

    /**
     * The authorisation probability (= expected reward) of route {@code k} for a context, before or
     * after the drift. Missing features count as 0.
     */
    public double successProbability(Map<String, Double> f, int k, boolean degraded) {
        double a = get(f, AMOUNT_LOG);
        double large = Math.max(0.0, a - 0.5);
        double logit = switch (k) {
            case 0 -> -0.6 + 2.8 * get(f, REGION_EU) + 1.8 * get(f, REGION_UK) + 1.0 * get(f, CURRENCY_EUR)
                    - 1.6 * get(f, NETWORK_AMEX);
            case 1 -> 0.8 - 0.4 * get(f, NETWORK_AMEX) - 1.0 * large;
            case 2 -> -0.7 + 2.8 * get(f, REGION_US) + 1.2 * get(f, NETWORK_VISA) + 1.0 * get(f, REGION_OTHER)
                    - 1.2 * get(f, CATEGORY_GAMING) - 4.0 * large;
            case 3 -> -1.2 + 3.6 * get(f, NETWORK_AMEX) + 1.6 * get(f, CATEGORY_TRAVEL);
            case 4 -> -0.2 + 2.6 * get(f, HOUR_COS) + 0.8 * (get(f, CATEGORY_DIGITAL) + get(f, CATEGORY_GAMING))
                    - 4.0 * large;
            default -> throw new IllegalArgumentException("route index " + k + " is outside [0, " + MAX_ROUTES + ")");
        };
        double p = 1.0 / (1.0 + Math.exp(-logit));
        if (degraded && k == degradeIndex) {
            p *= config.degradedSuccess();
        }
        return p;
    }

    /**
     * The authorisation probability of route {@code k} at {@code relativeMillis} after the first event:
     * {@link #successProbability(Map, int, boolean)} times the multipliers of the outages under way.
     */
    public double successProbability(Map<String, Double> f, int k, boolean degraded, long relativeMillis) {
        double p = successProbability(f, k, degraded);
        if (!config.incidents().isEmpty()) {
            int region = -1; // no region feature: only a region-wide (*) outage applies
            for (int j = 0; j < REGIONS.length; j++) {
                if (get(f, REGIONS[j]) > 0.5) {
                    region = j;
                }
            }
            for (PaymentsIncident incident : config.incidents()) {
                if (incident instanceof PaymentsIncident.Outage o && o.hits(k, region, relativeMillis)) {
                    p *= o.successMultiplier();
                }
            }
        }
        return p;
    }

    /** The expected reward of route {@code k}: its success probability, less the fee it costs when authorised. */
    public double expectedReward(Map<String, Double> f, int k, boolean degraded, long relativeMillis) {
        return successProbability(f, k, degraded, relativeMillis) * (1.0 - config.feeWeight() * fee(k, relativeMillis));
    }

    /** Route {@code k}'s fee at {@code relativeMillis}: the latest fee change at or before then, else its list fee. */
    public double fee(int k, long relativeMillis) {
        double fee = ROUTE_FEE[k];
        long at = Long.MIN_VALUE;
        for (PaymentsIncident incident : config.incidents()) {
            if (incident instanceof PaymentsIncident.FeeChange c && PaymentsSimulator.routeIndex(c.route()) == k
                    && c.atMillis() <= relativeMillis && c.atMillis() >= at) {
                fee = c.fee();
                at = c.atMillis();
            }
        }
        return fee;
    }

    /** The index of an issuer region as incidents name it ({@code eu}, {@code us}, {@code uk}, {@code other}), or -1. */
    public static int regionIndex(String region) {
        return REGION_NAMES.indexOf(region);
    }

    /** True when an event at {@code eventTimeMillis} falls after the drift point. */
    public boolean degraded(long eventTimeMillis) {
        long first = firstEventTime;
        return config.degradeAfterMillis() > 0 && first != Long.MIN_VALUE
                && eventTimeMillis - first >= config.degradeAfterMillis();
    }

    /** The index k of {@code "route-k"}, or -1 when the id has another form. */
    public static int routeIndex(String actionId) {
        if (actionId == null || !actionId.startsWith("route-") || actionId.length() != 7) {
            return -1;
        }
        int k = actionId.charAt(6) - '0';
        return k >= 0 && k <= 9 ? k : -1;
    }

    private static double get(Map<String, Double> f, String name) {
        Double v = f.get(name);
        return v == null ? 0.0 : v;
    }

    private static void oneHot(Map<String, Double> features, String[] names, int hot) {
        for (int j = 0; j < names.length; j++) {
            features.put(names[j], j == hot ? 1.0 : 0.0);
        }
    }

    private static int pick(double u, double[] weights) {
        double acc = 0;
        for (int j = 0; j < weights.length; j++) {
            acc += weights[j];
            if (u < acc) {
                return j;
            }
        }
        return weights.length - 1;
    }

    private static double clamp01(double v) {
        return Math.min(1.0, Math.max(0.0, v));
    }
}
