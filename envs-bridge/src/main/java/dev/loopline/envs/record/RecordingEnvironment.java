package dev.loopline.envs.record;

import dev.loopline.envs.Environment;
import dev.loopline.envs.Outcome;
import dev.loopline.schemas.Action;
import dev.loopline.schemas.ContextEvent;
import dev.loopline.schemas.recording.RecordedEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.file.CodecFactory;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.specific.SpecificDatumWriter;

/**
 * An environment that writes every event it hands out to a recording (an Avro object container file of
 * {@link RecordedEvent}), with the reward each offered action would have earned. Outcomes are deterministic
 * from the seed, the event and the action (the {@link Environment} contract), so the reward recorded for the
 * action the loop chose is the one its feedback carried, and {@code loopline eval} can replay the same events
 * offline with any policy: the price of streaming, measured on one event sequence.
 *
 * <p>{@link #next(long)} and {@link #close()} are called from the producing thread; {@link #outcome} is
 * passed through unchanged and may be called from any thread, as the wrapped environment allows.
 */
public final class RecordingEnvironment implements Environment, AutoCloseable {
    private final Environment env;
    private final Path file;
    private final DataFileWriter<RecordedEvent> writer;
    private long recorded;

    /** Records into {@code file} (created or replaced; its directory is created). */
    public RecordingEnvironment(Environment env, Path file) {
        this.env = env;
        this.file = file;
        try {
            Path dir = file.toAbsolutePath().getParent();
            if (dir != null) {
                Files.createDirectories(dir);
            }
            this.writer = new DataFileWriter<>(new SpecificDatumWriter<>(RecordedEvent.class))
                    .setCodec(CodecFactory.deflateCodec(1));
            writer.setMeta(Recordings.ENVIRONMENT_META, env.name());
            writer.create(RecordedEvent.getClassSchema(), file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the recording " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String name() {
        return env.name();
    }

    @Override
    public List<String> contextFeatureNames() {
        return env.contextFeatureNames();
    }

    @Override
    public List<String> actionFeatureNames() {
        return env.actionFeatureNames();
    }

    @Override
    public ContextEvent next(long eventTimeMillis) {
        ContextEvent event = env.next(eventTimeMillis);
        Map<String, Double> rewards = new HashMap<>();
        for (Action action : event.getActions()) {
            rewards.put(action.getActionId(), env.outcome(event, action.getActionId()).reward());
        }
        try {
            writer.append(new RecordedEvent(event, rewards));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to the recording " + file + ": " + e.getMessage(), e);
        }
        recorded++;
        return event;
    }

    @Override
    public Outcome outcome(ContextEvent event, String actionId) {
        return env.outcome(event, actionId);
    }

    /** Events recorded so far. */
    public long recorded() {
        return recorded;
    }

    public Path file() {
        return file;
    }

    @Override
    public void close() {
        try {
            writer.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close the recording " + file + ": " + e.getMessage(), e);
        }
    }
}
