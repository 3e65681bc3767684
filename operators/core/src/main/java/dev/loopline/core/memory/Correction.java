package dev.loopline.core.memory;

/**
 * The outcome of one look-up in an {@link ErrorMemory}: the corrected prediction and why. A look-up
 * with no neighbour at or above the minimum similarity is a miss: {@link #corrected} equals
 * {@link #base}, a value like any other, never an exception.
 *
 * @param base          the base model's prediction
 * @param corrected     the prediction after correction ({@code base} on a miss)
 * @param neighbours    neighbours averaged (0 on a miss, at most k)
 * @param candidates    distinct entries the query's buckets offered (what the look-up cost)
 * @param topSimilarity similarity of the nearest neighbour used ({@code NaN} on a miss)
 */
public record Correction(double base, double corrected, int neighbours, int candidates, double topSimilarity) {

    /** No correction: the base prediction stands. */
    public static Correction none(double base, int candidates) {
        return new Correction(base, base, 0, candidates, Double.NaN);
    }

    /** Whether neighbours were found (a hit), so the prediction may have moved. */
    public boolean hit() {
        return neighbours > 0;
    }

    /** What was added to the base prediction: {@code corrected - base}. */
    public double correction() {
        return corrected - base;
    }

    /** The same look-up with the corrected prediction held inside {@code [low, high]} (a probability in [0, 1]). */
    public Correction clamp(double low, double high) {
        if (!(low <= high)) {
            throw new IllegalArgumentException("clamp bounds [" + low + ", " + high + "] are empty; pass low <= high");
        }
        double c = Math.max(low, Math.min(high, corrected));
        return c == corrected ? this : new Correction(base, c, neighbours, candidates, topSimilarity);
    }
}
