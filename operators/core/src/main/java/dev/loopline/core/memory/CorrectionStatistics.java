package dev.loopline.core.memory;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * Accumulates the figures of {@link ErrorMemoryStats}: every look-up through {@link #record(Correction)},
 * every outcome against the correction that was applied through {@link #recordOutcome}. Plain and
 * mutable; an {@link ErrorMemory} keeps one (saved with its snapshot), and a keyed operator can keep
 * one across all its keys.
 */
public final class CorrectionStatistics {
    private long lookups;
    private long hits;
    private double sumAbsCorrection;
    private long outcomes;
    private double sumBefore;
    private double sumAfter;
    private double sumSquaredBefore;
    private double sumSquaredAfter;

    public CorrectionStatistics() {}

    /** Replaces these figures by a copy of {@code o}'s. */
    void copyFrom(CorrectionStatistics o) {
        lookups = o.lookups;
        hits = o.hits;
        sumAbsCorrection = o.sumAbsCorrection;
        outcomes = o.outcomes;
        sumBefore = o.sumBefore;
        sumAfter = o.sumAfter;
        sumSquaredBefore = o.sumSquaredBefore;
        sumSquaredAfter = o.sumSquaredAfter;
    }

    /** Counts one look-up. */
    public void record(Correction correction) {
        lookups++;
        if (correction.hit()) {
            hits++;
            sumAbsCorrection += Math.abs(correction.correction());
        }
    }

    /** Counts one observed outcome against the prediction that was served. */
    public void recordOutcome(double observed, Correction applied) {
        double before = observed - applied.base();
        double after = observed - applied.corrected();
        outcomes++;
        sumBefore += before;
        sumAfter += after;
        sumSquaredBefore += before * before;
        sumSquaredAfter += after * after;
    }

    /** The figures now, with the memory's size and occupancy as given. */
    public ErrorMemoryStats summary(int size, double occupancy) {
        return new ErrorMemoryStats(lookups, hits, hits == 0 ? 0 : sumAbsCorrection / hits, outcomes,
                mean(sumBefore), mean(sumAfter), mean(sumSquaredBefore), mean(sumSquaredAfter), size, occupancy);
    }

    private double mean(double sum) {
        return outcomes == 0 ? 0 : sum / outcomes;
    }

    void write(DataOutput out) throws IOException {
        out.writeLong(lookups);
        out.writeLong(hits);
        out.writeDouble(sumAbsCorrection);
        out.writeLong(outcomes);
        out.writeDouble(sumBefore);
        out.writeDouble(sumAfter);
        out.writeDouble(sumSquaredBefore);
        out.writeDouble(sumSquaredAfter);
    }

    void read(DataInput in) throws IOException {
        lookups = in.readLong();
        hits = in.readLong();
        sumAbsCorrection = in.readDouble();
        outcomes = in.readLong();
        sumBefore = in.readDouble();
        sumAfter = in.readDouble();
        sumSquaredBefore = in.readDouble();
        sumSquaredAfter = in.readDouble();
    }
}
