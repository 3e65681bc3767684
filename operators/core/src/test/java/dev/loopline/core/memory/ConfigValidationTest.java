package dev.loopline.core.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every parameter is range-checked when the config is built; the message names the value, the range and a fix. */
class ConfigValidationTest {
    static final ErrorMemoryConfig D = ErrorMemoryConfig.defaults();

    static Stream<Arguments> invalid() {
        return Stream.of(
                Arguments.of("capacity", (Supplier<?>) () -> D.withCapacity(0)),
                Arguments.of("capacity", (Supplier<?>) () -> D.withCapacity(10_000_001)),
                Arguments.of("k", (Supplier<?>) () -> D.withNeighbours(0)),
                Arguments.of("tables", (Supplier<?>) () -> D.withHashing(0, 6, 16)),
                Arguments.of("tables", (Supplier<?>) () -> D.withHashing(65, 6, 16)),
                Arguments.of("bits", (Supplier<?>) () -> D.withHashing(8, 0, 16)),
                Arguments.of("bits", (Supplier<?>) () -> D.withHashing(8, 31, 16)),
                Arguments.of("bucketCapacity", (Supplier<?>) () -> D.withHashing(8, 6, 0)),
                Arguments.of("compensationWeight", (Supplier<?>) () -> D.withWeighting(1.5, 0.2, 0.6, 8)),
                Arguments.of("compensationWeight", (Supplier<?>) () -> D.withWeighting(Double.NaN, 0.2, 0.6, 8)),
                Arguments.of("temperature", (Supplier<?>) () -> D.withWeighting(1, 0, 0.6, 8)),
                Arguments.of("temperature", (Supplier<?>) () -> D.withWeighting(1, Double.POSITIVE_INFINITY, 0.6, 8)),
                Arguments.of("minSimilarity", (Supplier<?>) () -> D.withWeighting(1, 0.2, 1.1, 8)),
                Arguments.of("shrinkage", (Supplier<?>) () -> D.withWeighting(1, 0.2, 0.6, -1)),
                Arguments.of("bandwidth", (Supplier<?>) () -> D.withSimilarity(ErrorMemoryConfig.Similarity.EUCLIDEAN, 0)),
                Arguments.of("similarity", (Supplier<?>) () -> D.withSimilarity(null, 0.3)),
                Arguments.of("ttlMillis", (Supplier<?>) () -> D.withTtlMillis(0)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalid")
    void invalidValuesAreRejectedWithTheirName(String name, Supplier<?> build) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, build::get);
        assertTrue(e.getMessage().contains(name), e.getMessage());
    }

    @Test
    void messagesNameTheValueTheRangeAndAFix() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> D.withWeighting(1.5, 0.2, 0.6, 8));
        assertEquals("error memory compensationWeight=1.5 is outside [0, 1]; 1 adds the neighbours' whole mean residual,"
                + " 0 switches correction off", e.getMessage());
    }

    @Test
    void theDefaultsAreValidAndDocumented() {
        assertEquals(600, D.capacity());
        assertEquals(64, D.k());
        assertEquals(ErrorMemoryConfig.Similarity.COSINE, D.similarity());
        assertEquals(Long.MAX_VALUE, D.ttlMillis());
        assertEquals(13, D.parameters().size());
        assertEquals("cosine", D.parameters().get("similarity"));
    }

    @Test
    void aMemoryNeedsAConfig() {
        assertThrows(IllegalArgumentException.class, () -> new ErrorMemory(null));
        assertThrows(IllegalArgumentException.class, () -> new KeyedErrorMemory(null));
    }
}
