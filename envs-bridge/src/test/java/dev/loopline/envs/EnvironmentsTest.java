package dev.loopline.envs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loopline.envs.control.ControlEnvironment;
import dev.loopline.envs.replay.LoggedBanditReplay;
import dev.loopline.envs.replay.SupervisedCsvEnvironment;
import dev.loopline.schemas.ContextEvent;
import java.util.List;
import org.junit.jupiter.api.Test;

class EnvironmentsTest {

    @Test
    void everySimulatorIsCreatedByNameWithItsSeed() {
        assertEquals(List.of("payments", "recommender", "robot", "vehicle", "motor"), Environments.names());
        for (String name : Environments.names()) {
            Environment a = Environments.create(name, 3);
            Environment b = Environments.create(name, 3);
            assertEquals(name, a.name());
            ContextEvent e = a.next(1_000);
            assertEquals(e, b.next(1_000), name + " is deterministic for the seed");
            assertEquals(name, e.getDomain());
        }
        for (String name : Environments.controlNames()) {
            assertInstanceOf(ControlEnvironment.class, Environments.create(name, 1));
            assertEquals(name, Environments.createControl(name, 1).name());
        }
    }

    @Test
    void replayFormsNameAFile() {
        String digits = TestData.path("digits.csv").toString();
        SupervisedCsvEnvironment sup = (SupervisedCsvEnvironment) Environments.create("supervised:" + digits, 1);
        assertEquals(10, sup.classes().size());
        SupervisedCsvEnvironment byLabel = (SupervisedCsvEnvironment) Environments.create(
                "supervised:" + digits + "#pixel_0_2", 1);
        assertEquals(17, byLabel.classes().size(), "pixel values 0..16 as classes");
        LoggedBanditReplay obd = (LoggedBanditReplay) Environments.create(
                "obd:" + TestData.path("obd", "random", "men.csv"), 1);
        assertEquals(34, obd.actionIds().size());
        assertEquals(List.of("supervised:PATH[#LABEL]", "obd:PATH"), Environments.replayForms());
    }

    @Test
    void unknownNamesAreRefusedWithTheKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Environments.create("boat", 1));
        assertTrue(e.getMessage().contains("boat") && e.getMessage().contains("recommender")
                && e.getMessage().contains("obd:PATH"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Environments.createControl("payments", 1));
        assertTrue(e.getMessage().contains("not a control task"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Environments.create("supervised:", 1));
        assertTrue(e.getMessage().contains("names no file"), e.getMessage());
    }
}
