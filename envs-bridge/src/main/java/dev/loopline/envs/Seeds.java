package dev.loopline.envs;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/** Derives independent, reproducible random streams from a seed and a key (SplitMix64 mixing). */
public final class Seeds {
    private Seeds() {}

    /** A random stream for (seed, purpose, key); equal arguments give equal streams. */
    public static SplittableRandom random(long seed, long purpose, long key) {
        return new SplittableRandom(mix(mix(seed ^ mix(purpose)) + key));
    }

    /** SplitMix64 finaliser. */
    public static long mix(long z) {
        z += 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** 64-bit FNV-1a hash of the UTF-8 bytes of {@code s}. */
    public static long hash64(String s) {
        long h = 0xcbf29ce484222325L;
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            h ^= (b & 0xff);
            h *= 0x100000001b3L;
        }
        return h;
    }
}
