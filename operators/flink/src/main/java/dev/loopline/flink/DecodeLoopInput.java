package dev.loopline.flink;

import dev.loopline.core.validate.ContextRules;
import dev.loopline.core.validate.Limits;
import dev.loopline.core.validate.Rejection;
import dev.loopline.schemas.Action;
import dev.loopline.schemas.ContextEvent;
import dev.loopline.schemas.Feedback;
import dev.loopline.schemas.codec.Codecs;
import dev.loopline.schemas.codec.RecordRejectedException;
import dev.loopline.schemas.codec.SingleObjectCodec;
import dev.loopline.schemas.internal.LoopInput;
import java.util.List;
import java.util.Optional;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Decodes and validates context or feedback records. A record that cannot be read or breaks a rule
 * goes to {@link DeadLetters#TAG} with the reason; nothing is thrown, nothing is dropped.
 */
public final class DecodeLoopInput extends ProcessFunction<RawRecord, LoopInput> {
    public enum Kind { CONTEXT, FEEDBACK }

    private final Kind kind;
    private final Limits limits;
    private transient SingleObjectCodec<ContextEvent> contextCodec;
    private transient SingleObjectCodec<Feedback> feedbackCodec;
    private transient Counter refused;

    /** @param limits how large and how far off in time a record may be */
    public DecodeLoopInput(Kind kind, Limits limits) {
        this.kind = kind;
        this.limits = limits;
    }

    @Override
    public void open(OpenContext openContext) {
        contextCodec = Codecs.context();
        feedbackCodec = Codecs.feedback();
        refused = getRuntimeContext().getMetricGroup().counter("deadLetters");
    }

    @Override
    public void processElement(RawRecord raw, Context ctx, Collector<LoopInput> out) {
        try {
            Optional<Rejection> tooLarge = ContextRules.checkSize(raw.value == null ? 0 : raw.value.length, limits);
            if (tooLarge.isPresent()) {
                throw new RecordRejectedException(tooLarge.get().kind(), tooLarge.get().details());
            }
            LoopInput input = kind == Kind.CONTEXT ? context(raw) : feedback(raw);
            out.collect(input);
        } catch (RecordRejectedException e) {
            refused.inc();
            ctx.output(DeadLetters.TAG, DeadLetters.of(raw, e.getMessage()));
        }
    }

    private LoopInput context(RawRecord raw) throws RecordRejectedException {
        ContextEvent event = contextCodec.decode(raw.value);
        List<String> ids = event.getActions().stream().map(Action::getActionId).toList();
        Optional<Rejection> problem = ContextRules.checkContext(event.getEventId(), event.getEntityId(),
                event.getFeatures(), ids, event.getActions().stream().map(Action::getFeatures).toList(), limits)
                .or(() -> ContextRules.checkTimestamp("context event " + event.getEventId(), event.getTimestamp(),
                        raw.timestamp, limits));
        if (problem.isPresent()) {
            throw new RecordRejectedException(problem.get().kind(), problem.get().details());
        }
        return LoopInput.newBuilder().setContext(event).setAppendTime(raw.timestamp).build();
    }

    private LoopInput feedback(RawRecord raw) throws RecordRejectedException {
        Feedback feedback = feedbackCodec.decode(raw.value);
        Optional<Rejection> problem = ContextRules.checkFeedback(feedback.getDecisionId(), feedback.getEntityId(),
                feedback.getReward()).or(() -> ContextRules.checkTimestamp("feedback for " + feedback.getDecisionId(),
                feedback.getTimestamp(), raw.timestamp, limits));
        if (problem.isPresent()) {
            throw new RecordRejectedException(problem.get().kind(), problem.get().details());
        }
        return LoopInput.newBuilder().setFeedback(feedback).setAppendTime(raw.timestamp).build();
    }
}
