package dev.loopline.core.validate;

import java.io.Serializable;

/**
 * How large and how far off in time an input record may be before the loop refuses it ({@code limits.*}
 * in {@code loop.yaml}). Each limit keeps one bad record from costing the loop more than a dead letter:
 * memory (record size, features, actions) or its event time (timestamps).
 *
 * @param maxRecordBytes     largest record value, checked before decoding
 * @param maxFeatures        most features of one context event, its own and its actions' together
 * @param maxActions         most actions one context event may offer
 * @param maxClockSkewMillis how far a record may be stamped after its broker append time (0: unchecked)
 * @param maxAgeMillis       how far a record may be stamped before its broker append time (0: unchecked)
 */
public record Limits(int maxRecordBytes, int maxFeatures, int maxActions, long maxClockSkewMillis, long maxAgeMillis)
        implements Serializable {
    public static final Limits DEFAULTS = new Limits(512 * 1024, 10_000, 1_000, 300_000, 30L * 24 * 3600 * 1000);

    public Limits {
        if (maxRecordBytes < 64 || maxFeatures < 1 || maxActions < 1 || maxClockSkewMillis < 0 || maxAgeMillis < 0) {
            throw new IllegalArgumentException("limits must be positive (maxRecordBytes at least 64; the time limits may"
                    + " be 0 for unchecked): " + this);
        }
    }
}
