package dev.loopline.core.train;

import dev.loopline.core.model.Checksums;
import dev.loopline.core.model.PolicyNetwork;
import java.util.ArrayList;
import java.util.List;

/**
 * What a policy network trained from demonstrations is: its input standardisation, its Lipschitz bounds,
 * how it was trained and how it does on the held-out demonstrations. What {@code loopline train-policy}
 * prints and writes beside the parameters.
 *
 * @param actionValues   each action's value (null where the demonstrations name none)
 * @param configuredBound the bound asked for, or null when training was unconstrained
 */
public record PolicyTrainingReport(List<String> featureNames, double[] mean, double[] std, List<Double> actionValues,
        Double configuredBound, double lipschitzUpperBound, double lipschitzUpperBoundRawUnits,
        double[] layerSpectralNorms, Training training, HeldOut heldOut, String sha256) {

    public record Training(int rows, int hiddenUnits, int hiddenLayers, int epochs, int batchSize, double learningRate,
            int powerIterations, long seed, long steps, long millis, double examplesPerSecond, double finalLoss,
            String device, double exportMaxError, double agreement) {}

    /** Agreement with the expert on held-out rows, and robustness: certified radius and measured sensitivity. */
    public record HeldOut(int rows, double agreement, double withinOneLevel, double bestConstantAgreement,
            double medianCertifiedRadius, double measuredSensitivity) {}

    /** The report of {@code result}, trained with {@code config} on {@code split}'s training part. */
    public static PolicyTrainingReport of(LipschitzPolicyTrainer.Config config, Demonstrations.Split split,
            LipschitzPolicyTrainer.Result result) {
        PolicyNetwork policy = result.network();
        LipschitzPolicyTrainer.Evaluation heldOut = LipschitzPolicyTrainer.evaluate(policy, split.heldOut());
        LipschitzPolicyTrainer.Evaluation train = LipschitzPolicyTrainer.evaluate(policy, split.train());
        List<Double> values = new ArrayList<>();
        for (int a = 0; a < policy.actionCount(); a++) {
            double v = policy.actionValue(a);
            values.add(Double.isNaN(v) ? null : v);
        }
        return new PolicyTrainingReport(policy.featureNames(), policy.mean(), policy.std(), values,
                config.constrained() ? config.bound() : null, policy.lipschitzUpperBound(),
                policy.lipschitzUpperBoundRawUnits(), policy.layerSpectralNorms(),
                new Training(split.train().rows(), config.hiddenUnits(), config.hiddenLayers(), config.epochs(),
                        config.batchSize(), config.learningRate(), config.powerIterations(), config.seed(), result.steps(),
                        result.millis(), result.examplesPerSecond(), result.finalLoss(), result.device(),
                        result.exportMaxError(), train.agreement()),
                new HeldOut(heldOut.rows(), heldOut.agreement(), heldOut.withinOneLevel(), heldOut.bestConstantAgreement(),
                        heldOut.medianCertifiedRadius(),
                        LipschitzPolicyTrainer.measuredSensitivity(policy, split.heldOut(), 200, 20, 0.05, 1)),
                Checksums.sha256Hex(policy.encode()));
    }
}
