package dev.loopline.core.bandit;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * Every random draw of a decision is seeded from the job seed and the event id, never from a shared
 * generator, so a replayed event gets the same action and consumers can keep the first record per
 * decision id.
 */
public final class Draws {
    private Draws() {}

    public static SplittableRandom forEvent(long jobSeed, String eventId) {
        return new SplittableRandom(mix(jobSeed, eventId));
    }

    public static long mix(long seed, String key) {
        long h = 0xcbf29ce484222325L ^ seed;
        for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
            h ^= b;
            h *= 0x100000001b3L;
        }
        // Finalise (SplitMix64) so nearby ids give unrelated streams.
        h = (h ^ (h >>> 30)) * 0xbf58476d1ce4e5b9L;
        h = (h ^ (h >>> 27)) * 0x94d049bb133111ebL;
        return h ^ (h >>> 31);
    }

    /** Index drawn from a distribution that sums to 1 (the last index absorbs rounding). */
    public static int sample(double[] probabilities, SplittableRandom random) {
        double u = random.nextDouble();
        double acc = 0;
        for (int i = 0; i < probabilities.length; i++) {
            acc += probabilities[i];
            if (u < acc) {
                return i;
            }
        }
        for (int i = probabilities.length - 1; i >= 0; i--) {
            if (probabilities[i] > 0) {
                return i;
            }
        }
        throw new IllegalArgumentException("distribution has no positive mass");
    }

    /** Argmax with ties broken uniformly at random (reproducibly, from {@code random}). */
    public static int argmaxRandomTies(double[] scores, SplittableRandom random) {
        int best = 0;
        int ties = 1;
        for (int i = 1; i < scores.length; i++) {
            if (scores[i] > scores[best]) {
                best = i;
                ties = 1;
            } else if (scores[i] == scores[best]) {
                ties++;
                if (random.nextInt(ties) == 0) {
                    best = i;
                }
            }
        }
        return best;
    }
}
