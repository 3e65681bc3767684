package dev.loopline.envs;

/**
 * One record Loopline must send to the dead-letter topic instead of deciding on it.
 *
 * @param kind        what is wrong with it
 * @param topic       which input topic it goes to
 * @param key         record key: the UTF-8 entity id
 * @param value       record value bytes
 */
public record BadRecord(Kind kind, Topic topic, byte[] key, byte[] value) {

    /** The input topic a bad record is written to. */
    public enum Topic { CONTEXT, FEEDBACK }

    /** The kinds of bad record, in the order {@link BadRecords} cycles through them. */
    public enum Kind {
        /** Bytes that are not Avro single-object encoding at all (context topic). */
        MALFORMED_BYTES(Topic.CONTEXT, "malformed-bytes"),
        /** The {@code C3 01} header with a fingerprint no known schema has, then a valid body (context topic). */
        UNKNOWN_FINGERPRINT(Topic.CONTEXT, "unknown-schema"),
        /** A well-encoded context event with a NaN feature value. */
        NAN_FEATURE(Topic.CONTEXT, "non-finite-feature"),
        /** A well-encoded context event that offers no action. */
        EMPTY_ACTIONS(Topic.CONTEXT, "empty-actions"),
        /** A well-encoded feedback record for a decision id that was never decided (feedback topic). */
        ORPHAN_FEEDBACK(Topic.FEEDBACK, "unknown-decision"),
        /** A well-encoded context event stamped 100 years ahead (it must not move the loop's event time). */
        FUTURE_TIMESTAMP(Topic.CONTEXT, "future-timestamp"),
        /** A valid context encoding cut off halfway. */
        TRUNCATED_RECORD(Topic.CONTEXT, "truncated-record"),
        /** A well-encoded feedback record whose reward is infinite (feedback topic). */
        INFINITE_REWARD(Topic.FEEDBACK, "non-finite-reward"),
        /** A context event that offers the same action twice. */
        DUPLICATE_ACTION(Topic.CONTEXT, "duplicate-action"),
        /** A context event with 20,000 features (more than {@code limits.maxFeatures}, and under Kafka's 1 MB). */
        TOO_MANY_FEATURES(Topic.CONTEXT, "too-many-features"),
        /** A context event whose domain is a 700 KB string (more than {@code limits.maxRecordBytes}). */
        RECORD_TOO_LARGE(Topic.CONTEXT, "record-too-large"),
        /** A context event stamped 100 years ago. */
        PAST_TIMESTAMP(Topic.CONTEXT, "past-timestamp");

        private final Topic topic;
        private final String deadLetterKind;

        Kind(Topic topic, String deadLetterKind) {
            this.topic = topic;
            this.deadLetterKind = deadLetterKind;
        }

        public Topic topic() {
            return topic;
        }

        /** The kind its dead letter's reason names. */
        public String deadLetterKind() {
            return deadLetterKind;
        }
    }
}
