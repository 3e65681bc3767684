package dev.loopline.jobs.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** How every command writes its {@code --json} file: indented, absent fields left out, what was run first. */
final class Json {
    static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .setSerializationInclusion(JsonInclude.Include.NON_NULL);

    private Json() {}

    /** Writes {@code head} (e.g. the input file) followed by the fields of {@code result} (a record or a map). */
    static void write(Path file, Map<String, ?> head, Object result) throws IOException {
        Map<String, Object> doc = new LinkedHashMap<>(head);
        doc.putAll(MAPPER.convertValue(result, new TypeReference<LinkedHashMap<String, Object>>() {}));
        MAPPER.writeValue(file.toFile(), doc);
    }

    static void write(Path file, Object result) throws IOException {
        MAPPER.writeValue(file.toFile(), result);
    }
}
