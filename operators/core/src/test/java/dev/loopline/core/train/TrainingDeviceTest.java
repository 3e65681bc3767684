package dev.loopline.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import org.junit.jupiter.api.Test;

/** The trainers' device: a preference by name, resolved against what the engine sees, with a clear error. */
class TrainingDeviceTest {
    @Test
    void preferencesParseByNameAndAnUnknownOneSaysWhatIsAllowed() {
        assertEquals(TrainingDevice.GPU, TrainingDevice.parse(" GPU "));
        assertEquals(TrainingDevice.AUTO, TrainingDevice.parse("auto"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TrainingDevice.parse("tpu"));
        assertTrue(e.getMessage().contains("auto, cpu or gpu") && e.getMessage().contains("LOOPLINE_DEVICE"), e.getMessage());
    }

    @Test
    void autoTakesAGpuOnlyWhenTheEngineSeesOneAndGpuWithoutOneSaysHowToGetIt() {
        boolean gpu = Engine.getInstance().getGpuCount() > 0;
        assertEquals(gpu ? Device.gpu() : Device.cpu(), TrainingDevice.AUTO.resolve());
        assertEquals(Device.cpu(), TrainingDevice.CPU.resolve());
        if (!gpu) {
            IllegalStateException e = assertThrows(IllegalStateException.class, TrainingDevice.GPU::resolve);
            assertTrue(e.getMessage().contains("-Pcuda"), e.getMessage());
        }
        String line = TrainingDevice.describe(Device.cpu(), TrainingDevice.AUTO);
        assertTrue(line.startsWith("cpu() (auto; PyTorch engine"), line);
    }
}
