package dev.loopline.core.drift;

import java.io.Serializable;
import java.util.List;
import java.util.Map;

/** The validated parameters of one detector, which can build fresh detectors. */
public sealed interface DriftDetectorConfig extends Serializable
        permits Adwin.Config, PageHinkley.Config, Ddm.Config {

    /** The names {@link #defaults(String)} accepts. */
    List<String> NAMES = List.of(Adwin.NAME, PageHinkley.NAME, Ddm.NAME);

    /** The detector's short name: {@code adwin}, {@code page-hinkley} or {@code ddm}. */
    String name();

    /** A fresh detector with these parameters. */
    DriftDetector create();

    /** The parameters by name, in a stable order (for reports). */
    Map<String, Object> parameters();

    /** The published defaults of the named detector. */
    static DriftDetectorConfig defaults(String name) {
        return switch (name) {
            case Adwin.NAME -> Adwin.Config.defaults();
            case PageHinkley.NAME -> PageHinkley.Config.defaults();
            case Ddm.NAME -> Ddm.Config.defaults();
            default -> throw new IllegalArgumentException("detector '" + name + "' is unknown; choose one of " + NAMES);
        };
    }
}
