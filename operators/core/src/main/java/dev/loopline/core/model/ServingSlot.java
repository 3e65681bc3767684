package dev.loopline.core.model;

import dev.loopline.core.validate.Rejection;

/**
 * Which model version serves: the one rule the decision operator, the trainer and the model registry
 * apply to every version that reaches them. Versions only move forward. A version serves when it is
 * not a refused candidate, is well formed ({@link ModelAcceptance}) and has a higher number than the
 * serving one; the same number with the same checksum is a repeat (a replay after a restore), with
 * another checksum a conflict. A rollback or a forced promotion is a new, higher version that copies
 * older parameters, so it serves by the same rule and every consumer, old or new, agrees.
 */
public final class ServingSlot {
    private ServingSlot() {}

    /**
     * What the rule reads of a version.
     *
     * @param version   its number
     * @param sha256    the checksum of its parameters
     * @param candidate whether the promotion gate refused it (published for the record, never served)
     * @param copy      whether it is a rollback or forced promotion (a copy of older parameters)
     */
    public record Offer(long version, String sha256, boolean candidate, boolean copy) {}

    /** What happens to an offered version. */
    public enum Action {
        /** It serves from now on; the one serving before becomes the previous. */
        SERVE,
        /** A refused candidate: kept on the topic, never served. */
        CANDIDATE,
        /** The serving version again (same number and checksum): nothing changes. */
        REPEAT,
        /** Broken, conflicting or older than the serving one: a dead letter, the serving version stays. */
        REFUSE
    }

    /** The ruling on one offer, with the reason of a refusal. */
    public record Ruling(Action action, String reason) {
        public boolean serves() {
            return action == Action.SERVE;
        }
    }

    /**
     * The ruling on {@code offer} while {@code serving} serves ({@code null}: none yet). {@code problem}
     * says why the version is malformed, or is null; it is only asked for when the answer matters.
     */
    public static Ruling rule(Offer offer, Offer serving, java.util.function.Supplier<String> problem) {
        if (offer.candidate()) {
            return new Ruling(Action.CANDIDATE, null);
        }
        if (serving != null && offer.version() == serving.version() && offer.sha256().equalsIgnoreCase(serving.sha256())) {
            return new Ruling(Action.REPEAT, null);
        }
        String refusal = problem.get();
        if (refusal == null && serving != null && offer.version() == serving.version()) {
            refusal = new Rejection("conflicting-version", "model version " + offer.version()
                    + " conflicts with the serving record of the same number (sha256 " + offer.sha256() + " != "
                    + serving.sha256() + ")").reason();
        }
        if (refusal == null && serving != null && offer.version() < serving.version()) {
            refusal = new Rejection("stale-version", "model version " + offer.version()
                    + " is older than the serving version " + serving.version()).reason();
        }
        return refusal == null ? new Ruling(Action.SERVE, null) : new Ruling(Action.REFUSE, refusal);
    }
}
