package dev.loopline.core.drift;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;

/**
 * Detections scored against known drift points. The first detection at or after a drift, and before
 * the next drift, is that drift's detection; its distance from the drift is the delay. Every other
 * detection is a false alarm (a detection before the first drift, or a second one after the same
 * drift). A drift with no detection before the next one is missed.
 *
 * @param delays      per true drift, the delay in rows, empty when missed
 * @param falseAlarms detections that are not the first after a drift
 * @param missed      true drifts with no detection before the next drift (or the end)
 */
public record DriftScore(List<OptionalLong> delays, long falseAlarms, int missed) {

    public DriftScore {
        delays = List.copyOf(delays);
    }

    /**
     * @param detections row indices where a detector fired, in increasing order
     * @param drifts     row indices of the true drifts, in increasing order
     */
    public static DriftScore of(long[] detections, long[] drifts) {
        long[] d = detections.clone();
        long[] t = drifts.clone();
        Arrays.sort(d);
        Arrays.sort(t);
        List<OptionalLong> delays = new ArrayList<>();
        int matched = 0;
        int missed = 0;
        for (int i = 0; i < t.length; i++) {
            long from = t[i];
            long to = i + 1 < t.length ? t[i + 1] : Long.MAX_VALUE;
            OptionalLong delay = OptionalLong.empty();
            for (long x : d) {
                if (x >= from && x < to) {
                    delay = OptionalLong.of(x - from);
                    matched++;
                    break;
                }
            }
            if (delay.isEmpty()) {
                missed++;
            }
            delays.add(delay);
        }
        return new DriftScore(delays, d.length - matched, missed);
    }
}
