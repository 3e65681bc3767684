package dev.loopline.flink;

import dev.loopline.schemas.internal.LoopInput;

/** The loop is keyed by entity: one entity's context and feedback meet in one place, in order. */
public final class LoopKeys {
    private LoopKeys() {}

    public static String entityOf(LoopInput input) {
        return input.getContext() != null ? input.getContext().getEntityId() : input.getFeedback().getEntityId();
    }
}
