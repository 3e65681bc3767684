package dev.loopline.flink;

import dev.loopline.schemas.DeadLetter;
import java.nio.ByteBuffer;
import org.apache.flink.util.OutputTag;

/** The one side output every operator sends refused records to. */
public final class DeadLetters {
    public static final OutputTag<DeadLetter> TAG = new OutputTag<>("dead-letters") {};

    private DeadLetters() {}

    public static DeadLetter of(RawRecord raw, String reason) {
        return of(raw.topic, raw.partition, raw.offset, raw.value, reason);
    }

    public static DeadLetter of(String topic, int partition, long offset, byte[] payload, String reason) {
        return DeadLetter.newBuilder().setSourceTopic(topic).setPartition(partition).setOffset(offset)
                .setReason(reason).setPayload(ByteBuffer.wrap(payload == null ? new byte[0] : payload))
                .setTimestamp(System.currentTimeMillis()).build();
    }
}
