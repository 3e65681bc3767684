package dev.loopline.tests.cluster;

import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * Waiting on a signal with a deadline: the probe runs every {@code poll} until it returns a non-null
 * value, the deadline passes, or one of the watched processes dies (then the failure carries the end
 * of its output instead of a bare timeout).
 */
public final class Await {
    private Await() {}

    public static <T> T until(String what, Duration timeout, Duration poll, Callable<T> probe, JvmProcess... watched)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Exception last = null;
        while (true) {
            try {
                T value = probe.call();
                if (value != null && !Boolean.FALSE.equals(value)) {
                    return value;
                }
            } catch (InterruptedException e) {
                throw e;
            } catch (Exception e) {
                last = e;
            }
            for (JvmProcess p : watched) {
                if (!p.isAlive()) {
                    throw new IllegalStateException("while waiting for " + what + ": " + p + " exited with "
                            + p.waitFor(Duration.ZERO).orElse(-1) + "; its output ends with:\n" + p.tail(40), last);
                }
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new IllegalStateException("timed out after " + timeout.toSeconds() + " s waiting for " + what
                        + (last == null ? "" : "; last attempt: " + last), last);
            }
            Thread.sleep(Math.min(poll.toMillis(), Math.max(1, left / 1_000_000)));
        }
    }
}
