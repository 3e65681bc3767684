package dev.loopline.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;

/** The job's own restart strategy reaches Flink under the names Flink reads (a misspelt key would be ignored). */
class RestartPolicyTest {
    static final AtomicInteger ATTEMPTS = new AtomicInteger();

    /** Runs a small job whose first two attempts fail; returns the attempts it took, or throws if it stayed failed. */
    static int runFailingTwice(RestartPolicy policy) throws Exception {
        ATTEMPTS.set(0);
        Configuration conf = new Configuration();
        policy.applyTo(conf);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(1, conf);
        env.fromData(List.of(1, 2, 3)).map(x -> {
            if (x == 1 && ATTEMPTS.incrementAndGet() <= 2) {
                throw new IllegalStateException("attempt " + ATTEMPTS.get() + " fails");
            }
            return x;
        }).sinkTo(new org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink<>());
        env.execute("restart-policy-test");
        return ATTEMPTS.get();
    }

    @Test
    void theJobRestartsAfterFailuresUnderEitherDelayStrategy() throws Exception {
        assertEquals(3, runFailingTwice(new RestartPolicy(RestartPolicy.FIXED, 10, 10)));
        assertEquals(3, runFailingTwice(new RestartPolicy(RestartPolicy.EXPONENTIAL, 10, 100)));
    }

    @Test
    void noneLeavesTheJobFailedAndBadSettingsAreRefused() {
        assertThrows(Exception.class, () -> runFailingTwice(new RestartPolicy(RestartPolicy.NONE, 0, 0)));
        assertEquals(1, ATTEMPTS.get(), "no restart");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new RestartPolicy("sometimes", 1, 2));
        assertTrue(e.getMessage().contains("exponential-delay"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new RestartPolicy(RestartPolicy.EXPONENTIAL, 5_000, 1_000));
    }
}
