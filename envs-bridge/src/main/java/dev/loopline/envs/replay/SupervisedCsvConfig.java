package dev.loopline.envs.replay;

import static dev.loopline.envs.ConfigChecks.inRange;
import static dev.loopline.envs.ConfigChecks.notNull;

import dev.loopline.envs.DelayModel;
import java.nio.file.Path;

/**
 * Configuration of the {@link SupervisedCsvEnvironment}. Immutable; validated on construction.
 *
 * @param path          the labelled CSV file (header row; one row per example)
 * @param labelColumn   the label column's name, or null for the last column
 * @param seed          seed of the row shuffles and of the outcome delays
 * @param entities      rows are spread over this many entities ({@code NAME-0} ...), 1..10000; default 4
 * @param scaleFeatures min-max scale every feature to [0, 1] over the file; default true
 * @param delays        when outcomes are reported; default {@link DelayModel#DEFAULT}
 */
public record SupervisedCsvConfig(
        Path path,
        String labelColumn,
        long seed,
        int entities,
        boolean scaleFeatures,
        DelayModel delays) {

    public static final int DEFAULT_ENTITIES = 4;

    public SupervisedCsvConfig {
        notNull("path", path, "name the labelled CSV file, e.g. data/digits.csv");
        inRange("entities", entities, 1, 10_000, "use e.g. " + DEFAULT_ENTITIES);
        notNull("delays", delays, "use DelayModel.DEFAULT");
    }

    /** The file's last column as the label, the defaults above, and the given seed. */
    public static SupervisedCsvConfig defaults(Path path, long seed) {
        return new SupervisedCsvConfig(path, null, seed, DEFAULT_ENTITIES, true, DelayModel.DEFAULT);
    }

    public SupervisedCsvConfig withLabelColumn(String value) {
        return new SupervisedCsvConfig(path, value, seed, entities, scaleFeatures, delays);
    }

    public SupervisedCsvConfig withEntities(int value) {
        return new SupervisedCsvConfig(path, labelColumn, seed, value, scaleFeatures, delays);
    }

    public SupervisedCsvConfig withScaleFeatures(boolean value) {
        return new SupervisedCsvConfig(path, labelColumn, seed, entities, value, delays);
    }

    public SupervisedCsvConfig withDelays(DelayModel value) {
        return new SupervisedCsvConfig(path, labelColumn, seed, entities, scaleFeatures, value);
    }
}
