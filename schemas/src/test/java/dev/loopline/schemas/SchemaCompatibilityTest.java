package dev.loopline.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.loopline.schemas.codec.ReleasedSchemas;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** The topic contract may only grow in ways every released reader and writer survives. */
class SchemaCompatibilityTest {

    static List<Schema> contract() {
        return List.of(ContextEvent.getClassSchema(), Decision.getClassSchema(), Feedback.getClassSchema(),
                ModelVersion.getClassSchema(), MetricEvent.getClassSchema(), DeadLetter.getClassSchema());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("contract")
    void currentSchemaReadsEveryReleasedVersion(Schema current) {
        List<Schema> released = ReleasedSchemas.of(current.getName());
        assertFalse(released.isEmpty(), "no released version of " + current.getName() + " in schemas/released");
        for (Schema old : released) {
            assertCompatible(current, old, "current reader, released writer");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("contract")
    void lastReleasedReaderReadsCurrentWriter(Schema current) {
        List<Schema> released = ReleasedSchemas.of(current.getName());
        assertCompatible(released.get(released.size() - 1), current, "released reader, current writer");
    }

    @Test
    void aFieldWithoutDefaultIsCaught() {
        Schema released = ReleasedSchemas.of("Feedback").get(0);
        Schema broken = SchemaBuilder.record("Feedback").namespace("dev.loopline.schemas").fields()
                .requiredString("decisionId").requiredString("entityId").requiredLong("timestamp")
                .requiredDouble("reward").requiredString("channel").endRecord();
        assertNotEquals(SchemaCompatibilityType.COMPATIBLE,
                SchemaCompatibility.checkReaderWriterCompatibility(broken, released).getType());
    }

    private static void assertCompatible(Schema reader, Schema writer, String direction) {
        var result = SchemaCompatibility.checkReaderWriterCompatibility(reader, writer);
        assertEquals(SchemaCompatibilityType.COMPATIBLE, result.getType(),
                reader.getName() + " (" + direction + "): " + result.getDescription());
    }
}
