package dev.loopline.core.memory;

/**
 * Running figures of an error memory, for metrics.
 *
 * @param lookups            predictions looked up
 * @param hits               look-ups that found neighbours
 * @param meanAbsCorrection  mean |correction| over the hits (0 before the first)
 * @param outcomes           observed outcomes recorded against an applied correction
 * @param residualMeanBefore mean of (observed - base prediction) over those outcomes
 * @param residualMeanAfter  mean of (observed - corrected prediction) over those outcomes
 * @param squaredErrorBefore mean squared (observed - base prediction)
 * @param squaredErrorAfter  mean squared (observed - corrected prediction)
 * @param size               entries held (for the totals of a {@link KeyedErrorMemory}: in the memory last saved)
 * @param occupancy          size as a share of capacity (for keyed totals: a moving mean over saves), in [0, 1]
 */
public record ErrorMemoryStats(long lookups, long hits, double meanAbsCorrection, long outcomes,
        double residualMeanBefore, double residualMeanAfter, double squaredErrorBefore, double squaredErrorAfter,
        int size, double occupancy) {

    /** Share of look-ups that found neighbours (0 before the first look-up). */
    public double hitRate() {
        return lookups == 0 ? 0 : (double) hits / lookups;
    }
}
