package dev.loopline.flink;

import dev.loopline.schemas.internal.LoopInput;
import java.io.IOException;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/** An element of the keyed loop stream (a context or a feedback event) in the direct form, from decoding to deciding. */
public final class LoopInputSerializer extends DirectSerializer<LoopInput> {
    private static final long serialVersionUID = 1L;
    public static final TypeInformation<LoopInput> TYPE = new DirectSerializer.Info<>(LoopInput.class,
            new LoopInputSerializer());

    @Override
    protected void write(LoopInput input, DataOutputView out, RecordCodec codec) throws IOException {
        RecordCodec.writeOptional(input.getContext(), out, codec::writeContext);
        RecordCodec.writeOptional(input.getFeedback(), out, codec::writeFeedback);
        out.writeLong(input.getAppendTime());
        RecordCodec.writeText(input.getRoutingKey(), out);
    }

    @Override
    protected LoopInput read(DataInputView in, RecordCodec codec) throws IOException {
        return LoopInput.newBuilder().setContext(RecordCodec.readOptional(in, codec::readContext))
                .setFeedback(RecordCodec.readOptional(in, codec::readFeedback)).setAppendTime(in.readLong())
                .setRoutingKey(codec.readName(in)).build();
    }

    @Override
    protected LoopInput copyOf(LoopInput input) {
        return LoopInput.newBuilder(input).build();
    }

    @Override
    public LoopInputSerializer duplicate() {
        return new LoopInputSerializer();
    }

    @Override
    public LoopInput createInstance() {
        return new LoopInput();
    }
}
