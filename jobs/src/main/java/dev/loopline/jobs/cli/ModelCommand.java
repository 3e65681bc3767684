package dev.loopline.jobs.cli;

import dev.loopline.jobs.models.ModelTopic;
import dev.loopline.schemas.ModelVersion;
import dev.loopline.state.ModelRegistry;
import dev.loopline.state.ModelVersions;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "model", mixinStandardHelpOptions = true,
        description = "Lists, promotes and rolls back model versions of a running loop, through its model topic.",
        subcommands = {ModelCommand.ListVersions.class, ModelCommand.Promote.class, ModelCommand.Rollback.class})
final class ModelCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    static final class Target {
        @Mixin
        LoopTarget loop;

        @Option(names = "--model-id", defaultValue = "reward", description = "Model id (default: ${DEFAULT-VALUE}).")
        String modelId;

        ModelTopic topic() throws Exception {
            LoopTarget.Loop found = loop.resolve();
            return new ModelTopic(found.servers(), found.clientProperties(), found.topics().models());
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists every version with its gate verdict and training figures.")
    static final class ListVersions implements Callable<Integer> {
        @Mixin
        Target target;

        @Override
        public Integer call() throws Exception {
            ModelRegistry registry = target.topic().read(target.modelId);
            long serving = registry.serving().map(ModelVersion::getVersion).orElse(0L);
            System.out.printf("%-8s %-7s %-10s %-24s %-9s %-10s %-12s %s%n", "version", "parent", "status", "created",
                    "examples", "loss", "sha256", "notes");
            for (ModelVersion v : registry.all()) {
                Map<String, Double> m = v.getMetrics();
                String status = v.getVersion() == serving ? "SERVING" : ModelVersions.isCandidate(v) ? "refused" : "promoted";
                String notes = m.containsKey(ModelVersions.COPY_OF) ? "copy of v" + m.get(ModelVersions.COPY_OF).longValue() : "";
                if (m.containsKey("gate.candidateValue")) {
                    notes += String.format(" gate %.4f vs %.4f (diff low %.4f)", m.get("gate.candidateValue"),
                            m.get("gate.servingValue"), m.get("gate.differenceLow"));
                }
                System.out.printf("%-8d %-7d %-10s %-24s %-9.0f %-10.5f %-12s %s%n", v.getVersion(), v.getParentVersion(),
                        status, Instant.ofEpochMilli(v.getCreatedAt()), m.getOrDefault("examples", 0.0),
                        m.getOrDefault("loss", Double.NaN), v.getSha256().substring(0, Math.min(12, v.getSha256().length())),
                        notes.trim());
            }
            return 0;
        }
    }

    @Command(name = "promote", mixinStandardHelpOptions = true,
            description = "Serves VERSION now (for example a candidate the gate refused), as a new version that copies its parameters.")
    static final class Promote implements Callable<Integer> {
        @Mixin
        Target target;

        @Option(names = "--version", required = true, description = "The version to serve.")
        long version;

        @Override
        public Integer call() throws Exception {
            ModelVersion promoted = target.topic().publishNext(target.modelId,
                    registry -> registry.promote(version, System.currentTimeMillis())).version();
            System.out.printf("Published version %d (a copy of version %d); the loop serves it as soon as it reads it.%n",
                    promoted.getVersion(), version);
            return 0;
        }
    }

    @Command(name = "rollback", mixinStandardHelpOptions = true,
            description = "Serves the previous promoted version again (or --to VERSION), as a new version that copies its parameters.")
    static final class Rollback implements Callable<Integer> {
        @Mixin
        Target target;

        @Option(names = "--to", description = "The version to return to (default: the promoted version before the serving one).")
        Long to;

        @Override
        public Integer call() throws Exception {
            ModelVersion rollback = target.topic().publishNext(target.modelId,
                    registry -> registry.rollback(to, System.currentTimeMillis())).version();
            System.out.printf("Published version %d (a copy of version %d).%n", rollback.getVersion(),
                    rollback.getParentVersion());
            return 0;
        }
    }
}
