package dev.loopline.schemas.codec;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;

/**
 * The released versions of each contract schema, kept under {@code schemas/released/vN/} and
 * shipped on the classpath. Readers know all of them so records written by any released writer
 * resolve to the current reader schema.
 */
public final class ReleasedSchemas {
    private static final String ROOT = "/loopline/schemas/released/v";
    private static final int MAX_VERSIONS = 999;
    /** Read once per record name: a codec is built per use, and reading the classpath each time cost more than the record. */
    private static final Map<String, List<Schema>> READ = new ConcurrentHashMap<>();

    private ReleasedSchemas() {}

    /** Every released schema of the record with this simple name, oldest first. */
    public static List<Schema> of(String recordName) {
        return READ.computeIfAbsent(recordName, ReleasedSchemas::read);
    }

    private static List<Schema> read(String recordName) {
        List<Schema> versions = new ArrayList<>();
        for (int v = 1; v <= MAX_VERSIONS; v++) {
            try (InputStream in = ReleasedSchemas.class.getResourceAsStream(ROOT + v + "/" + recordName + ".avsc")) {
                if (in == null) {
                    break;
                }
                versions.add(new Schema.Parser().parse(in));
            } catch (IOException e) {
                throw new IllegalStateException("Released schema v" + v + " of " + recordName + " is unreadable", e);
            }
        }
        return List.copyOf(versions);
    }
}
