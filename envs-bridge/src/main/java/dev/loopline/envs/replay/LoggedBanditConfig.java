package dev.loopline.envs.replay;

import static dev.loopline.envs.ConfigChecks.inRange;
import static dev.loopline.envs.ConfigChecks.notNull;

import dev.loopline.envs.DelayModel;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Configuration of the {@link LoggedBanditReplay}. Immutable; validated on construction.
 *
 * @param path            the logged bandit feedback, Open Bandit Dataset layout
 * @param itemContextPath the item features ({@code item_id} and {@code item_feature_*} columns), or null
 *                        for none
 * @param seed            seed of the outcome delays
 * @param entities        logged rows are spread over this many entities ({@code obd-0} ...), 1..10000;
 *                        default 4
 * @param delays          when outcomes of matching decisions are reported; default
 *                        {@link DelayModel#DEFAULT}
 */
public record LoggedBanditConfig(
        Path path,
        Path itemContextPath,
        long seed,
        int entities,
        DelayModel delays) {

    public static final int DEFAULT_ENTITIES = 4;

    public LoggedBanditConfig {
        notNull("path", path, "name the logged data, e.g. data/obd/random/men.csv");
        inRange("entities", entities, 1, 10_000, "use e.g. " + DEFAULT_ENTITIES);
        notNull("delays", delays, "use DelayModel.DEFAULT");
    }

    /**
     * The defaults above, with the item context found the way the Open Bandit Dataset lays it out: for
     * {@code DIR/POLICY/CAMPAIGN.csv}, the file {@code DIR/item_context_CAMPAIGN.csv} (or
     * {@code item_context_CAMPAIGN.csv} next to the log) when it exists.
     */
    public static LoggedBanditConfig defaults(Path path, long seed) {
        return new LoggedBanditConfig(path, findItemContext(path), seed, DEFAULT_ENTITIES, DelayModel.DEFAULT);
    }

    public LoggedBanditConfig withItemContext(Path value) {
        return new LoggedBanditConfig(path, value, seed, entities, delays);
    }

    public LoggedBanditConfig withEntities(int value) {
        return new LoggedBanditConfig(path, itemContextPath, seed, value, delays);
    }

    public LoggedBanditConfig withDelays(DelayModel value) {
        return new LoggedBanditConfig(path, itemContextPath, seed, entities, value);
    }

    /** The OBD item-context file that belongs to {@code log}, or null. */
    public static Path findItemContext(Path log) {
        Path abs = log.toAbsolutePath();
        String file = abs.getFileName().toString();
        String name = "item_context_" + file;
        Path dir = abs.getParent();
        for (Path candidate : new Path[] {
                dir == null ? null : dir.resolve(name),
                dir == null || dir.getParent() == null ? null : dir.getParent().resolve(name)}) {
            if (candidate != null && Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        return null;
    }
}
