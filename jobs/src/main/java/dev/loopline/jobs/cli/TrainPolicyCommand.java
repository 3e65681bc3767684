package dev.loopline.jobs.cli;

import dev.loopline.core.model.PolicyNetwork;
import dev.loopline.core.train.Demonstrations;
import dev.loopline.core.train.LipschitzPolicyTrainer;
import dev.loopline.core.train.PolicyTrainingReport;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

@Command(name = "train-policy", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Trains a Lipschitz-constrained control policy from an expert's demonstrations (`loopline demos`) and "
                + "writes it.",
                "",
                "The policy is a classifier over the expert's discrete actions: standardised state -> ReLU layers -> one logit "
                        + "per action, acting by the argmax. Every layer is spectrally normalised so that the logits' "
                        + "Lipschitz constant with respect to the standardised state (one unit = one standard deviation of "
                        + "each feature) is at most --bound. The last --held-out share of the rows (the tail: later states of "
                        + "the trajectories) is kept out of training and used to report agreement with the expert.",
                "",
                "--out FILE.bin writes the policy in its binary format (loopline-policy-f32-v1); FILE.json writes that "
                        + "encoding in base64 with its sha256, the standardisation, the bounds and the training figures."})
final class TrainPolicyCommand implements Callable<Integer> {
    @Option(names = {"--dataset", "--demos"}, required = true, paramLabel = "CSV", description = "Demonstrations CSV (state features, expert_action_index, expert_action_value; --demos: the older name).")
    Path demos;

    @Option(names = "--bound", required = true, paramLabel = "B",
            description = "Lipschitz bound of the logits in standardised units (> 0; Infinity trains unconstrained). 30 to 100 imitates well.")
    double bound;

    @Option(names = "--out", required = true, paramLabel = "FILE.json|FILE.bin", description = "Where to write the trained policy.")
    Path out;

    @Option(names = "--epochs", defaultValue = "30", description = "Passes over the training rows (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of weights, shuffles and power iteration (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--hidden", defaultValue = "64", description = "Units per hidden layer (default: ${DEFAULT-VALUE}).")
    int hidden;

    @Option(names = "--layers", defaultValue = "2", description = "Hidden layers (default: ${DEFAULT-VALUE}).")
    int layers;

    @Option(names = "--batch", defaultValue = "256", description = "Rows per optimizer step (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--learning-rate", defaultValue = "0.005", description = "Adam's step size (default: ${DEFAULT-VALUE}).")
    float learningRate;

    @Option(names = "--power-iterations", defaultValue = "2", description = "Power-iteration rounds per step for the spectral norms (default: ${DEFAULT-VALUE}).")
    int powerIterations;

    @Option(names = "--held-out", defaultValue = "0.2", description = "Share of the rows (the tail) held out for evaluation (default: ${DEFAULT-VALUE}).")
    double heldOut;

    @Option(names = "--actions", paramLabel = "N", description = "Number of actions, when the expert never used the highest levels (default: largest index in the file + 1).")
    Integer actions;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        String name = out.getFileName() == null ? "" : out.getFileName().toString().toLowerCase(Locale.ROOT);
        boolean json = name.endsWith(".json");
        if (!json && !name.endsWith(".bin")) {
            throw new ParameterException(spec.commandLine(), "--out " + out + " must end in .json or .bin");
        }
        PolicyTrainingReport report;
        PolicyNetwork policy;
        try {
            LipschitzPolicyTrainer.Config config = new LipschitzPolicyTrainer.Config(hidden, layers, bound, epochs, batch,
                    learningRate, powerIterations, seed);
            Demonstrations data = Demonstrations.read(demos);
            if (actions != null) {
                data = data.withActionCount(actions);
            }
            Demonstrations.Split split = data.split(heldOut);
            LipschitzPolicyTrainer.Result result = new LipschitzPolicyTrainer(config).train(split.train());
            policy = result.network();
            report = PolicyTrainingReport.of(config, split, result);
        } catch (IllegalArgumentException | UncheckedIOException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        byte[] parameters = policy.encode();
        if (json) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("format", PolicyNetwork.FORMAT);
            doc.putAll(Json.MAPPER.convertValue(report, Map.class));
            doc.put("parameters", Base64.getEncoder().encodeToString(parameters));
            Json.write(out, doc);
        } else {
            Files.write(out, parameters);
        }
        print(report, parameters.length, out, System.out);
        return 0;
    }

    static void print(PolicyTrainingReport r, int bytes, Path out, PrintStream ps) {
        PolicyTrainingReport.Training t = r.training();
        PolicyTrainingReport.HeldOut h = r.heldOut();
        ps.printf(Locale.ROOT, "trained on %s: %d rows x %d epochs, %d steps in %.2f s, %.0f examples/s, final loss %.4f%n",
                t.device(), t.rows(), t.epochs(), t.steps(), t.millis() / 1000.0, t.examplesPerSecond(), t.finalLoss());
        ps.printf(Locale.ROOT, "held-out agreement with the expert: %.3f on %d rows (within one level %.3f; best constant action %.3f; "
                + "training rows %.3f)%n", h.agreement(), h.rows(), h.withinOneLevel(), h.bestConstantAgreement(), t.agreement());
        ps.printf(Locale.ROOT, "Lipschitz bound (standardised state): %.4f achieved, %s configured; %.1f in raw units%n",
                r.lipschitzUpperBound(), r.configuredBound() == null ? "none" : String.format(Locale.ROOT, "%.4g", r.configuredBound()),
                r.lipschitzUpperBoundRawUnits());
        ps.printf(Locale.ROOT, "robustness: median certified radius %.4f (standardised units); measured sensitivity %.3f "
                + "(200 held-out states x 20 directions at 0.05)%n", h.medianCertifiedRadius(), h.measuredSensitivity());
        ps.printf(Locale.ROOT, "wrote %s (%s, %d bytes, sha256 %s)%n", out, PolicyNetwork.FORMAT, bytes, r.sha256());
    }
}
