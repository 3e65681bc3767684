package dev.loopline.core.policy;

/**
 * Where per-action statistics live. The streaming job backs it with keyed state (RocksDB), tests with
 * a map; the policy never knows which.
 */
public interface ArmStore {
    /** The arm's state, or {@code null} for an action never learned (a cold start from the prior). */
    double[] load(String actionId);

    void store(String actionId, double[] state);
}
