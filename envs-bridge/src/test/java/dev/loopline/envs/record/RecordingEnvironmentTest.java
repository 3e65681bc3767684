package dev.loopline.envs.record;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loopline.envs.Environment;
import dev.loopline.envs.Environments;
import dev.loopline.schemas.Action;
import dev.loopline.schemas.ContextEvent;
import dev.loopline.schemas.recording.RecordedEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecordingEnvironmentTest {
    @TempDir
    Path dir;

    @Test
    void aRecordingHoldsTheEventsInOrderWithTheRewardEveryActionWouldHaveEarned() {
        Path file = dir.resolve("runs/payments.avro");
        List<ContextEvent> played = new ArrayList<>();
        List<Double> chosenRewards = new ArrayList<>();
        try (RecordingEnvironment recorder = new RecordingEnvironment(Environments.create("payments", 11), file)) {
            for (int i = 0; i < 500; i++) {
                ContextEvent e = recorder.next(1_000L + i);
                played.add(e);
                // The loop's feedback for one action, asked after the event was recorded, as the runner does.
                chosenRewards.add(recorder.outcome(e, e.getActions().get(i % e.getActions().size()).getActionId()).reward());
            }
            assertEquals(500, recorder.recorded());
        }
        assertTrue(Recordings.isRecording(file));
        Recordings.Recording recording = Recordings.read(file);
        assertEquals("payments", recording.environment());
        assertEquals(500, recording.events().size());
        Environment fresh = Environments.create("payments", 11);
        for (int i = 0; i < 500; i++) {
            RecordedEvent r = recording.events().get(i);
            assertEquals(played.get(i), r.getEvent());
            ContextEvent e = r.getEvent();
            assertEquals(e.getActions().size(), r.getRewards().size());
            for (Action a : e.getActions()) {
                assertEquals(fresh.outcome(e, a.getActionId()).reward(), r.getRewards().get(a.getActionId()));
            }
            String chosen = e.getActions().get(i % e.getActions().size()).getActionId();
            assertEquals(chosenRewards.get(i), r.getRewards().get(chosen), "the recorded reward is the feedback's");
        }
    }

    @Test
    void somethingElseIsRefusedWithItsReason() throws Exception {
        Path csv = dir.resolve("data.csv");
        Files.writeString(csv, "x,label\n1,a\n");
        assertFalse(Recordings.isRecording(csv));
        IllegalArgumentException notOne = assertThrows(IllegalArgumentException.class, () -> Recordings.read(csv));
        assertTrue(notOne.getMessage().contains("not a readable recording"), notOne.getMessage());
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> Recordings.read(dir.resolve("none.avro")));
        assertTrue(missing.getMessage().contains("--record"), missing.getMessage());
    }
}
