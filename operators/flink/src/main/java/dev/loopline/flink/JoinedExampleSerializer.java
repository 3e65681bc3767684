package dev.loopline.flink;

import dev.loopline.schemas.internal.JoinOutcome;
import dev.loopline.schemas.internal.JoinedExample;
import java.io.IOException;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/** A joined example in the direct form: what the trainer and the off-policy evaluation receive and buffer. */
public final class JoinedExampleSerializer extends DirectSerializer<JoinedExample> {
    private static final long serialVersionUID = 1L;
    public static final TypeInformation<JoinedExample> TYPE = new DirectSerializer.Info<>(JoinedExample.class,
            new JoinedExampleSerializer());
    private static final JoinOutcome[] OUTCOMES = JoinOutcome.values();

    @Override
    protected void write(JoinedExample e, DataOutputView out, RecordCodec codec) throws IOException {
        RecordCodec.writeOptional(e.getContext(), out, codec::writeContext);
        RecordCodec.writeOptional(e.getDecision(), out, codec::writeDecision);
        out.writeDouble(e.getReward());
        out.writeByte(e.getOutcome().ordinal());
        out.writeLong(e.getResolvedAt());
        RecordCodec.writeNullable(e.getBasePrediction(), out);
        RecordCodec.writeNullable(e.getServedPrediction(), out);
        out.writeInt(e.getMemoryNeighbours());
        RecordCodec.writeNullable(e.getMemoryOccupancy(), out);
    }

    @Override
    protected JoinedExample read(DataInputView in, RecordCodec codec) throws IOException {
        return JoinedExample.newBuilder().setContext(RecordCodec.readOptional(in, codec::readContext))
                .setDecision(RecordCodec.readOptional(in, codec::readDecision)).setReward(in.readDouble())
                .setOutcome(OUTCOMES[in.readByte()]).setResolvedAt(in.readLong())
                .setBasePrediction(RecordCodec.readNullable(in)).setServedPrediction(RecordCodec.readNullable(in))
                .setMemoryNeighbours(in.readInt()).setMemoryOccupancy(RecordCodec.readNullable(in)).build();
    }

    @Override
    protected JoinedExample copyOf(JoinedExample e) {
        return JoinedExample.newBuilder(e).build();
    }

    @Override
    public JoinedExampleSerializer duplicate() {
        return new JoinedExampleSerializer();
    }

    @Override
    public JoinedExample createInstance() {
        return new JoinedExample();
    }
}
