package dev.loopline.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LoopYamlTest {

    @Test
    void theExampleFileInTheRepositoryIsValid() throws Exception {
        JobConfig c = LoopYaml.load(Path.of("../config/loop.yaml"));
        assertEquals("127.0.0.1:9092", c.bootstrapServers());
        assertEquals("squarecb", c.loop().policy().name());
        assertEquals(9249, c.prometheusPort());
        assertEquals(JobConfig.EXACTLY_ONCE, c.delivery());
    }

    @Test
    void everyKeyHasADefaultThatParsesToTheBuilderDefault() {
        JobConfig plain = JobConfigs.builder("h:1").build();
        JobConfigs.Builder b = JobConfigs.builder("h:1");
        for (JobConfigs.Key k : JobConfigs.KEYS) {
            if (!k.defaultValue().isEmpty() && !k.path().equals("state.checkpointDir")) {
                b.set(k.path(), k.defaultValue());
            }
        }
        assertEquals(plain, b.build(), "the documented defaults are the defaults");
    }

    @Test
    void nestedYamlListsAndPassThroughPropertiesArrive() {
        JobConfig c = LoopYaml.parse("""
                kafka:
                  bootstrap: a:1,b:2
                  properties:
                    security.protocol: SASL_SSL
                policy:
                  name: linucb
                  contextFeatures: [x, y]
                state:
                  scope: segment
                  segmentFeatures: [x]
                feedback:
                  defaultReward: drop
                """, "t");
        assertEquals("SASL_SSL", c.kafkaProperties().get("security.protocol"));
        assertEquals(List.of("x", "y"), c.loop().contextFeatures());
        assertEquals("segment", c.stateScope());
        assertNull(c.loop().defaultReward());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "unknown key | kafka: {bootstrap: h:1}\\npolicy: {nmae: linucb} | unknown setting 'policy.nmae'",
            "misspelt leaf suggests | kafka: {bootstrap: h:1}\\npolicy: {gamaMin: 1} | unknown setting 'policy.gamaMin'",
            "no bootstrap | policy: {name: squarecb} | kafka.bootstrap is required",
            "bad delivery | kafka: {bootstrap: h:1}\\ndecisions: {delivery: sometimes} | delivery 'sometimes' is unknown; use exactly-once or low-latency",
            "not a number | kafka: {bootstrap: h:1}\\nfeedback: {waitMillis: soon} | feedback.waitMillis: 'soon' is not a number",
            "out of range | kafka: {bootstrap: h:1}\\njob: {parallelism: 0} | parallelism 0 must be in [1, 4096]",
            "unknown policy | kafka: {bootstrap: h:1}\\npolicy: {name: oracle} | policy 'oracle' is unknown",
            "memory needs features | kafka: {bootstrap: h:1}\\nerrorMemory: {enabled: true} | the error memory compares contexts by their features",
            "segment needs features | kafka: {bootstrap: h:1}\\nstate: {scope: segment} | state scope 'segment' needs state.segmentFeatures",
            "bad scope | kafka: {bootstrap: h:1}\\nstate: {scope: planet} | state scope 'planet' is unknown",
            "bad boolean | kafka: {bootstrap: h:1}\\nfeedback: {learnLate: maybe} | 'maybe' is not a boolean",
            "gate margin | kafka: {bootstrap: h:1}\\ngate: {margin: 3} | gate margin=3.0 must be in [0, 1]",
            "not a mapping | - just a list | must be a YAML mapping",
            "broken yaml | kafka: [unclosed | is not valid YAML"})
    void invalidFilesAreRefusedWithTheKeyTheValueAndWhatIsAllowed(String name, String yaml, String expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LoopYaml.parse(yaml.replace("\\n", "\n"), "loop.yaml"));
        assertTrue(e.getMessage().contains(expected), name + ": " + e.getMessage());
        assertTrue(e.getMessage().startsWith("loop.yaml"), "names the file: " + e.getMessage());
    }
}
