package dev.loopline.jobs.eval;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * The bar on the payments simulator with an issuer outage: the memory cuts the excess regret
 * after the shift by at least half and costs at most 2 % of the mean reward on the stationary stretch,
 * for two scorers and two seeds.
 */
class BanditMemoryEvaluationTest {

    @Test
    void theMemoryHalvesTheExcessRegretOfAnIssuerOutageAndCostsLittleBeforeIt() {
        for (String policy : List.of("squarecb-linear", "linucb")) {
            for (long seed : new long[] {5, 6}) {
                var r = new BanditMemoryEvaluation(BanditMemoryEvaluation.Options.issuerOutage(policy, seed)).run();
                System.out.printf(Locale.ROOT, "%s seed %d: level %.4f/event, excess after shift %.0f -> %.0f (%.0f %% less),"
                        + " stationary reward %.4f -> %.4f (%+.2f %%), regret before/after %.0f/%.0f -> %.0f/%.0f%n",
                        policy, seed, r.level(), r.base().excessAfterShift(), r.memory().excessAfterShift(),
                        100 * r.excessReduction(), r.base().stationaryMeanReward(), r.memory().stationaryMeanReward(),
                        100 * r.stationaryChange(), r.base().regretBeforeShift(), r.base().regretAfterShift(),
                        r.memory().regretBeforeShift(), r.memory().regretAfterShift());
                assertTrue(r.excessReduction() >= 0.5, policy + " seed " + seed + ": " + r);
                assertTrue(r.stationaryChange() >= -0.02, policy + " seed " + seed + ": " + r);
            }
        }
    }
}
