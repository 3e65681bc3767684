package dev.loopline.flink;

import dev.loopline.schemas.internal.LoopInput;

/**
 * The loop is keyed so that a decision and its feedback meet in one place, in order: by entity, or by
 * the routing key a {@link SegmentRouter} set (segment or global scope).
 */
public final class LoopKeys {
    private LoopKeys() {}

    public static String entityOf(LoopInput input) {
        return input.getContext() != null ? input.getContext().getEntityId() : input.getFeedback().getEntityId();
    }

    /** The key of the loop operator: the routing key a router set (segment, global), else the entity. */
    public static String routingOf(LoopInput input) {
        return input.getRoutingKey().isEmpty() ? entityOf(input) : input.getRoutingKey();
    }
}
