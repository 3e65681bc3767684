package dev.loopline.flink;

import java.time.Duration;
import org.apache.flink.api.common.state.StateDescriptor;
import org.apache.flink.api.common.state.StateTtlConfig;

/** The loop's per-key retention ({@code state.keyRetentionMillis}) as Flink state time-to-live. */
final class KeyRetention {
    private KeyRetention() {}

    /**
     * {@code descriptor} expiring {@code millis} after its last write (0: never). Flink restores state
     * written without a time-to-live into it, so savepoints of earlier releases still restore.
     */
    static <D extends StateDescriptor<?, ?>> D retained(D descriptor, long millis) {
        if (millis > 0) {
            descriptor.enableTimeToLive(StateTtlConfig.newBuilder(Duration.ofMillis(millis))
                    .setUpdateType(StateTtlConfig.UpdateType.OnCreateAndWrite)
                    .setStateVisibility(StateTtlConfig.StateVisibility.NeverReturnExpired).build());
        }
        return descriptor;
    }
}
