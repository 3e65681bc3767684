package dev.loopline.envs.recommender;

import dev.loopline.envs.Environment;
import dev.loopline.envs.Outcome;
import dev.loopline.envs.Seeds;
import dev.loopline.schemas.Action;
import dev.loopline.schemas.ContextEvent;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Item recommendation: for each visit of a user, choose which of the candidate items to show in the
 * visit's slot; the reward is a click.
 *
 * <h2>Users (entities) and their drifting tastes</h2>
 * Users {@code user-0000} ... visit uniformly at random. User u has a taste: a unit vector that rotates
 * between two random directions a_u and b_u, taste_u(&tau;) = normalise(cos &theta; a_u + sin &theta; b_u),
 * &theta; = &phi;_u + 2&pi; &tau; / P_u, with a random phase &phi;_u and a period P_u in
 * [0.5, 1.5) &times; {@code tastePeriodMillis} (&tau; = event time since the first event). So tastes
 * drift continuously, each user at its own pace.
 *
 * <h2>Catalogue (a changing action set)</h2>
 * Item k ({@code item-k}) has a category, a latent vector (its category's centre plus noise,
 * normalised), a quality and a lifetime in [0.5, 1.5) &times; {@code itemLifetimeMillis}. The first
 * {@code initialItems} items are already live at the first event (at random ages); afterwards a new
 * item arrives every {@code itemArrivalMillis}. An item is live from its arrival until its lifetime
 * ends, then retires for good. Each event offers {@code candidates} live items drawn at random (all
 * live items if fewer), so the offered set changes from event to event and over time.
 *
 * <h2>Context features</h2>
 * {@code taste_0} .. {@code taste_(d-1)}: the user's current taste plus normal noise
 * ({@code tasteNoise}), as a profile built from recent history would see it; {@code position_1} ..
 * {@code position_P}: one-hot, the slot this visit's recommendation goes into (uniform over the
 * {@code examination.size()} slots).
 *
 * <h2>Action features</h2>
 * {@code category_0} .. {@code category_(C-1)} (one-hot), {@code embedding_0} .. {@code embedding_(d-1)}
 * (the item's latent vector as a content model sees it: plus fixed noise of sd 0.1 per item) and
 * {@code freshness} (1 at arrival, falling linearly to 0 at retirement).
 *
 * <h2>Reward</h2>
 * A click (1) or not (0), with position bias (the examination hypothesis):
 * P(click) = examination[slot] &times; sigmoid(-2 + 3 &lang;taste_u(&tau;), v_k&rang; + q_k
 * + 0.8 freshness_k(&tau;) + trend_k), where q_k ~ N(0, 0.5^2) is the item's quality and trend_k is
 * {@code trendBoost} for items of {@code trendCategory} after the trend shift, else 0.
 * {@code oracleRewards} holds this probability for every offered item. The outcome draws one uniform
 * number per event (from a stream derived from (seed, eventId), shared by all actions): the chosen item
 * is clicked when the number falls below its probability.
 *
 * <h2>Delay</h2>
 * From {@link RecommenderConfig#delays()} (by default: 80% within 2 s, 14% in 2–6 s, 4% in 30–90 s,
 * 2% never).
 *
 * <h2>Drift</h2>
 * Three kinds, all in event time since the first event: tastes rotate continuously (above); the
 * catalogue turns over (above); and at {@code driftAfterMillis} a trend shift adds {@code trendBoost}
 * to the click logit of every item of {@code trendCategory} (default: category 0 gains 1.5), both in
 * {@code oracleRewards} and in the outcomes.
 *
 * <h2>Determinism</h2>
 * Event i is drawn from a stream derived from (seed, i); users and items from streams derived from
 * (seed, user) and (seed, item). The outcome of an event depends only on the seed, the event (its
 * user, time, slot and id) and the action. {@link #next(long)} must be called from one thread;
 * {@link #outcome(ContextEvent, String)} and {@link #clickProbability} are thread-safe.
 */
public final class RecommenderSimulator implements Environment {

    public static final String NAME = "recommender";
    public static final String TASTE_PREFIX = "taste_";
    public static final String POSITION_PREFIX = "position_";
    public static final String CATEGORY_PREFIX = "category_";
    public static final String EMBEDDING_PREFIX = "embedding_";
    public static final String FRESHNESS = "freshness";

    public static final double BASE_LOGIT = -2.0;
    public static final double AFFINITY_WEIGHT = 3.0;
    public static final double QUALITY_SD = 0.5;
    public static final double FRESHNESS_WEIGHT = 0.8;
    public static final double CATEGORY_SPREAD = 0.7;
    public static final double EMBEDDING_NOISE = 0.1;

    private static final long USER_STREAM = 0x75736572L;
    private static final long ITEM_STREAM = 0x6974656dL;
    private static final long CATEGORY_STREAM = 0x636174L;
    private static final long EVENT_STREAM = 0x6576656e74L;
    private static final long OUTCOME_STREAM = 0x6f7574636f6d65L;

    /** One catalogue item; immutable. */
    record Item(int index, String id, int category, double[] latent, double quality, long birthMillis,
            long lifetimeMillis, double[] staticFeatures) {

        boolean liveAt(long tau) {
            return tau >= birthMillis && tau < birthMillis + lifetimeMillis;
        }

        double freshness(long tau) {
            return Math.min(1.0, Math.max(0.0, 1.0 - (double) (tau - birthMillis) / lifetimeMillis));
        }
    }

    private final RecommenderConfig config;
    private final int d;
    private final double[][] tasteA;
    private final double[][] tasteB;
    private final double[] tastePhase;
    private final double[] tastePeriod;
    private final String[] userIds;
    private final double[][] categoryCentres;
    private final double[] examination;
    private final List<String> contextFeatures;
    private final List<String> actionFeatures;
    private final String[] tasteNames;
    private final String[] positionNames;
    private final String eventIdPrefix;
    private final String[] staticFeatureNames;
    private final ConcurrentHashMap<Integer, Item> items = new ConcurrentHashMap<>();
    private final ArrayDeque<Item> window = new ArrayDeque<>();
    private int windowNext;
    private long index;
    private volatile long firstEventTime = Long.MIN_VALUE;

    public RecommenderSimulator(RecommenderConfig config) {
        this.config = config;
        this.d = config.latentDimension();
        int users = config.users();
        this.tasteA = new double[users][];
        this.tasteB = new double[users][];
        this.tastePhase = new double[users];
        this.tastePeriod = new double[users];
        this.userIds = new String[users];
        for (int u = 0; u < users; u++) {
            SplittableRandom r = Seeds.random(config.seed(), USER_STREAM, u);
            tasteA[u] = unit(gaussian(r, d));
            tasteB[u] = unit(gaussian(r, d));
            tastePhase[u] = 2 * Math.PI * r.nextDouble();
            tastePeriod[u] = config.tastePeriodMillis() * (0.5 + r.nextDouble());
            userIds[u] = String.format("user-%04d", u);
        }
        this.categoryCentres = new double[config.categories()][];
        for (int c = 0; c < categoryCentres.length; c++) {
            categoryCentres[c] = unit(gaussian(Seeds.random(config.seed(), CATEGORY_STREAM, c), d));
        }
        this.examination = config.examination().stream().mapToDouble(Double::doubleValue).toArray();
        List<String> ctx = new ArrayList<>();
        this.tasteNames = new String[d];
        for (int j = 0; j < d; j++) {
            tasteNames[j] = TASTE_PREFIX + j;
            ctx.add(tasteNames[j]);
        }
        this.positionNames = new String[examination.length];
        for (int p = 0; p < examination.length; p++) {
            positionNames[p] = POSITION_PREFIX + (p + 1);
            ctx.add(positionNames[p]);
        }
        this.contextFeatures = List.copyOf(ctx);
        List<String> act = new ArrayList<>();
        for (int c = 0; c < config.categories(); c++) {
            act.add(CATEGORY_PREFIX + c);
        }
        for (int j = 0; j < d; j++) {
            act.add(EMBEDDING_PREFIX + j);
        }
        this.staticFeatureNames = act.toArray(String[]::new);
        act.add(FRESHNESS);
        this.actionFeatures = List.copyOf(act);
        this.eventIdPrefix = "rec-" + Long.toUnsignedString(config.seed(), 36) + "-";
    }

    public RecommenderConfig config() {
        return config;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<String> contextFeatureNames() {
        return contextFeatures;
    }

    @Override
    public List<String> actionFeatureNames() {
        return actionFeatures;
    }

    @Override
    public ContextEvent next(long eventTimeMillis) {
        if (firstEventTime == Long.MIN_VALUE) {
            firstEventTime = eventTimeMillis;
        }
        long tau = sinceFirst(eventTimeMillis);
        long i = index++;
        SplittableRandom r = Seeds.random(config.seed(), EVENT_STREAM, i);
        int user = r.nextInt(userIds.length);
        int slot = r.nextInt(examination.length);
        double[] taste = taste(user, tau);

        Map<String, Double> features = new HashMap<>(2 * (d + examination.length));
        for (int j = 0; j < d; j++) {
            features.put(tasteNames[j], taste[j] + config.tasteNoise() * r.nextGaussian());
        }
        for (int p = 0; p < examination.length; p++) {
            features.put(positionNames[p], p == slot ? 1.0 : 0.0);
        }

        List<Item> live = liveItems(tau);
        int n = Math.min(config.candidates(), live.size());
        for (int j = 0; j < n; j++) { // partial Fisher-Yates: the first n are a uniform sample
            int pick = j + r.nextInt(live.size() - j);
            Item tmp = live.get(j);
            live.set(j, live.get(pick));
            live.set(pick, tmp);
        }
        boolean drifted = drifted(eventTimeMillis);
        List<Action> actions = new ArrayList<>(n);
        Map<String, Double> oracle = new HashMap<>(2 * n);
        for (int j = 0; j < n; j++) {
            Item item = live.get(j);
            Map<String, Double> af = new HashMap<>(4 * staticFeatureNames.length / 3 + 4);
            double[] values = item.staticFeatures();
            for (int f = 0; f < values.length; f++) {
                af.put(staticFeatureNames[f], values[f]);
            }
            af.put(FRESHNESS, item.freshness(tau));
            actions.add(new Action(item.id(), af));
            oracle.put(item.id(), clickProbability(taste, item, slot, tau, drifted));
        }
        return ContextEvent.newBuilder()
                .setEventId(eventIdPrefix + i)
                .setEntityId(userIds[user])
                .setTimestamp(eventTimeMillis)
                .setDomain(NAME)
                .setFeatures(features)
                .setActions(actions)
                .setOracleRewards(oracle)
                .build();
    }

    @Override
    public Outcome outcome(ContextEvent event, String actionId) {
        double p = clickProbability(event, actionId);
        SplittableRandom r = Seeds.random(config.seed(), OUTCOME_STREAM, Seeds.hash64(event.getEventId()));
        double reward = r.nextDouble() < p ? 1.0 : 0.0;
        long delay = config.delays().sample(r);
        return new Outcome(reward, Math.max(0, delay), delay >= 0);
    }

    /**
     * The click probability (expected reward) of offered item {@code actionId} in {@code event},
     * recomputed from the event's user, time and slot.
     *
     * @throws IllegalArgumentException if the item was not offered in the event
     */
    public double clickProbability(ContextEvent event, String actionId) {
        boolean offered = false;
        for (Action a : event.getActions()) {
            if (a.getActionId().equals(actionId)) {
                offered = true;
                break;
            }
        }
        int k = itemIndex(actionId);
        int user = userIndex(event.getEntityId());
        if (!offered || k < 0 || user < 0) {
            throw new IllegalArgumentException("action \"" + actionId + "\" was not offered in event "
                    + event.getEventId() + " of " + event.getEntityId() + "; choose one of the event's items");
        }
        int slot = slot(event.getFeatures());
        long tau = sinceFirst(event.getTimestamp());
        return clickProbability(taste(user, tau), item(k), slot, tau, drifted(event.getTimestamp()));
    }

    private double clickProbability(double[] taste, Item item, int slot, long tau, boolean drifted) {
        double affinity = 0;
        for (int j = 0; j < d; j++) {
            affinity += taste[j] * item.latent()[j];
        }
        double logit = BASE_LOGIT + AFFINITY_WEIGHT * affinity + item.quality()
                + FRESHNESS_WEIGHT * item.freshness(tau)
                + (drifted && item.category() == config.trendCategory() ? config.trendBoost() : 0.0);
        return examination[slot] / (1.0 + Math.exp(-logit));
    }

    /** True when an event at {@code eventTimeMillis} falls after the trend shift. */
    public boolean drifted(long eventTimeMillis) {
        long first = firstEventTime;
        return config.driftAfterMillis() > 0 && first != Long.MIN_VALUE
                && eventTimeMillis - first >= config.driftAfterMillis();
    }

    /** The category of item {@code actionId} ({@code item-k}). */
    public int categoryOf(String actionId) {
        int k = itemIndex(actionId);
        if (k < 0) {
            throw new IllegalArgumentException("\"" + actionId + "\" is not an item id; items are item-K");
        }
        return item(k).category();
    }

    /** User u's true taste at {@code tau} ms after the first event (a unit vector). */
    double[] taste(int user, long tau) {
        double theta = tastePhase[user]
                + (tastePeriod[user] > 0 ? 2 * Math.PI * tau / tastePeriod[user] : 0.0);
        double c = Math.cos(theta);
        double s = Math.sin(theta);
        double[] v = new double[d];
        for (int j = 0; j < d; j++) {
            v[j] = c * tasteA[user][j] + s * tasteB[user][j];
        }
        return unit(v);
    }

    /**
     * The live items at {@code tau}, in index order (a fresh, mutable list). Keeps a window of the items
     * that may be live, sliding forward with the event time (and rebuilt if time goes back that far).
     */
    List<Item> liveItems(long tau) {
        long lifetime = config.itemLifetimeMillis();
        long arrival = config.itemArrivalMillis();
        int initial = config.initialItems();
        long maxLife = lifetime + lifetime / 2 + 1;
        int newest = (int) Math.min(Integer.MAX_VALUE - 1, initial - 1 + tau / arrival);
        int oldest = tau < maxLife ? 0 : (int) Math.max(0, initial - 1 + (tau - maxLife) / arrival);
        if (!window.isEmpty() && oldest < window.peekFirst().index()) {
            window.clear();
            windowNext = oldest;
        }
        windowNext = Math.max(windowNext, oldest);
        while (windowNext <= newest) {
            window.addLast(item(windowNext++));
        }
        while (!window.isEmpty() && window.peekFirst().index() < oldest) {
            items.remove(window.pollFirst().index()); // retired for good; outcome() recomputes it if needed
        }
        List<Item> live = new ArrayList<>(window.size());
        for (Item item : window) {
            if (item.liveAt(tau)) {
                live.add(item);
            }
        }
        if (live.isEmpty()) {
            live.add(item(newest)); // cannot happen with a valid config; never offer nothing
        }
        return live;
    }

    private Item item(int k) {
        return items.computeIfAbsent(k, this::createItem);
    }

    private Item createItem(int k) {
        SplittableRandom r = Seeds.random(config.seed(), ITEM_STREAM, k);
        int category = r.nextInt(config.categories());
        double[] latent = new double[d];
        for (int j = 0; j < d; j++) {
            latent[j] = categoryCentres[category][j] + CATEGORY_SPREAD * r.nextGaussian();
        }
        latent = unit(latent);
        double quality = QUALITY_SD * r.nextGaussian();
        long lifetime = Math.max(1, (long) (config.itemLifetimeMillis() * (0.5 + r.nextDouble())));
        long birth = k < config.initialItems()
                ? -(long) (r.nextDouble() * lifetime)
                : (k - config.initialItems() + 1) * config.itemArrivalMillis();
        double[] features = new double[config.categories() + d]; // staticFeatureNames order
        features[category] = 1.0;
        for (int j = 0; j < d; j++) {
            features[config.categories() + j] = latent[j] + EMBEDDING_NOISE * r.nextGaussian();
        }
        return new Item(k, "item-" + k, category, latent, quality, birth, lifetime, features);
    }

    private long sinceFirst(long eventTimeMillis) {
        long first = firstEventTime;
        return first == Long.MIN_VALUE ? 0 : Math.max(0, eventTimeMillis - first);
    }

    private int slot(Map<String, Double> features) {
        for (int p = 0; p < positionNames.length; p++) {
            Double v = features.get(positionNames[p]);
            if (v != null && v == 1.0) {
                return p;
            }
        }
        throw new IllegalArgumentException("the event has no position_N feature set to 1; pass the event next() returned");
    }

    private int userIndex(String entityId) {
        int u = suffix(entityId, "user-");
        return u < userIds.length ? u : -1;
    }

    private static int itemIndex(String actionId) {
        return suffix(actionId, "item-");
    }

    private static int suffix(String id, String prefix) {
        if (id == null || !id.startsWith(prefix) || id.length() == prefix.length() || id.length() > prefix.length() + 9) {
            return -1;
        }
        int v = 0;
        for (int j = prefix.length(); j < id.length(); j++) {
            char ch = id.charAt(j);
            if (ch < '0' || ch > '9') {
                return -1;
            }
            v = v * 10 + (ch - '0');
        }
        return v;
    }

    private static double[] gaussian(SplittableRandom r, int n) {
        double[] v = new double[n];
        for (int j = 0; j < n; j++) {
            v[j] = r.nextGaussian();
        }
        return v;
    }

    private static double[] unit(double[] v) {
        double norm = 0;
        for (double x : v) {
            norm += x * x;
        }
        norm = Math.sqrt(norm);
        if (norm == 0) {
            v[0] = 1;
            return v;
        }
        for (int j = 0; j < v.length; j++) {
            v[j] /= norm;
        }
        return v;
    }
}
