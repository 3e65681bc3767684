package dev.loopline.envs;

import dev.loopline.schemas.Action;
import dev.loopline.schemas.ContextEvent;
import dev.loopline.schemas.Feedback;
import dev.loopline.schemas.codec.Codecs;
import dev.loopline.schemas.codec.SingleObjectCodec;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Generates the bad records Loopline must dead-letter, cycling through the twelve {@link BadRecord.Kind}s in
 * declaration order: malformed bytes, unknown schema fingerprint, NaN feature, empty action set, feedback
 * for a decision that was never made, a context event stamped 100 years ahead, a truncated encoding, an
 * infinite reward, a duplicated action, 20,000 features, a 700 KB record and one stamped 100 years ago.
 * Deterministic
 * for the seed. Ids start with {@code bad-} so they never collide with an environment's events.
 * Not thread-safe.
 */
public final class BadRecords {
    private static final long CENTURY_MILLIS = 100L * 365 * 24 * 3600 * 1000;
    private static final byte[] NOT_AVRO = "this is not avro: {\"eventId\": 42}".getBytes(StandardCharsets.UTF_8);

    private final long seed;
    private final String domain;
    private final SingleObjectCodec<ContextEvent> contextCodec = Codecs.context();
    private final SingleObjectCodec<Feedback> feedbackCodec = Codecs.feedback();
    private long index;

    /**
     * @param seed   seed of the random content
     * @param domain domain written into the bad context events
     */
    public BadRecords(long seed, String domain) {
        this.seed = seed;
        this.domain = domain;
    }

    /** The next bad record, event time {@code timestampMillis}. */
    public BadRecord next(long timestampMillis) {
        long i = index++;
        BadRecord.Kind kind = BadRecord.Kind.values()[(int) (i % BadRecord.Kind.values().length)];
        SplittableRandom r = Seeds.random(seed, 0x626164L, i);
        String entity = String.format("merchant-%02d", r.nextInt(24));
        String id = "bad-" + Long.toUnsignedString(seed, 36) + "-" + i;
        byte[] key = entity.getBytes(StandardCharsets.UTF_8);
        byte[] value = switch (kind) {
            case MALFORMED_BYTES -> {
                byte[] noise = new byte[8 + r.nextInt(24)];
                for (int j = 0; j < noise.length; j++) {
                    noise[j] = (byte) r.nextInt(256);
                }
                byte[] v = Arrays.copyOf(NOT_AVRO, NOT_AVRO.length + noise.length);
                System.arraycopy(noise, 0, v, NOT_AVRO.length, noise.length);
                yield v;
            }
            case UNKNOWN_FINGERPRINT -> {
                byte[] v = contextCodec.encode(event(id, entity, timestampMillis, r, false, false));
                long fingerprint = r.nextLong();
                for (int j = 0; j < 8; j++) {
                    v[2 + j] = (byte) (fingerprint >>> (8 * j));
                }
                yield v;
            }
            case NAN_FEATURE -> contextCodec.encode(event(id, entity, timestampMillis, r, true, false));
            case EMPTY_ACTIONS -> contextCodec.encode(event(id, entity, timestampMillis, r, false, true));
            case ORPHAN_FEEDBACK -> feedbackCodec.encode(Feedback.newBuilder()
                    .setDecisionId(id + "-never-decided")
                    .setEntityId(entity)
                    .setTimestamp(timestampMillis)
                    .setReward(1.0)
                    .build());
            case FUTURE_TIMESTAMP -> contextCodec.encode(event(id, entity, timestampMillis + CENTURY_MILLIS, r, false, false));
            case TRUNCATED_RECORD -> {
                byte[] whole = contextCodec.encode(event(id, entity, timestampMillis, r, false, false));
                yield Arrays.copyOf(whole, whole.length / 2);
            }
            case INFINITE_REWARD -> feedbackCodec.encode(Feedback.newBuilder().setDecisionId(id + "-infinite")
                    .setEntityId(entity).setTimestamp(timestampMillis).setReward(Double.POSITIVE_INFINITY).build());
            case DUPLICATE_ACTION -> {
                ContextEvent e = event(id, entity, timestampMillis, r, false, false);
                List<Action> twice = new ArrayList<>(e.getActions());
                twice.add(e.getActions().get(0));
                e.setActions(twice);
                yield contextCodec.encode(e);
            }
            case TOO_MANY_FEATURES -> {
                ContextEvent e = event(id, entity, timestampMillis, r, false, false);
                Map<String, Double> many = new HashMap<>();
                for (int j = 0; j < 20_000; j++) {
                    many.put(Integer.toString(j, 36), r.nextDouble());
                }
                e.setFeatures(many);
                yield contextCodec.encode(e);
            }
            case RECORD_TOO_LARGE -> {
                ContextEvent e = event(id, entity, timestampMillis, r, false, false);
                e.setDomain("x".repeat(700 * 1024));
                yield contextCodec.encode(e);
            }
            case PAST_TIMESTAMP -> contextCodec.encode(event(id, entity, timestampMillis - CENTURY_MILLIS, r, false, false));
        };
        return new BadRecord(kind, kind.topic(), key, value);
    }

    /** The next {@code n} bad records. */
    public List<BadRecord> next(int n, long timestampMillis) {
        List<BadRecord> records = new ArrayList<>(n);
        for (int j = 0; j < n; j++) {
            records.add(next(timestampMillis));
        }
        return records;
    }

    private ContextEvent event(String id, String entity, long ts, SplittableRandom r, boolean nan, boolean empty) {
        Map<String, Double> features = new HashMap<>();
        features.put("amount_log", r.nextDouble());
        features.put("hour_sin", r.nextDouble() * 2 - 1);
        if (nan) {
            features.put("hour_cos", Double.NaN);
        }
        List<Action> actions = new ArrayList<>();
        Map<String, Double> oracle = new HashMap<>();
        if (!empty) {
            for (int k = 0; k < 2; k++) {
                actions.add(new Action("route-" + k, Map.of("fee", 0.5)));
                oracle.put("route-" + k, 0.5);
            }
        }
        return ContextEvent.newBuilder()
                .setEventId(id)
                .setEntityId(entity)
                .setTimestamp(ts)
                .setDomain(domain)
                .setFeatures(features)
                .setActions(actions)
                .setOracleRewards(oracle)
                .build();
    }
}
