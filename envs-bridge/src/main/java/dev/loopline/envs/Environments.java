package dev.loopline.envs;

import dev.loopline.envs.control.ControlEnvironment;
import dev.loopline.envs.motor.DcMotorConfig;
import dev.loopline.envs.motor.DcMotorSimulator;
import dev.loopline.envs.payments.PaymentsConfig;
import dev.loopline.envs.payments.PaymentsSimulator;
import dev.loopline.envs.recommender.RecommenderConfig;
import dev.loopline.envs.recommender.RecommenderSimulator;
import dev.loopline.envs.replay.LoggedBanditConfig;
import dev.loopline.envs.replay.LoggedBanditReplay;
import dev.loopline.envs.replay.SupervisedCsvConfig;
import dev.loopline.envs.replay.SupervisedCsvEnvironment;
import dev.loopline.envs.robot.CartPoleConfig;
import dev.loopline.envs.robot.CartPoleSimulator;
import dev.loopline.envs.vehicle.AdaptiveCruiseConfig;
import dev.loopline.envs.vehicle.AdaptiveCruiseSimulator;
import java.nio.file.Path;
import java.util.List;

/**
 * Every environment by name, with its default configuration and a seed:
 * <ul>
 *   <li>{@code payments} — {@link PaymentsSimulator}, {@link PaymentsConfig#defaults(long)};</li>
 *   <li>{@code recommender} — {@link RecommenderSimulator}, {@link RecommenderConfig#defaults(long)};</li>
 *   <li>{@code robot} — {@link CartPoleSimulator}, {@link CartPoleConfig#defaults(long)};</li>
 *   <li>{@code vehicle} — {@link AdaptiveCruiseSimulator}, {@link AdaptiveCruiseConfig#defaults(long)};</li>
 *   <li>{@code motor} — {@link DcMotorSimulator}, {@link DcMotorConfig#defaults(long)};</li>
 *   <li>{@code supervised:PATH} or {@code supervised:PATH#LABEL} — a labelled CSV as a bandit
 *       ({@link SupervisedCsvEnvironment}; the label is the last column unless named);</li>
 *   <li>{@code obd:PATH} — logged bandit data in the Open Bandit Dataset layout replayed in timestamp
 *       order ({@link LoggedBanditReplay}; the item context is found next to it the OBD way). It has no
 *       oracle rewards and only rewards decisions that match the log.</li>
 * </ul>
 */
public final class Environments {
    public static final String SUPERVISED_PREFIX = "supervised:";
    public static final String OBD_PREFIX = "obd:";

    private static final List<String> SIMULATORS = List.of(PaymentsSimulator.NAME, RecommenderSimulator.NAME,
            CartPoleSimulator.NAME, AdaptiveCruiseSimulator.NAME, DcMotorSimulator.NAME);
    private static final List<String> CONTROL = List.of(CartPoleSimulator.NAME, AdaptiveCruiseSimulator.NAME,
            DcMotorSimulator.NAME);

    private Environments() {}

    /** The simulators' names: payments, recommender, robot, vehicle, motor. */
    public static List<String> names() {
        return SIMULATORS;
    }

    /** The replay forms, for usage messages: {@code supervised:PATH[#LABEL]}, {@code obd:PATH}. */
    public static List<String> replayForms() {
        return List.of(SUPERVISED_PREFIX + "PATH[#LABEL]", OBD_PREFIX + "PATH");
    }

    /** The control tasks, whose environments record an expert's action: robot, vehicle, motor. */
    public static List<String> controlNames() {
        return CONTROL;
    }

    /**
     * A new environment.
     *
     * @throws IllegalArgumentException for an unknown name (the message lists the known ones) or a file
     *                                  that cannot be read
     */
    public static Environment create(String name, long seed) {
        return create(name, seed, java.util.Map.of());
    }

    /**
     * A new environment with some of its configuration changed by name ({@code --env-option NAME=VALUE}
     * on the command line): any number, text or switch of the simulator's config record
     * ({@link ConfigOptions}), and for payments its incidents ({@link PaymentsConfig#withOptions}). The
     * replays take no options.
     *
     * @throws IllegalArgumentException for an unknown environment, option or value
     */
    public static Environment create(String name, long seed, java.util.Map<String, String> options) {
        if (name == null) {
            throw new IllegalArgumentException("environment name is null; " + known());
        }
        if ((name.startsWith(SUPERVISED_PREFIX) || name.startsWith(OBD_PREFIX)) && !options.isEmpty()) {
            throw new IllegalArgumentException("environment \"" + name + "\" takes no options (given " + options.keySet()
                    + "); the simulators " + SIMULATORS + " do");
        }
        if (name.startsWith(SUPERVISED_PREFIX)) {
            String spec = name.substring(SUPERVISED_PREFIX.length());
            int hash = spec.lastIndexOf('#');
            String path = hash >= 0 ? spec.substring(0, hash) : spec;
            String label = hash >= 0 ? spec.substring(hash + 1) : null;
            requirePath(name, path);
            return SupervisedCsvEnvironment.open(SupervisedCsvConfig.defaults(Path.of(path), seed).withLabelColumn(label));
        }
        if (name.startsWith(OBD_PREFIX)) {
            String path = name.substring(OBD_PREFIX.length());
            requirePath(name, path);
            return new LoggedBanditReplay(LoggedBanditConfig.defaults(Path.of(path), seed));
        }
        return switch (name) {
            case PaymentsSimulator.NAME -> new PaymentsSimulator(PaymentsConfig.defaults(seed).withOptions(options));
            case RecommenderSimulator.NAME -> new RecommenderSimulator(
                    ConfigOptions.apply(RecommenderConfig.defaults(seed), options, name));
            default -> createControl(name, seed, options);
        };
    }

    /**
     * A new control environment (robot, vehicle or motor).
     *
     * @throws IllegalArgumentException for any other name
     */
    public static ControlEnvironment createControl(String name, long seed) {
        return createControl(name, seed, java.util.Map.of());
    }

    /** A new control environment with options, as {@link #create(String, long, java.util.Map)} takes them. */
    public static ControlEnvironment createControl(String name, long seed, java.util.Map<String, String> options) {
        return switch (name == null ? "" : name) {
            case CartPoleSimulator.NAME -> new CartPoleSimulator(ConfigOptions.apply(CartPoleConfig.defaults(seed), options, name));
            case AdaptiveCruiseSimulator.NAME -> new AdaptiveCruiseSimulator(
                    ConfigOptions.apply(AdaptiveCruiseConfig.defaults(seed), options, name));
            case DcMotorSimulator.NAME -> new DcMotorSimulator(ConfigOptions.apply(DcMotorConfig.defaults(seed), options, name));
            default -> throw new IllegalArgumentException(SIMULATORS.contains(name)
                    ? "\"" + name + "\" is not a control task; the control tasks are " + CONTROL
                    : "unknown environment \"" + name + "\"; " + known());
        };
    }

    private static void requirePath(String name, String path) {
        if (path.isBlank()) {
            throw new IllegalArgumentException("\"" + name + "\" names no file; write e.g. "
                    + SUPERVISED_PREFIX + "data/digits.csv or " + OBD_PREFIX + "data/obd/random/men.csv");
        }
    }

    private static String known() {
        return "use one of " + SIMULATORS + " or " + replayForms();
    }
}
