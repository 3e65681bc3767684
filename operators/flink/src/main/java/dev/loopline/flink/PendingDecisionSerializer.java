package dev.loopline.flink;

import dev.loopline.schemas.internal.PendingDecision;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/** A pending decision (the feedback join's state) in the direct form: context and decision, then the join's fields. */
public final class PendingDecisionSerializer extends DirectSerializer<PendingDecision> {
    private static final long serialVersionUID = 1L;

    @Override
    protected void write(PendingDecision p, DataOutputView out, RecordCodec codec) throws IOException {
        RecordCodec.writeOptional(p.getContext(), out, codec::writeContext);
        RecordCodec.writeOptional(p.getDecision(), out, codec::writeDecision);
        out.writeLong(p.getDeadline());
        out.writeBoolean(p.getResolved());
        out.writeDouble(p.getRewardSum());
        out.writeInt(p.getFeedbackTimes().size());
        for (long t : p.getFeedbackTimes()) {
            out.writeLong(t);
        }
        RecordCodec.writeNullable(p.getBasePrediction(), out);
        RecordCodec.writeNullable(p.getServedPrediction(), out);
        out.writeInt(p.getMemoryNeighbours());
        RecordCodec.writeNullable(p.getMemoryOccupancy(), out);
    }

    @Override
    protected PendingDecision read(DataInputView in, RecordCodec codec) throws IOException {
        PendingDecision.Builder p = PendingDecision.newBuilder()
                .setContext(RecordCodec.readOptional(in, codec::readContext))
                .setDecision(RecordCodec.readOptional(in, codec::readDecision))
                .setDeadline(in.readLong()).setResolved(in.readBoolean()).setRewardSum(in.readDouble());
        int times = in.readInt();
        List<Long> feedbackTimes = new ArrayList<>(times);
        for (int i = 0; i < times; i++) {
            feedbackTimes.add(in.readLong());
        }
        return p.setFeedbackTimes(feedbackTimes).setBasePrediction(RecordCodec.readNullable(in))
                .setServedPrediction(RecordCodec.readNullable(in)).setMemoryNeighbours(in.readInt())
                .setMemoryOccupancy(RecordCodec.readNullable(in)).build();
    }

    @Override
    protected PendingDecision copyOf(PendingDecision p) {
        return PendingDecision.newBuilder(p).build();
    }

    @Override
    public PendingDecisionSerializer duplicate() {
        return new PendingDecisionSerializer();
    }

    @Override
    public PendingDecision createInstance() {
        return new PendingDecision();
    }
}
