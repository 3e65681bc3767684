package dev.loopline.flink;

import dev.loopline.schemas.ModelVersion;
import dev.loopline.schemas.codec.Codecs;
import dev.loopline.schemas.codec.RecordRejectedException;
import dev.loopline.schemas.codec.SingleObjectCodec;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Decodes model versions from the model topic. Unreadable records become dead letters here; readable
 * but unusable versions (checksum, format, input size) are refused by the decision operator.
 */
public final class DecodeModelVersion extends ProcessFunction<RawRecord, ModelVersion> {
    private transient SingleObjectCodec<ModelVersion> codec;

    @Override
    public void open(OpenContext openContext) {
        codec = Codecs.model();
    }

    @Override
    public void processElement(RawRecord raw, Context ctx, Collector<ModelVersion> out) {
        if (raw.value == null) {
            return; // a compaction tombstone: nothing to serve
        }
        try {
            out.collect(codec.decode(raw.value));
        } catch (RecordRejectedException e) {
            ctx.output(DeadLetters.TAG, DeadLetters.of(raw, e.getMessage()));
        }
    }
}
