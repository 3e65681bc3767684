package dev.loopline.jobs.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loopline.envs.Environments;
import dev.loopline.envs.TestData;
import dev.loopline.envs.record.RecordingEnvironment;
import dev.loopline.envs.record.Recordings;
import dev.loopline.jobs.eval.RecordedStreamEval.Result;
import dev.loopline.jobs.eval.RecordedStreamEval.Scope;
import dev.loopline.schemas.recording.RecordedEvent;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Offline replay of a recorded run: digits played by the supervised environment, 4,000 events. */
class RecordedStreamEvalTest {
    private static final int EVENTS = 4_000;

    @TempDir
    static Path dir;
    static List<RecordedEvent> digits;

    @BeforeAll
    static void record() {
        Path file = dir.resolve("digits.avro");
        try (RecordingEnvironment recorder = new RecordingEnvironment(
                Environments.create("supervised:" + TestData.path("digits.csv"), 5), file)) {
            for (int i = 0; i < EVENTS; i++) {
                recorder.next(i);
            }
        }
        digits = Recordings.read(file).events();
    }

    @Test
    void aLinearPolicyLearnsTheRecordedEventsFarBetterThanUniform() {
        RecordedStreamEval eval = new RecordedStreamEval(digits, Scope.GLOBAL, 3);
        Result uniform = eval.uniform();
        Result linucb = eval.run("linucb");
        assertEquals(EVENTS, linucb.events());
        assertEquals(1.0, linucb.oracleMeanReward(), 1e-12, "digits: one label per row, reward 1");
        assertEquals(1.0 - linucb.meanExpectedReward(), linucb.meanRegret(), 1e-12);
        assertEquals(linucb.meanReward(), linucb.meanExpectedReward(), 1e-12, "the supervised world is deterministic");
        assertEquals(0.1, uniform.meanReward(), 0.03);
        assertTrue(linucb.meanReward() > uniform.meanReward() + 0.5, linucb + " against " + uniform);
        assertTrue(linucb.lastQuarterMeanReward() > linucb.meanReward(), "it learns as it goes: " + linucb);
        Result again = eval.run("linucb");
        assertEquals(linucb.meanReward(), again.meanReward(), "same recording, same seed, same figures");
        assertEquals(linucb.lastQuarterMeanReward(), again.lastQuarterMeanReward());
    }

    @Test
    void perEntityStateLearnsFromFewerEventsEach() {
        Result global = new RecordedStreamEval(digits, Scope.GLOBAL, 3).run("linucb");
        Result perEntity = new RecordedStreamEval(digits, Scope.ENTITY, 3).run("linucb");
        assertEquals("entity", perEntity.scope());
        assertTrue(perEntity.meanReward() < global.meanReward() - 0.05, perEntity + " against " + global);
    }

    @Test
    void theServedRewardModelIsRetrainedAsTheLoopDoes() {
        RecordedStreamEval eval = new RecordedStreamEval(digits, Scope.ENTITY, 3);
        Result squarecb = eval.run("squarecb");
        Result uniform = eval.uniform();
        assertTrue(squarecb.lastQuarterMeanReward() > uniform.meanReward() + 0.4, squarecb + " against " + uniform);
    }

    @Test
    void anIncompleteRecordingIsRefused() {
        RecordedEvent first = digits.get(0);
        RecordedEvent cut = new RecordedEvent(first.getEvent(), new HashMap<>());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new RecordedStreamEval(List.of(cut), Scope.GLOBAL, 1).run("greedy"));
        assertTrue(e.getMessage().contains("no recorded reward"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new RecordedStreamEval(List.of(), Scope.GLOBAL, 1));
        assertThrows(IllegalArgumentException.class, () -> Scope.parse("segment"));
    }
}
