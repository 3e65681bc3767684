package dev.loopline.envs.kafka;

import java.util.Objects;

/**
 * Configuration of a {@link KafkaEnvironmentRunner}. Immutable; validated on construction.
 *
 * @param bootstrapServers Kafka bootstrap servers, e.g. {@code 127.0.0.1:9092}; required
 * @param contextTopic     where context events go; default {@code loopline.context}
 * @param decisionsTopic   where decisions are read from; default {@code loopline.decisions}
 * @param feedbackTopic    where feedback goes; default {@code loopline.feedback}
 * @param seed             seed of the bad records' content (the environment has its own seed); default 1
 * @param ratePerSecond    good context events per second, 0 = as fast as back-pressure allows; default 0
 * @param maxEvents        good context events to send, 0 = unbounded; default 0
 * @param durationMillis   how long to produce, 0 = unbounded; default 0 (with maxEvents also 0 the run
 *                         produces until {@link KafkaEnvironmentRunner#stopProducing()} or close)
 * @param badRecords       bad records to inject, spread evenly over the run (by event count when
 *                         maxEvents is set, else by time when durationMillis is set, else one per
 *                         1000 good events until this many are sent); default 0
 * @param maxInFlight      most good events sent without a decision yet; the producer waits beyond it,
 *                         so it never runs away from the job; default 20000
 * @param fromBeginning    true: read the decisions topic from its beginning; false (default): from the
 *                         end offsets taken at {@code start()}, before the first event is sent, so no
 *                         decision of this run is missed and decisions left by an earlier run with the
 *                         same seed (hence the same event ids) are never mistaken for this run's
 */
public record KafkaRunnerConfig(
        String bootstrapServers,
        String contextTopic,
        String decisionsTopic,
        String feedbackTopic,
        long seed,
        double ratePerSecond,
        long maxEvents,
        long durationMillis,
        int badRecords,
        int maxInFlight,
        boolean fromBeginning) {

    public static final String DEFAULT_CONTEXT_TOPIC = "loopline.context";
    public static final String DEFAULT_DECISIONS_TOPIC = "loopline.decisions";
    public static final String DEFAULT_FEEDBACK_TOPIC = "loopline.feedback";
    public static final int DEFAULT_MAX_IN_FLIGHT = 20_000;

    public KafkaRunnerConfig {
        if (bootstrapServers == null || bootstrapServers.isBlank()) {
            throw new IllegalArgumentException("bootstrapServers is empty; give host:port of a broker, e.g. 127.0.0.1:9092");
        }
        topic("contextTopic", contextTopic, DEFAULT_CONTEXT_TOPIC);
        topic("decisionsTopic", decisionsTopic, DEFAULT_DECISIONS_TOPIC);
        topic("feedbackTopic", feedbackTopic, DEFAULT_FEEDBACK_TOPIC);
        if (!(ratePerSecond >= 0 && ratePerSecond <= 10_000_000)) {
            throw new IllegalArgumentException("ratePerSecond " + ratePerSecond
                    + " is outside [0, 10000000]; use 0 for as fast as possible");
        }
        if (maxEvents < 0) {
            throw new IllegalArgumentException("maxEvents " + maxEvents + " is negative; use 0 for unbounded");
        }
        if (durationMillis < 0) {
            throw new IllegalArgumentException("durationMillis " + durationMillis + " is negative; use 0 for unbounded");
        }
        if (badRecords < 0) {
            throw new IllegalArgumentException("badRecords " + badRecords + " is negative; use 0 for none");
        }
        if (maxInFlight < 1) {
            throw new IllegalArgumentException("maxInFlight " + maxInFlight + " is below 1; use e.g. "
                    + DEFAULT_MAX_IN_FLIGHT);
        }
    }

    /** Default topics, seed 1, unbounded, no bad records, 20000 in flight. */
    public static KafkaRunnerConfig defaults(String bootstrapServers) {
        return new KafkaRunnerConfig(bootstrapServers, DEFAULT_CONTEXT_TOPIC, DEFAULT_DECISIONS_TOPIC,
                DEFAULT_FEEDBACK_TOPIC, 1, 0, 0, 0, 0, DEFAULT_MAX_IN_FLIGHT, false);
    }

    public KafkaRunnerConfig withTopics(String context, String decisions, String feedback) {
        return new KafkaRunnerConfig(bootstrapServers, context, decisions, feedback, seed, ratePerSecond,
                maxEvents, durationMillis, badRecords, maxInFlight, fromBeginning);
    }

    public KafkaRunnerConfig withSeed(long value) {
        return new KafkaRunnerConfig(bootstrapServers, contextTopic, decisionsTopic, feedbackTopic, value,
                ratePerSecond, maxEvents, durationMillis, badRecords, maxInFlight, fromBeginning);
    }

    public KafkaRunnerConfig withRate(double eventsPerSecond) {
        return new KafkaRunnerConfig(bootstrapServers, contextTopic, decisionsTopic, feedbackTopic, seed,
                eventsPerSecond, maxEvents, durationMillis, badRecords, maxInFlight, fromBeginning);
    }

    public KafkaRunnerConfig withMaxEvents(long value) {
        return new KafkaRunnerConfig(bootstrapServers, contextTopic, decisionsTopic, feedbackTopic, seed,
                ratePerSecond, value, durationMillis, badRecords, maxInFlight, fromBeginning);
    }

    public KafkaRunnerConfig withDurationMillis(long value) {
        return new KafkaRunnerConfig(bootstrapServers, contextTopic, decisionsTopic, feedbackTopic, seed,
                ratePerSecond, maxEvents, value, badRecords, maxInFlight, fromBeginning);
    }

    public KafkaRunnerConfig withBadRecords(int value) {
        return new KafkaRunnerConfig(bootstrapServers, contextTopic, decisionsTopic, feedbackTopic, seed,
                ratePerSecond, maxEvents, durationMillis, value, maxInFlight, fromBeginning);
    }

    public KafkaRunnerConfig withMaxInFlight(int value) {
        return new KafkaRunnerConfig(bootstrapServers, contextTopic, decisionsTopic, feedbackTopic, seed,
                ratePerSecond, maxEvents, durationMillis, badRecords, value, fromBeginning);
    }

    public KafkaRunnerConfig withFromBeginning(boolean value) {
        return new KafkaRunnerConfig(bootstrapServers, contextTopic, decisionsTopic, feedbackTopic, seed,
                ratePerSecond, maxEvents, durationMillis, badRecords, maxInFlight, value);
    }

    /**
     * How many of the {@code badRecords} should have been sent once {@code sent} good events went out
     * and {@code elapsedMillis} passed; spreads them evenly (none at the very start or end).
     */
    public long badRecordsDue(long sent, long elapsedMillis) {
        if (badRecords == 0) {
            return 0;
        }
        long due;
        if (maxEvents > 0) {
            due = sent * (badRecords + 1L) / maxEvents;
        } else if (durationMillis > 0) {
            due = elapsedMillis * (badRecords + 1L) / durationMillis;
        } else {
            due = sent / 1_000;
        }
        return Math.min(badRecords, due);
    }

    private static void topic(String name, String value, String fallback) {
        Objects.requireNonNull(value, name + " is null; use \"" + fallback + "\"");
        if (value.isBlank()) {
            throw new IllegalArgumentException(name + " is blank; use \"" + fallback + "\" or a prefixed name");
        }
    }
}
