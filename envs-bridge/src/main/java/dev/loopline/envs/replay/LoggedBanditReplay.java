package dev.loopline.envs.replay;

import dev.loopline.envs.Environment;
import dev.loopline.envs.Outcome;
import dev.loopline.envs.Seeds;
import dev.loopline.envs.data.CsvTable;
import dev.loopline.schemas.Action;
import dev.loopline.schemas.ContextEvent;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.time.temporal.TemporalAccessor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeSet;

/**
 * Logged bandit feedback (the Open Bandit Dataset layout) replayed in timestamp order, for replay
 * evaluation and off-policy evaluation of a policy against what a logging policy really did.
 *
 * <h2>Input layout</h2>
 * A CSV with a header: an optional unnamed row-index column (ignored), {@code timestamp}
 * ({@code 2019-11-24 00:03:13.442536+00:00}, ISO with a {@code T}, or epoch milliseconds),
 * {@code item_id} (the logged action), {@code position} (the slot, 1..P), {@code click} (the reward,
 * 0 or 1), {@code propensity_score} (the logging policy's probability of the logged item), user
 * features {@code user_feature_*} and user-item affinities {@code user-item_affinity_K} (K an item id).
 * Other columns are ignored. Optionally an item-context CSV with {@code item_id} and
 * {@code item_feature_*} columns.
 *
 * <h2>Events</h2>
 * One event per logged row, in timestamp order (ties keep file order); after the last row a new pass
 * starts from the first. Context features: {@code position_P} (one-hot over the positions in the log),
 * each {@code user_feature_*} column (numeric as is, otherwise one indicator {@code COLUMN=VALUE} per
 * value; the OBD user features are hashed categories) and each {@code user-item_affinity_*} column as
 * is. Actions: every item ({@code item-K}), the items of the item context or else those seen in the
 * log, offered in every event. Action features: {@code affinity} (this row's
 * {@code user-item_affinity_K} for item K, 0 when the column is absent) and the numeric
 * {@code item_feature_*} columns of the item context (hashed categorical item features are left out: the
 * action id already identifies the item). Row j of the timestamp order belongs to entity
 * {@code obd-(j mod entities)}. The event time is the caller's; the logged time is in
 * {@link #logged(ContextEvent)}.
 *
 * <h2>Replay semantics</h2>
 * A log only knows the reward of the action the logging policy took. So, as in the replay method of
 * Li, Chu, Langford and Wang (2011):
 * <ul>
 *   <li>{@code oracleRewards} is null: there is no exact expected reward to compare with;</li>
 *   <li>when the decision matches the logged item, the outcome is the logged click, reported after a
 *       delay from {@link LoggedBanditConfig#delays()} (drawn from (seed, eventId));</li>
 *   <li>when it does not match, the outcome is not delivered ({@code delivered = false}, reward 0 as a
 *       placeholder): the event is rejected, the loop receives no feedback for it and treats it like lost
 *       feedback.</li>
 * </ul>
 * The mean reward over matched decisions is an unbiased estimate of a policy's click rate when the
 * logging policy is uniformly random (the {@code random} logs: every propensity 1/34). For other
 * logging policies use {@link #logged(ContextEvent)} (logged item, reward and propensity) with an
 * inverse-propensity estimator instead.
 *
 * <p>{@link #next(long)} must be called from one thread; {@link #outcome(ContextEvent, String)} and
 * {@link #logged(ContextEvent)} are thread-safe.
 */
public final class LoggedBanditReplay implements Environment {

    public static final String NAME = "obd";
    public static final String TIMESTAMP = "timestamp";
    public static final String ITEM_ID = "item_id";
    public static final String POSITION = "position";
    public static final String CLICK = "click";
    public static final String PROPENSITY = "propensity_score";
    public static final String USER_FEATURE_PREFIX = "user_feature_";
    public static final String AFFINITY_PREFIX = "user-item_affinity_";
    public static final String ITEM_FEATURE_PREFIX = "item_feature_";
    public static final String POSITION_PREFIX = "position_";
    public static final String AFFINITY = "affinity";

    private static final long OUTCOME_STREAM = 0x6f7574636f6d65L;
    private static final DateTimeFormatter SPACE_OR_T = new DateTimeFormatterBuilder()
            .parseCaseInsensitive()
            .append(DateTimeFormatter.ISO_LOCAL_DATE)
            .optionalStart().appendLiteral(' ').optionalEnd()
            .optionalStart().appendLiteral('T').optionalEnd()
            .append(DateTimeFormatter.ISO_LOCAL_TIME)
            .optionalStart().appendOffset("+HH:MM", "Z").optionalEnd()
            .optionalStart().appendOffset("+HHMM", "Z").optionalEnd()
            .toFormatter();

    /**
     * What the logging policy did at one logged row.
     *
     * @param row             the row in the file (0 = first data row)
     * @param timestampMicros the logged time, epoch microseconds
     * @param actionId        the logged item, {@code item-K}
     * @param position        the slot
     * @param reward          the logged click (0 or 1)
     * @param propensity      the logging policy's probability of the logged item, in (0, 1]
     */
    public record LoggedDecision(int row, long timestampMicros, String actionId, int position, double reward,
            double propensity) {}

    private final LoggedBanditConfig config;
    private final LoggedDecision[] decisions; // in timestamp order
    private final List<String> contextNames;
    private final double[][] contextValues; // per timestamp-order index
    private final List<String> itemIds;
    private final Map<String, Integer> itemIndex;
    private final List<String> actionFeatureNames;
    private final String[] itemFeatureNames;
    private final double[][] itemFeatures; // per item, the numeric item_feature_* values
    private final double[][] affinities; // per timestamp-order index, per item
    private final String[] entityIds;
    private final String eventIdPrefix;
    private long index;

    /** Reads the log and, when configured, the item context. */
    public LoggedBanditReplay(LoggedBanditConfig config) {
        this(config, CsvTable.read(config.path()),
                config.itemContextPath() == null ? null : CsvTable.read(config.itemContextPath()));
    }

    /**
     * @param config      entities, seed and delays (the paths are not read)
     * @param log         the logged rows
     * @param itemContext the item features, or null
     */
    public LoggedBanditReplay(LoggedBanditConfig config, CsvTable log, CsvTable itemContext) {
        this.config = config;
        int ts = require(log, TIMESTAMP);
        int item = require(log, ITEM_ID);
        int pos = require(log, POSITION);
        int click = require(log, CLICK);
        int prop = require(log, PROPENSITY);
        int n = log.rowCount();
        if (n == 0) {
            throw new IllegalArgumentException("the log " + log.source() + " has no rows; give logged data");
        }

        // items: the item context's, or those seen in the log
        LinkedHashSet<String> rawItems = new LinkedHashSet<>();
        List<Integer> featureColumns = new ArrayList<>();
        if (itemContext != null) {
            int id = require(itemContext, ITEM_ID);
            for (int r = 0; r < itemContext.rowCount(); r++) {
                rawItems.add(itemContext.get(r, id).trim());
            }
            for (int j = 0; j < itemContext.header().size(); j++) {
                if (itemContext.header().get(j).startsWith(ITEM_FEATURE_PREFIX) && numeric(itemContext, j)) {
                    featureColumns.add(j);
                }
            }
        }
        for (int r = 0; r < n; r++) {
            String raw = log.get(r, item).trim();
            if (itemContext != null && !rawItems.contains(raw)) {
                throw new IllegalArgumentException("item_id " + raw + " of row " + r + " of " + log.source()
                        + " is not in the item context " + itemContext.source() + "; give the matching item context");
            }
            rawItems.add(raw);
        }
        List<String> sortedItems = new ArrayList<>(rawItems);
        sortedItems.sort(numericThenText());
        this.itemIds = sortedItems.stream().map(s -> "item-" + s).toList();
        Map<String, Integer> idx = new HashMap<>();
        for (int k = 0; k < itemIds.size(); k++) {
            idx.put(itemIds.get(k), k);
        }
        this.itemIndex = Map.copyOf(idx);
        this.itemFeatureNames = new String[featureColumns.size()];
        this.itemFeatures = new double[itemIds.size()][featureColumns.size()];
        List<String> actionNames = new ArrayList<>();
        actionNames.add(AFFINITY);
        for (int f = 0; f < featureColumns.size(); f++) {
            itemFeatureNames[f] = itemContext.header().get(featureColumns.get(f));
            actionNames.add(itemFeatureNames[f]);
        }
        if (itemContext != null) {
            int id = itemContext.columnIndex(ITEM_ID);
            for (int r = 0; r < itemContext.rowCount(); r++) {
                int k = itemIndex.get("item-" + itemContext.get(r, id).trim());
                for (int f = 0; f < featureColumns.size(); f++) {
                    itemFeatures[k][f] = number(itemContext, r, featureColumns.get(f), 0.0);
                }
            }
        }
        this.actionFeatureNames = List.copyOf(actionNames);

        // logged decisions, in timestamp order
        LoggedDecision[] byRow = new LoggedDecision[n];
        for (int r = 0; r < n; r++) {
            double p = number(log, r, prop, Double.NaN);
            double c = number(log, r, click, Double.NaN);
            double position = number(log, r, pos, Double.NaN);
            if (!(p > 0 && p <= 1)) {
                throw new IllegalArgumentException("propensity_score " + log.get(r, prop) + " of row " + r + " of "
                        + log.source() + " is outside (0, 1]; a logged action must have had a positive probability");
            }
            if (!(c >= 0 && c <= 1)) {
                throw new IllegalArgumentException("click " + log.get(r, click) + " of row " + r + " of "
                        + log.source() + " is outside [0, 1]; rewards must be normalised");
            }
            if (!(position >= 1 && position == Math.rint(position))) {
                throw new IllegalArgumentException("position " + log.get(r, pos) + " of row " + r + " of "
                        + log.source() + " is not a slot number 1, 2, ...");
            }
            byRow[r] = new LoggedDecision(r, timestampMicros(log.get(r, ts), r, log.source()),
                    "item-" + log.get(r, item).trim(), (int) position, c, p);
        }
        this.decisions = byRow.clone();
        Arrays.sort(decisions, Comparator.comparingLong(LoggedDecision::timestampMicros)
                .thenComparingInt(LoggedDecision::row));

        // context features
        TreeSet<Integer> positions = new TreeSet<>();
        for (LoggedDecision d : decisions) {
            positions.add(d.position());
        }
        List<String> names = new ArrayList<>();
        for (int p : positions) {
            names.add(POSITION_PREFIX + p);
        }
        List<Encoded> encoded = new ArrayList<>();
        Map<Integer, Integer> affinityColumnOfItem = new HashMap<>();
        for (int j = 0; j < log.header().size(); j++) {
            String h = log.header().get(j);
            if (h.startsWith(USER_FEATURE_PREFIX)) {
                Encoded e = numeric(log, j) ? new Encoded(j, new String[] {h}, null)
                        : indicators(log, j);
                encoded.add(e);
                names.addAll(List.of(e.names()));
            } else if (h.startsWith(AFFINITY_PREFIX)) {
                encoded.add(new Encoded(j, new String[] {h}, null));
                names.add(h);
                Integer k = itemIndex.get("item-" + h.substring(AFFINITY_PREFIX.length()));
                if (k != null) {
                    affinityColumnOfItem.put(k, j);
                }
            }
        }
        this.contextNames = List.copyOf(names);
        this.contextValues = new double[n][names.size()];
        this.affinities = new double[n][itemIds.size()];
        List<Integer> positionList = new ArrayList<>(positions);
        for (int j = 0; j < n; j++) {
            int r = decisions[j].row();
            double[] values = contextValues[j];
            values[positionList.indexOf(decisions[j].position())] = 1.0;
            int at = positionList.size();
            for (Encoded e : encoded) {
                if (e.categories() == null) {
                    values[at++] = number(log, r, e.column(), 0.0);
                } else {
                    String v = log.get(r, e.column());
                    for (String category : e.categories()) {
                        values[at++] = category.equals(v) ? 1.0 : 0.0;
                    }
                }
            }
            for (Map.Entry<Integer, Integer> a : affinityColumnOfItem.entrySet()) {
                affinities[j][a.getKey()] = number(log, r, a.getValue(), 0.0);
            }
        }
        this.entityIds = new String[config.entities()];
        for (int e = 0; e < entityIds.length; e++) {
            entityIds[e] = NAME + "-" + e;
        }
        this.eventIdPrefix = NAME + "-" + Long.toUnsignedString(config.seed(), 36) + "-";
    }

    /** A column encoded as itself (categories null) or as one indicator per category. */
    private record Encoded(int column, String[] names, String[] categories) {}

    private static Encoded indicators(CsvTable t, int column) {
        TreeSet<String> values = new TreeSet<>();
        for (int r = 0; r < t.rowCount(); r++) {
            values.add(t.get(r, column));
        }
        String[] categories = values.toArray(String[]::new);
        String[] names = new String[categories.length];
        for (int v = 0; v < categories.length; v++) {
            names[v] = t.header().get(column) + "=" + categories[v];
        }
        return new Encoded(column, names, categories);
    }

    public LoggedBanditConfig config() {
        return config;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<String> contextFeatureNames() {
        return contextNames;
    }

    @Override
    public List<String> actionFeatureNames() {
        return actionFeatureNames;
    }

    /** Every item's action id, in order. */
    public List<String> actionIds() {
        return itemIds;
    }

    /** Number of logged rows (events per pass). */
    public int size() {
        return decisions.length;
    }

    /** The logged decision at position {@code j} of the timestamp order. */
    public LoggedDecision loggedAt(int j) {
        return decisions[j];
    }

    /** What the logging policy did for {@code event}. */
    public LoggedDecision logged(ContextEvent event) {
        return decisions[orderIndex(event)];
    }

    /** True when {@code actionId} is the logged item of {@code event} (the decision gets feedback). */
    public boolean matches(ContextEvent event, String actionId) {
        return logged(event).actionId().equals(actionId);
    }

    @Override
    public ContextEvent next(long eventTimeMillis) {
        long i = index++;
        int j = (int) (i % decisions.length);
        double[] values = contextValues[j];
        Map<String, Double> features = new HashMap<>(4 * values.length / 3 + 2);
        for (int f = 0; f < values.length; f++) {
            features.put(contextNames.get(f), values[f]);
        }
        List<Action> actions = new ArrayList<>(itemIds.size());
        for (int k = 0; k < itemIds.size(); k++) {
            Map<String, Double> af = new HashMap<>(4 * actionFeatureNames.size() / 3 + 2);
            af.put(AFFINITY, affinities[j][k]);
            for (int f = 0; f < itemFeatureNames.length; f++) {
                af.put(itemFeatureNames[f], itemFeatures[k][f]);
            }
            actions.add(new Action(itemIds.get(k), af));
        }
        return ContextEvent.newBuilder()
                .setEventId(eventIdPrefix + i + "-" + j)
                .setEntityId(entityIds[j % entityIds.length])
                .setTimestamp(eventTimeMillis)
                .setDomain(NAME)
                .setFeatures(features)
                .setActions(actions)
                .setOracleRewards(null)
                .build();
    }

    @Override
    public Outcome outcome(ContextEvent event, String actionId) {
        if (!itemIndex.containsKey(actionId)) {
            throw new IllegalArgumentException("action \"" + actionId + "\" was not offered in event "
                    + event.getEventId() + "; choose one of the items item-K");
        }
        LoggedDecision d = logged(event);
        if (!d.actionId().equals(actionId)) {
            return new Outcome(0.0, 0, false); // rejected: the log does not know this action's reward
        }
        SplittableRandom r = Seeds.random(config.seed(), OUTCOME_STREAM, Seeds.hash64(event.getEventId()));
        long delay = config.delays().sample(r);
        return new Outcome(d.reward(), Math.max(0, delay), delay >= 0);
    }

    private int orderIndex(ContextEvent event) {
        String id = event.getEventId();
        int dash = id.lastIndexOf('-');
        try {
            int j = Integer.parseInt(id.substring(dash + 1));
            if (id.startsWith(eventIdPrefix) && j >= 0 && j < decisions.length) {
                return j;
            }
        } catch (NumberFormatException e) {
            // fall through
        }
        throw new IllegalArgumentException("event " + id + " was not produced by this replay (ids are "
                + eventIdPrefix + "I-J); pass the event next() returned");
    }

    /** Epoch microseconds of a logged timestamp: ISO-like text with optional offset (UTC if none), or epoch ms. */
    static long timestampMicros(String text, int row, String source) {
        String s = text.trim();
        try {
            if (!s.isEmpty() && s.chars().allMatch(ch -> ch >= '0' && ch <= '9')) {
                return Long.parseLong(s) * 1000L;
            }
            TemporalAccessor t = SPACE_OR_T.parse(s);
            LocalDateTime local = LocalDateTime.of(
                    t.get(ChronoField.YEAR), t.get(ChronoField.MONTH_OF_YEAR), t.get(ChronoField.DAY_OF_MONTH),
                    t.get(ChronoField.HOUR_OF_DAY), t.get(ChronoField.MINUTE_OF_HOUR),
                    t.isSupported(ChronoField.SECOND_OF_MINUTE) ? t.get(ChronoField.SECOND_OF_MINUTE) : 0,
                    t.isSupported(ChronoField.NANO_OF_SECOND) ? t.get(ChronoField.NANO_OF_SECOND) : 0);
            ZoneOffset offset = t.isSupported(ChronoField.OFFSET_SECONDS)
                    ? ZoneOffset.ofTotalSeconds(t.get(ChronoField.OFFSET_SECONDS)) : ZoneOffset.UTC;
            OffsetDateTime odt = local.atOffset(offset);
            return odt.toEpochSecond() * 1_000_000L + odt.getNano() / 1_000L;
        } catch (DateTimeParseException | NumberFormatException e) {
            throw new IllegalArgumentException("timestamp \"" + text + "\" of row " + row + " of " + source
                    + " is not a date-time like 2019-11-24 00:03:13.442536+00:00 nor epoch milliseconds");
        }
    }

    private static int require(CsvTable t, String name) {
        int j = t.columnIndex(name);
        if (j < 0) {
            throw new IllegalArgumentException(t.source() + " has no column \"" + name
                    + "\"; the Open Bandit Dataset layout needs timestamp, item_id, position, click, "
                    + "propensity_score (item context: item_id); its columns are " + t.header());
        }
        return j;
    }

    private static boolean numeric(CsvTable t, int column) {
        boolean any = false;
        for (int r = 0; r < t.rowCount(); r++) {
            String s = t.get(r, column).trim();
            if (s.isEmpty()) {
                continue;
            }
            if (CsvTable.number(s) == null) {
                return false;
            }
            any = true;
        }
        return any;
    }

    private static double number(CsvTable t, int row, int column, double missing) {
        Double v = CsvTable.number(t.get(row, column));
        return v == null ? missing : v;
    }

    private static Comparator<String> numericThenText() {
        return (a, b) -> {
            Double x = CsvTable.number(a);
            Double y = CsvTable.number(b);
            if (x != null && y != null) {
                return Double.compare(x, y);
            }
            if (x != null) {
                return -1;
            }
            return y != null ? 1 : a.compareTo(b);
        };
    }
}
