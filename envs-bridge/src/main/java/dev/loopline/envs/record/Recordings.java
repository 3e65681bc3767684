package dev.loopline.envs.record;

import dev.loopline.schemas.recording.RecordedEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.specific.SpecificDatumReader;

/** Reading back what {@link RecordingEnvironment} wrote. */
public final class Recordings {
    /** File metadata naming the environment that was recorded. */
    public static final String ENVIRONMENT_META = "loopline.environment";

    private Recordings() {}

    /** A recording read whole, in the order its events were sent. */
    public record Recording(String environment, List<RecordedEvent> events) {}

    /** Whether {@code file} starts as an Avro object container file does (a recording, not a CSV). */
    public static boolean isRecording(Path file) {
        try (var in = Files.newInputStream(file)) {
            byte[] magic = in.readNBytes(4);
            return magic.length == 4 && magic[0] == 'O' && magic[1] == 'b' && magic[2] == 'j' && magic[3] == 1;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * @throws IllegalArgumentException when {@code file} is missing or not a recording, with the reason
     */
    public static Recording read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("no recording at " + file + "; write one with loopline demo|env --record FILE");
        }
        try (DataFileReader<RecordedEvent> reader = new DataFileReader<>(file.toFile(),
                new SpecificDatumReader<>(RecordedEvent.class))) {
            String environment = reader.getMetaString(ENVIRONMENT_META);
            List<RecordedEvent> events = new ArrayList<>();
            while (reader.hasNext()) {
                events.add(reader.next());
            }
            return new Recording(environment == null ? "unknown" : environment, events);
        } catch (IOException | AvroRuntimeException e) {
            throw new IllegalArgumentException(file + " is not a readable recording of loopline demo|env --record: "
                    + e.getMessage(), e);
        }
    }
}
