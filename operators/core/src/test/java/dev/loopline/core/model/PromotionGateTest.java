package dev.loopline.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loopline.core.bandit.DecisionInput;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The promotion gate on logs of a uniform logger over two actions, where action "good" pays 0.8 and
 * "bad" 0.2: a candidate that prefers "good" is worth about 0.8 - 0.6 p(bad), and the gate must see it.
 */
class PromotionGateTest {
    static final List<String> ACTIONS = List.of("good", "bad");

    static List<PromotionGate.LoggedDecision> logs(int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<PromotionGate.LoggedDecision> logs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int chosen = random.nextInt(2);
            double reward = random.nextDouble() < (chosen == 0 ? 0.8 : 0.2) ? 1 : 0;
            logs.add(new PromotionGate.LoggedDecision(new DecisionInput("d" + i, Map.of(), ACTIONS,
                    Collections.nCopies(2, Map.of())), chosen, 0.5, reward));
        }
        return logs;
    }

    static PromotionGate.Distribution prefers(double pGood) {
        return input -> new double[] {pGood, 1 - pGood};
    }

    final PromotionGate gate = new PromotionGate(PromotionGate.Config.defaults(3));

    @Test
    void aBetterCandidateIsPromotedWithItsValueAndInterval() {
        PromotionGate.Verdict v = gate.judge(logs(2_000, 1), prefers(0.95), prefers(0.5), 1);
        assertTrue(v.promote(), v.reason());
        assertEquals(0.77, v.candidateValue(), 0.04, "0.8 * 0.95 + 0.2 * 0.05");
        assertEquals(0.5, v.servingValue(), 0.04);
        assertTrue(v.differenceLow() > 0.2 && v.differenceHigh() < 0.35, v.reason());
        assertEquals(2_000, v.examples());
    }

    @Test
    void aClearlyWorseCandidateIsRefusedAndTheSameCallGivesTheSameVerdict() {
        PromotionGate.Verdict v = gate.judge(logs(2_000, 2), prefers(0.1), prefers(0.9), 4);
        assertFalse(v.promote(), v.reason());
        assertTrue(v.differenceHigh() < -0.02, v.reason());
        assertEquals(v, gate.judge(logs(2_000, 2), prefers(0.1), prefers(0.9), 4), "seeded by the round");
    }

    @Test
    void aCandidateWithinTheMarginIsPromotedAndTooFewLogsPromoteUntested() {
        assertTrue(gate.judge(logs(4_000, 3), prefers(0.5), prefers(0.5), 1).promote(), "no worse than serving");
        PromotionGate.Verdict untested = gate.judge(logs(150, 4), prefers(0.0), prefers(1.0), 1);
        assertTrue(untested.promote());
        assertTrue(untested.reason().contains("without a test"), untested.reason());
    }

    @Test
    void withoutAServingPolicyTheLoggerIsTheBaseline() {
        PromotionGate.Verdict v = gate.judge(logs(2_000, 5), prefers(0.95), null, 1);
        assertEquals(0.5, v.servingValue(), 0.04, "the uniform logger's own value");
        assertTrue(v.promote(), v.reason());
    }
}
