package dev.loopline.core.train;

import ai.djl.Device;
import ai.djl.engine.Engine;
import java.util.Locale;

/**
 * Where the DJL trainers run. {@code auto} (the default) takes the first GPU when the PyTorch engine sees
 * one and the CPU otherwise; {@code cpu} and {@code gpu} force a device, and {@code gpu} without a visible
 * GPU is an error that says why (usually: the build has PyTorch's CPU natives; build with {@code -Pcuda}).
 * The host decides, not the job: the preference comes from the JVM's {@code -Dloopline.device} or the
 * environment's {@code LOOPLINE_DEVICE}, so the TaskManagers of one cluster can differ.
 */
public enum TrainingDevice {
    AUTO, CPU, GPU;

    public static final String PROPERTY = "loopline.device";
    public static final String ENVIRONMENT = "LOOPLINE_DEVICE";

    /** The preference of this JVM: {@code -Dloopline.device}, else {@code LOOPLINE_DEVICE}, else auto. */
    public static TrainingDevice configured() {
        String value = System.getProperty(PROPERTY);
        if (value == null || value.isBlank()) {
            value = System.getenv(ENVIRONMENT);
        }
        return value == null || value.isBlank() ? AUTO : parse(value);
    }

    public static TrainingDevice parse(String value) {
        try {
            return valueOf(value.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("training device '" + value + "' is unknown; use auto, cpu or gpu ("
                    + PROPERTY + " or " + ENVIRONMENT + ")");
        }
    }

    /** The device this preference resolves to on this host's engine. */
    public Device resolve() {
        Engine engine = Engine.getInstance();
        int gpus = engine.getGpuCount();
        return switch (this) {
            case CPU -> Device.cpu();
            case AUTO -> gpus > 0 ? Device.gpu() : Device.cpu();
            case GPU -> {
                if (gpus == 0) {
                    throw new IllegalStateException("a GPU was asked for (" + PROPERTY + "=gpu) but the "
                            + engine.getEngineName() + " engine " + engine.getVersion() + " sees none: build with"
                            + " PyTorch's CUDA natives (mvn -Pcuda, or LOOPLINE_PROFILE=cuda ./loopline) on a host"
                            + " with an NVIDIA driver");
                }
                yield Device.gpu();
            }
        };
    }

    /** One line for the logs: the device, why, and what the engine sees. */
    public static String describe(Device device, TrainingDevice preference) {
        Engine engine = Engine.getInstance();
        return device + " (" + preference.name().toLowerCase(Locale.ROOT) + "; " + engine.getEngineName() + " engine "
                + engine.getVersion() + ", " + engine.getGpuCount() + " GPU(s) visible)";
    }
}
