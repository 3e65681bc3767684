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
        MALFORMED_BYTES(Topic.CONTEXT),
        /** The {@code C3 01} header with a fingerprint no known schema has, then a valid body (context topic). */
        UNKNOWN_FINGERPRINT(Topic.CONTEXT),
        /** A well-encoded context event with a NaN feature value. */
        NAN_FEATURE(Topic.CONTEXT),
        /** A well-encoded context event that offers no action. */
        EMPTY_ACTIONS(Topic.CONTEXT),
        /** A well-encoded feedback record for a decision id that was never decided (feedback topic). */
        ORPHAN_FEEDBACK(Topic.FEEDBACK),
        /** A well-encoded context event stamped 100 years ahead (it must not move the loop's event time). */
        FUTURE_TIMESTAMP(Topic.CONTEXT);

        private final Topic topic;

        Kind(Topic topic) {
            this.topic = topic;
        }

        public Topic topic() {
            return topic;
        }
    }
}
