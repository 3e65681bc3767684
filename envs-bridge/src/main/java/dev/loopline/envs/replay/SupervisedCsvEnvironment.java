package dev.loopline.envs.replay;

import dev.loopline.envs.Environment;
import dev.loopline.envs.Outcome;
import dev.loopline.envs.Seeds;
import dev.loopline.envs.data.CsvTable;
import dev.loopline.envs.data.LabelledData;
import dev.loopline.schemas.Action;
import dev.loopline.schemas.ContextEvent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Labelled data played as a bandit (the supervised-to-bandit conversion): each row is a context, each
 * class an action, and the reward is 1 when the chosen class is the row's label, else 0.
 *
 * <h2>Context features</h2>
 * The columns other than the label, read by {@link LabelledData}: a numeric column is one feature under
 * its own name, any other column one indicator feature {@code COLUMN=VALUE} per value. Every event
 * carries every feature (a missing value or an absent indicator reads 0); with {@code scaleFeatures}
 * each feature is min-max scaled to [0, 1] over the file (a constant feature reads 0).
 *
 * <h2>Actions</h2>
 * One per class, the action id being the label value as written (classes sorted numerically when they
 * are all numbers, else as text); all are offered in every event; no action features.
 *
 * <h2>Order, entities and end of data</h2>
 * Rows are streamed in a random order drawn from the seed; when every row has been played, a new pass
 * starts with a new shuffle (pass p's order is derived from (seed, p)). Row r belongs to entity
 * {@code NAME-(r mod entities)}, NAME being the file name without extension. Event ids are
 * {@code sup-SEED-I-ROW}: the outcome finds the label through the row index.
 *
 * <h2>Reward, oracle and delay</h2>
 * {@code oracleRewards} is exact: 1 for the label, 0 for every other class. The outcome's reward is the
 * same 0 or 1; only its delay is random ({@link SupervisedCsvConfig#delays()}, drawn from a stream
 * derived from (seed, eventId)).
 *
 * <p>{@link #next(long)} must be called from one thread; {@link #outcome(ContextEvent, String)} is
 * thread-safe.
 */
public final class SupervisedCsvEnvironment implements Environment {

    public static final String NAME = "supervised";

    private static final long SHUFFLE_STREAM = 0x73687566666c65L;
    private static final long OUTCOME_STREAM = 0x6f7574636f6d65L;

    private final SupervisedCsvConfig config;
    private final String dataName;
    private final List<String> featureNames;
    private final double[][] features;
    private final int[] labels;
    private final List<String> classes;
    private final String[] entityIds;
    private final String eventIdPrefix;
    private int[] order;
    private long orderPass = -1;
    private long index;

    /** Reads {@code config.path()}. */
    public static SupervisedCsvEnvironment open(SupervisedCsvConfig config) {
        LabelledData data = LabelledData.of(CsvTable.read(config.path()), config.labelColumn(), List.of());
        String file = config.path().getFileName().toString();
        int dot = file.lastIndexOf('.');
        return new SupervisedCsvEnvironment(data, dot > 0 ? file.substring(0, dot) : file, config);
    }

    /**
     * @param data     the labelled rows
     * @param dataName names the entities ({@code dataName-K})
     * @param config   seed, entities, scaling and delays ({@code path} and {@code labelColumn} are not read)
     */
    public SupervisedCsvEnvironment(LabelledData data, String dataName, SupervisedCsvConfig config) {
        if (data.size() == 0) {
            throw new IllegalArgumentException("no labelled rows in " + dataName + "; give a file with data rows");
        }
        if (data.classes().size() < 2) {
            throw new IllegalArgumentException("only one class (" + data.classes() + ") in " + dataName
                    + "; a bandit needs at least two, check the label column");
        }
        this.config = config;
        this.dataName = dataName;
        this.featureNames = List.copyOf(data.featureNames());
        this.classes = List.copyOf(data.classes());
        int n = data.size();
        int m = featureNames.size();
        this.features = new double[n][m];
        for (int r = 0; r < n; r++) {
            Map<String, Double> row = data.rows().get(r);
            for (int j = 0; j < m; j++) {
                Double v = row.get(featureNames.get(j));
                features[r][j] = v == null ? 0.0 : v;
            }
        }
        if (config.scaleFeatures()) {
            for (int j = 0; j < m; j++) {
                double lo = Double.POSITIVE_INFINITY;
                double hi = Double.NEGATIVE_INFINITY;
                for (double[] row : features) {
                    lo = Math.min(lo, row[j]);
                    hi = Math.max(hi, row[j]);
                }
                for (double[] row : features) {
                    row[j] = hi > lo ? (row[j] - lo) / (hi - lo) : 0.0;
                }
            }
        }
        Map<String, Integer> classIndex = new HashMap<>();
        for (int c = 0; c < classes.size(); c++) {
            classIndex.put(classes.get(c), c);
        }
        this.labels = new int[n];
        for (int r = 0; r < n; r++) {
            labels[r] = classIndex.get(data.labels().get(r));
        }
        this.entityIds = new String[config.entities()];
        for (int e = 0; e < entityIds.length; e++) {
            entityIds[e] = dataName + "-" + e;
        }
        this.eventIdPrefix = "sup-" + Long.toUnsignedString(config.seed(), 36) + "-";
    }

    public SupervisedCsvConfig config() {
        return config;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<String> contextFeatureNames() {
        return featureNames;
    }

    @Override
    public List<String> actionFeatureNames() {
        return List.of();
    }

    /** The classes (action ids), in order. */
    public List<String> classes() {
        return classes;
    }

    /** Number of labelled rows (events per pass). */
    public int size() {
        return labels.length;
    }

    /** The file name without extension. */
    public String dataName() {
        return dataName;
    }

    /** The label (action id) of the row behind {@code event}. */
    public String label(ContextEvent event) {
        return classes.get(labels[row(event)]);
    }

    @Override
    public ContextEvent next(long eventTimeMillis) {
        long i = index++;
        long pass = i / labels.length;
        if (pass != orderPass) {
            order = shuffle(labels.length, Seeds.random(config.seed(), SHUFFLE_STREAM, pass));
            orderPass = pass;
        }
        int r = order[(int) (i % labels.length)];
        Map<String, Double> f = new HashMap<>(4 * featureNames.size() / 3 + 2);
        for (int j = 0; j < featureNames.size(); j++) {
            f.put(featureNames.get(j), features[r][j]);
        }
        List<Action> actions = new ArrayList<>(classes.size());
        Map<String, Double> oracle = new HashMap<>(2 * classes.size());
        for (int c = 0; c < classes.size(); c++) {
            actions.add(new Action(classes.get(c), Map.of()));
            oracle.put(classes.get(c), c == labels[r] ? 1.0 : 0.0);
        }
        return ContextEvent.newBuilder()
                .setEventId(eventIdPrefix + i + "-" + r)
                .setEntityId(entityIds[r % entityIds.length])
                .setTimestamp(eventTimeMillis)
                .setDomain(NAME)
                .setFeatures(f)
                .setActions(actions)
                .setOracleRewards(oracle)
                .build();
    }

    @Override
    public Outcome outcome(ContextEvent event, String actionId) {
        int c = classes.indexOf(actionId);
        if (c < 0) {
            throw new IllegalArgumentException("action \"" + actionId + "\" was not offered in event "
                    + event.getEventId() + "; choose one of the classes " + classes);
        }
        double reward = labels[row(event)] == c ? 1.0 : 0.0;
        SplittableRandom r = Seeds.random(config.seed(), OUTCOME_STREAM, Seeds.hash64(event.getEventId()));
        long delay = config.delays().sample(r);
        return new Outcome(reward, Math.max(0, delay), delay >= 0);
    }

    private int row(ContextEvent event) {
        String id = event.getEventId();
        int dash = id.lastIndexOf('-');
        try {
            int r = Integer.parseInt(id.substring(dash + 1));
            if (id.startsWith(eventIdPrefix) && r >= 0 && r < labels.length) {
                return r;
            }
        } catch (NumberFormatException e) {
            // fall through
        }
        throw new IllegalArgumentException("event " + id + " was not produced by this " + dataName
                + " replay (ids are " + eventIdPrefix + "I-ROW); pass the event next() returned");
    }

    private static int[] shuffle(int n, SplittableRandom r) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }
}
