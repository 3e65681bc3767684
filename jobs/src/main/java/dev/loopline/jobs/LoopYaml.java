package dev.loopline.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Reads {@code loop.yaml}: nested YAML mapped onto the dotted settings of {@link JobConfigs#KEYS}. The
 * whole file is checked before anything starts; a problem names the file, the key, the value and what
 * is allowed. {@code kafka.properties} is passed to every Kafka client unchanged (security settings).
 */
public final class LoopYaml {
    private LoopYaml() {}

    public static JobConfig load(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("config file " + file + " does not exist");
        }
        return parse(Files.readString(file), file.toString());
    }

    public static JobConfig parse(String yaml, String source) {
        JobConfigs.Builder builder = read(yaml, source);
        try {
            return builder.build();
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException(source + ": " + (e.getMessage() == null ? "kafka.bootstrap is required" : e.getMessage()));
        }
    }

    /** The settings of a file on top of the defaults, not yet validated as a whole (callers may override some). */
    public static JobConfigs.Builder read(String yaml, String source) {
        JsonNode root;
        try {
            root = new ObjectMapper(new YAMLFactory()).readTree(yaml);
        } catch (IOException e) {
            throw new IllegalArgumentException(source + " is not valid YAML: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException(source + " must be a YAML mapping of settings (see `loopline config --describe`)");
        }
        JobConfigs.Builder builder = JobConfigs.builder(null);
        List<String> problems = new ArrayList<>();
        walk(root, "", builder, problems);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(source + ": " + String.join("; ", problems));
        }
        return builder;
    }

    public static JobConfigs.Builder read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("config file " + file + " does not exist");
        }
        return read(Files.readString(file), file.toString());
    }

    private static void walk(JsonNode node, String prefix, JobConfigs.Builder builder, List<String> problems) {
        Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> f = fields.next();
            String path = prefix.isEmpty() ? f.getKey() : prefix + "." + f.getKey();
            JsonNode v = f.getValue();
            if (v.isObject()) {
                walk(v, path, builder, problems);
                continue;
            }
            String text;
            if (v.isArray()) {
                List<String> items = new ArrayList<>();
                v.forEach(item -> items.add(item.asText()));
                text = String.join(",", items);
            } else if (v.isNull()) {
                problems.add(path + " has no value");
                continue;
            } else {
                text = v.asText();
            }
            try {
                builder.set(path, text);
            } catch (IllegalArgumentException e) {
                problems.add(e.getMessage());
            }
        }
    }
}
