package dev.loopline.envs.control;

import dev.loopline.envs.DelayModel;

/** Feedback delays typical of plant telemetry. */
public final class ControlDelays {
    private ControlDelays() {}

    /**
     * The default delays of the control tasks: the reward is measured one control period after the
     * decision and reported over the plant's telemetry link. Fast 0.95 in 20–250 ms, medium 0.04 in
     * 250–2000 ms, slow 0.005 in 30–60 s (after the job's wait window), lost 0.005.
     */
    public static final DelayModel TELEMETRY = new DelayModel(
            0.95, 20, 250,
            0.04, 250, 2_000,
            0.005, 30_000, 60_000);
}
