package dev.loopline.envs.recommender;

import static dev.loopline.envs.ConfigChecks.inRange;
import static dev.loopline.envs.ConfigChecks.notNull;

import dev.loopline.envs.DelayModel;
import java.util.List;

/**
 * Configuration of the {@link RecommenderSimulator}. Immutable; validated on construction.
 *
 * @param seed                   seed of every random draw (users, items, events and outcomes)
 * @param users                  number of users (entities {@code user-0000} ...), 1..100000; default 50
 * @param latentDimension        dimension of the user and item taste vectors, 2..32; default 6
 * @param categories             number of item categories, 2..32; default 6
 * @param initialItems           items in the catalogue at the first event, 1..10000; default 40
 * @param itemArrivalMillis      event time between two new items, ms, 1..3600000; default 3000
 * @param itemLifetimeMillis     mean time an item stays in the catalogue, ms (each item lives 0.5 to 1.5
 *                               times this); at least 2 &times; candidates &times; itemArrivalMillis so that
 *                               enough items are live; default 120000
 * @param candidates             items offered per event (fewer only if fewer are live), 2..100; default 8
 * @param examination            probability that a user examines the slot, per slot position 1, 2, ...
 *                               (the position bias), each in (0, 1], 1..10 slots; default [1.0, 0.6, 0.35]
 * @param tastePeriodMillis      mean period of a user's taste rotation, ms (each user 0.5 to 1.5 times
 *                               this); 0 = tastes do not drift; default 600000
 * @param tasteNoise             standard deviation of the noise on the observed taste features, [0, 2];
 *                               default 0.2
 * @param driftAfterMillis       event time after the first event at which the trend shift happens;
 *                               default 60000; 0 or less disables it
 * @param trendCategory          the category whose appeal changes at the trend shift; default 0
 * @param trendBoost             the change of that category's click logit at the trend shift, [-5, 5];
 *                               default 1.5
 * @param delays                 when outcomes are reported; default {@link DelayModel#DEFAULT}
 */
public record RecommenderConfig(
        long seed,
        int users,
        int latentDimension,
        int categories,
        int initialItems,
        long itemArrivalMillis,
        long itemLifetimeMillis,
        int candidates,
        List<Double> examination,
        long tastePeriodMillis,
        double tasteNoise,
        long driftAfterMillis,
        int trendCategory,
        double trendBoost,
        DelayModel delays) {

    public static final int DEFAULT_USERS = 50;
    public static final int DEFAULT_LATENT_DIMENSION = 6;
    public static final int DEFAULT_CATEGORIES = 6;
    public static final int DEFAULT_INITIAL_ITEMS = 40;
    public static final long DEFAULT_ITEM_ARRIVAL_MILLIS = 3_000;
    public static final long DEFAULT_ITEM_LIFETIME_MILLIS = 120_000;
    public static final int DEFAULT_CANDIDATES = 8;
    public static final List<Double> DEFAULT_EXAMINATION = List.of(1.0, 0.6, 0.35);
    public static final long DEFAULT_TASTE_PERIOD_MILLIS = 600_000;
    public static final double DEFAULT_TASTE_NOISE = 0.2;
    public static final long DEFAULT_DRIFT_AFTER_MILLIS = 60_000;
    public static final int DEFAULT_TREND_CATEGORY = 0;
    public static final double DEFAULT_TREND_BOOST = 1.5;

    public RecommenderConfig {
        inRange("users", users, 1, 100_000, "use e.g. " + DEFAULT_USERS);
        inRange("latentDimension", latentDimension, 2, 32, "use e.g. " + DEFAULT_LATENT_DIMENSION);
        inRange("categories", categories, 2, 32, "use e.g. " + DEFAULT_CATEGORIES);
        inRange("candidates", candidates, 2, 100, "use e.g. " + DEFAULT_CANDIDATES);
        inRange("initialItems", initialItems, 1, 10_000, "use e.g. " + DEFAULT_INITIAL_ITEMS);
        inRange("itemArrivalMillis", itemArrivalMillis, 1, 3_600_000, "use e.g. " + DEFAULT_ITEM_ARRIVAL_MILLIS);
        long minLifetime = 2L * candidates * itemArrivalMillis;
        inRange("itemLifetimeMillis", itemLifetimeMillis, minLifetime, 365L * 86_400_000L,
                "items must live at least 2 x candidates x itemArrivalMillis so that enough are live; raise it or"
                        + " lower itemArrivalMillis");
        notNull("examination", examination, "use e.g. " + DEFAULT_EXAMINATION);
        examination = List.copyOf(examination);
        inRange("examination slots", examination.size(), 1, 10, "give one probability per slot, e.g. "
                + DEFAULT_EXAMINATION);
        for (int p = 0; p < examination.size(); p++) {
            double e = examination.get(p);
            if (!(e > 0 && e <= 1)) {
                throw new IllegalArgumentException("examination of slot " + (p + 1) + " " + e
                        + " is outside (0, 1]; give a probability, e.g. " + DEFAULT_EXAMINATION);
            }
        }
        inRange("tastePeriodMillis", tastePeriodMillis, 0, 365L * 86_400_000L,
                "use e.g. " + DEFAULT_TASTE_PERIOD_MILLIS + " (0 = static tastes)");
        inRange("tasteNoise", tasteNoise, 0, 2, "use e.g. " + DEFAULT_TASTE_NOISE);
        inRange("trendCategory", trendCategory, 0, categories - 1, "name one of the categories, e.g. "
                + DEFAULT_TREND_CATEGORY);
        inRange("trendBoost", trendBoost, -5, 5, "give a logit change, e.g. " + DEFAULT_TREND_BOOST);
        notNull("delays", delays, "use DelayModel.DEFAULT");
    }

    /** The defaults above with the given seed. */
    public static RecommenderConfig defaults(long seed) {
        return new RecommenderConfig(seed, DEFAULT_USERS, DEFAULT_LATENT_DIMENSION, DEFAULT_CATEGORIES,
                DEFAULT_INITIAL_ITEMS, DEFAULT_ITEM_ARRIVAL_MILLIS, DEFAULT_ITEM_LIFETIME_MILLIS,
                DEFAULT_CANDIDATES, DEFAULT_EXAMINATION, DEFAULT_TASTE_PERIOD_MILLIS, DEFAULT_TASTE_NOISE,
                DEFAULT_DRIFT_AFTER_MILLIS, DEFAULT_TREND_CATEGORY, DEFAULT_TREND_BOOST, DelayModel.DEFAULT);
    }

    public RecommenderConfig withUsers(int value) {
        return new RecommenderConfig(seed, value, latentDimension, categories, initialItems, itemArrivalMillis,
                itemLifetimeMillis, candidates, examination, tastePeriodMillis, tasteNoise, driftAfterMillis,
                trendCategory, trendBoost, delays);
    }

    public RecommenderConfig withCatalogue(int initial, long arrivalMillis, long lifetimeMillis, int offered) {
        return new RecommenderConfig(seed, users, latentDimension, categories, initial, arrivalMillis,
                lifetimeMillis, offered, examination, tastePeriodMillis, tasteNoise, driftAfterMillis,
                trendCategory, trendBoost, delays);
    }

    public RecommenderConfig withExamination(List<Double> value) {
        return new RecommenderConfig(seed, users, latentDimension, categories, initialItems, itemArrivalMillis,
                itemLifetimeMillis, candidates, value, tastePeriodMillis, tasteNoise, driftAfterMillis,
                trendCategory, trendBoost, delays);
    }

    public RecommenderConfig withTastes(long periodMillis, double noise) {
        return new RecommenderConfig(seed, users, latentDimension, categories, initialItems, itemArrivalMillis,
                itemLifetimeMillis, candidates, examination, periodMillis, noise, driftAfterMillis,
                trendCategory, trendBoost, delays);
    }

    public RecommenderConfig withDrift(long afterMillis, int category, double boost) {
        return new RecommenderConfig(seed, users, latentDimension, categories, initialItems, itemArrivalMillis,
                itemLifetimeMillis, candidates, examination, tastePeriodMillis, tasteNoise, afterMillis,
                category, boost, delays);
    }

    /** Disables the trend shift (tastes still drift and items still come and go). */
    public RecommenderConfig withoutDrift() {
        return withDrift(0, trendCategory, trendBoost);
    }

    public RecommenderConfig withDelays(DelayModel value) {
        return new RecommenderConfig(seed, users, latentDimension, categories, initialItems, itemArrivalMillis,
                itemLifetimeMillis, candidates, examination, tastePeriodMillis, tasteNoise, driftAfterMillis,
                trendCategory, trendBoost, value);
    }
}
