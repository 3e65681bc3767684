package dev.loopline.schemas.codec;

import dev.loopline.schemas.ContextEvent;
import dev.loopline.schemas.DeadLetter;
import dev.loopline.schemas.Decision;
import dev.loopline.schemas.Feedback;
import dev.loopline.schemas.MetricEvent;
import dev.loopline.schemas.ModelVersion;

/** One codec per contract record; build them where they are used (they are cheap and thread-safe). */
public final class Codecs {
    private Codecs() {}

    public static SingleObjectCodec<ContextEvent> context() {
        return SingleObjectCodec.of(ContextEvent.class, ContextEvent::new);
    }

    public static SingleObjectCodec<Decision> decision() {
        return SingleObjectCodec.of(Decision.class, Decision::new);
    }

    public static SingleObjectCodec<Feedback> feedback() {
        return SingleObjectCodec.of(Feedback.class, Feedback::new);
    }

    public static SingleObjectCodec<ModelVersion> model() {
        return SingleObjectCodec.of(ModelVersion.class, ModelVersion::new);
    }

    public static SingleObjectCodec<MetricEvent> metric() {
        return SingleObjectCodec.of(MetricEvent.class, MetricEvent::new);
    }

    public static SingleObjectCodec<DeadLetter> deadLetter() {
        return SingleObjectCodec.of(DeadLetter.class, DeadLetter::new);
    }
}
