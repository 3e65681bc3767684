package dev.loopline.jobs.demo;

import dev.loopline.envs.stats.RunSnapshot;
import dev.loopline.jobs.models.ModelTopic;
import dev.loopline.schemas.InputSchema;
import dev.loopline.schemas.ModelVersion;
import dev.loopline.state.ModelRegistry;
import dev.loopline.state.ModelVersions;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the demo does to the model topic from outside, the way an operator or a broken external trainer
 * would: publish a version with a bad checksum and one whose input schema does not fit its network
 * (both must be refused while the old version keeps serving), and roll back to the previous version.
 */
final class ModelInjections {
    private final ModelTopic topic;
    private final String modelId;
    private final DemoRun.Options options;
    private int badModelsInjected;
    private boolean badDone;
    private ModelVersion rollback;
    private long rollbackAppendedAt;

    ModelInjections(ModelTopic topic, String modelId, DemoRun.Options options) {
        this.topic = topic;
        this.modelId = modelId;
        this.options = options;
    }

    /** Called about once a second while the simulator runs. */
    void step(TopicWatch watch, long elapsedMillis, long plannedMillis, long eventsSent, long plannedEvents)
            throws Exception {
        if (options.badModels() && !badDone) {
            ModelVersion good = watch.modelRecords().values().stream().filter(v -> !ModelVersions.isCandidate(v))
                    .reduce((a, b) -> b).orElse(null);
            if (good != null) {
                long next = topic.read(modelId).highestVersion() + 1;
                topic.publish(ModelVersion.newBuilder(good).setVersion(next).setParentVersion(good.getVersion())
                        .setSha256("0".repeat(64)).build());
                List<String> names = new ArrayList<>(good.getInputSchema().getFeatureNames());
                names.add("extra_feature");
                byte[] parameters = new byte[good.getParameters().remaining()];
                good.getParameters().duplicate().get(parameters);
                topic.publish(ModelVersion.newBuilder(good).setVersion(next + 1).setParentVersion(good.getVersion())
                        .setParameters(ByteBuffer.wrap(parameters))
                        .setInputSchema(new InputSchema(names, names.size())).build());
                badModelsInjected = 2;
                badDone = true;
            }
        }
        boolean late = plannedMillis > 0 ? elapsedMillis >= 0.6 * plannedMillis
                : plannedEvents > 0 && eventsSent >= 0.6 * plannedEvents;
        if (options.rollback() && rollback == null && late) {
            ModelRegistry registry = topic.read(modelId);
            long promoted = registry.all().stream().filter(v -> !ModelVersions.isCandidate(v)).count();
            if (promoted >= 2) {
                ModelTopic.Published published = topic.publishNext(modelId,
                        current -> current.rollback(null, System.currentTimeMillis()));
                rollback = published.version();
                rollbackAppendedAt = published.appendedAt();
            }
        }
    }

    void report(Map<String, Object> summary, RunSnapshot s, TopicWatch watch) {
        summary.put("badModelsInjected", badModelsInjected);
        if (options.worseCandidate()) {
            summary.put("worseCandidateRefused", watch.modelRecords().values().stream()
                    .anyMatch(v -> v.getMetrics().getOrDefault("round", 0.0) == DemoRun.SABOTAGED_ROUND
                            && ModelVersions.isCandidate(v)));
        }
        if (options.rollback()) {
            Map<String, Object> r = new LinkedHashMap<>();
            if (rollback == null) {
                r.put("done", false);
            } else {
                r.put("version", rollback.getVersion());
                r.put("copyOf", rollback.getParentVersion());
                Long used = s.modelVersionFirstDecisionAppend().get(rollback.getVersion());
                r.put("latencyMillis", used == null ? -1 : Math.max(0, used - rollbackAppendedAt));
            }
            summary.put("rollback", r);
        }
    }
}
