package dev.loopline.jobs.cli;

import ai.djl.engine.Engine;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.loopline.core.train.RewardModelTrainer;
import dev.loopline.core.train.TrainingDevice;
import dev.loopline.jobs.eval.TrainingThroughput;
import dev.loopline.jobs.eval.TrainingThroughput.Figure;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "device", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Shows the device the model-update trainers use on this host and measures it: training throughput "
                + "of the reward model and the Lipschitz policy network on the CPU and, when PyTorch sees one, on the GPU, on "
                + "the same batches; how faithfully the exported weights (evaluated in plain Java when serving) reproduce the "
                + "trained network; and whether the GPU-trained and CPU-trained reward models decide alike.",
                "",
                "The device is chosen by -Dloopline.device or LOOPLINE_DEVICE (auto, cpu, gpu; auto by default). A GPU needs "
                        + "PyTorch's CUDA natives: LOOPLINE_PROFILE=cuda ./loopline device (mvn -Pcuda)."})
final class DeviceCommand implements Callable<Integer> {
    /** Beyond this, the weights copied off the device are not what was trained (float32 arithmetic gives about 1e-6). */
    static final double EXPORT_TOLERANCE = 1e-4;
    /** The policy's export is certified (rescaled to its bound), so a few borderline rows may act otherwise. */
    static final double MIN_EXPORT_AGREEMENT = 0.95;

    @Option(names = "--rows", defaultValue = "20000", description = "Training rows per model (default: ${DEFAULT-VALUE}).")
    int rows;

    @Option(names = "--epochs", defaultValue = "6", description = "Epochs of the long training of each pair (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--repeats", defaultValue = "3", description = "Measured pairs per figure; the median is reported (default: ${DEFAULT-VALUE}).")
    int repeats;

    @Option(names = "--require-gpu", description = "Exit 3 when no GPU is visible (for a GPU host's check script).")
    boolean requireGpu;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the figures as JSON.")
    Path json;

    @Override
    public Integer call() throws Exception {
        Engine engine = Engine.getInstance();
        TrainingDevice configured = TrainingDevice.configured();
        ai.djl.Device configuredDevice = configured.resolve();
        System.out.printf(Locale.ROOT, "Engine: %s %s, %d GPU(s) visible; this JVM's trainers use %s%n", engine.getEngineName(),
                engine.getVersion(), engine.getGpuCount(), TrainingDevice.describe(configuredDevice, configured));
        boolean gpu = engine.getGpuCount() > 0;
        if (!gpu && requireGpu) {
            System.err.println(cudaNativesPresent()
                    ? "No GPU visible to PyTorch although its CUDA natives are here: is the NVIDIA driver installed (nvidia-smi)?"
                    : "No GPU visible to PyTorch: build with its CUDA natives (LOOPLINE_PROFILE=cuda ./loopline, mvn -Pcuda)"
                            + " on a host with an NVIDIA driver.");
            return 3;
        }
        TrainingThroughput.Workload workload = TrainingThroughput.workload(rows, epochs);
        System.out.printf(Locale.ROOT, "Training throughput at batch %d, %d rows, %d vs 1 epochs, median of %d (OMP_NUM_THREADS=%s)%n",
                TrainingThroughput.BATCH, rows, epochs, repeats, System.getenv().getOrDefault("OMP_NUM_THREADS", "unset"));
        List<TrainingDevice> devices = gpu ? List.of(TrainingDevice.CPU, TrainingDevice.GPU) : List.of(TrainingDevice.CPU);
        List<Figure> figures = new ArrayList<>();
        for (TrainingDevice device : devices) {
            figures.add(print(TrainingThroughput.rewardModel(workload, device, repeats), figures));
            figures.add(print(TrainingThroughput.policy(workload, 30, device, repeats), figures));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("engine", engine.getEngineName() + " " + engine.getVersion());
        out.put("gpusVisible", engine.getGpuCount());
        out.put("configuredDevice", configuredDevice.toString());
        out.put("figures", figures);
        if (gpu) {
            RewardModelTrainer.Result onCpu = TrainingThroughput.trainRewardModel(workload, TrainingDevice.CPU);
            RewardModelTrainer.Result onGpu = TrainingThroughput.trainRewardModel(workload, TrainingDevice.GPU);
            TrainingThroughput.Agreement agreement = TrainingThroughput.agreement(onCpu.network(), onGpu.network(), workload);
            System.out.printf(Locale.ROOT, "Reward models trained on the same batches: the GPU's and the CPU's exports choose the"
                    + " same action for %.2f %% of %d contexts (largest score difference %.2e; losses %.5f vs %.5f)%n",
                    100 * agreement.decisions(), workload.rows(), agreement.maxScoreDifference(), onGpu.finalLoss(), onCpu.finalLoss());
            out.put("gpuVsCpuDecisionAgreement", agreement.decisions());
            out.put("gpuVsCpuMaxScoreDifference", agreement.maxScoreDifference());
        } else {
            System.out.println(cudaNativesPresent()
                    ? "No GPU visible: PyTorch's CUDA natives are on the classpath but see no device (no NVIDIA driver or GPU"
                            + " on this host); the trainers use the CPU."
                    : "No GPU visible: the trainers use the CPU. A GPU needs PyTorch's CUDA natives"
                            + " (LOOPLINE_PROFILE=cuda ./loopline device, mvn -Pcuda) on a host with an NVIDIA driver.");
        }
        if (json != null) {
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(json.toFile(), out);
        }
        boolean faithful = figures.stream().allMatch(f -> f.exportMaxError() <= EXPORT_TOLERANCE
                && f.exportAgreement() >= MIN_EXPORT_AGREEMENT);
        if (!faithful) {
            System.err.printf(Locale.ROOT, "An export differs from its trained network by more than %.0e, or decides otherwise on"
                    + " more than %.0f %% of rows: the served decisions would not be the trained model's.%n", EXPORT_TOLERANCE,
                    100 * (1 - MIN_EXPORT_AGREEMENT));
            return 1;
        }
        return 0;
    }

    private static boolean cudaNativesPresent() {
        return System.getProperty("java.class.path", "").contains("pytorch-native-cu");
    }

    private static Figure print(Figure f, List<Figure> before) {
        String ratio = before.stream().filter(b -> b.model().equals(f.model()) && !b.device().equals(f.device())).findFirst()
                .map(b -> String.format(Locale.ROOT, " (%.2f× the %s)", f.examplesPerSecond() / b.examplesPerSecond(), b.device()))
                .orElse("");
        System.out.printf(Locale.ROOT, "  %-30s on %-7s %,12.0f examples/s%s; export: max error %.1e, decides as trained on %.1f %%%n",
                f.model(), f.device(), f.examplesPerSecond(), ratio, f.exportMaxError(), 100 * f.exportAgreement());
        return f;
    }
}
