package dev.loopline.jobs.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loopline.core.memory.MemoryEvaluation;
import dev.loopline.envs.data.CsvTable;
import java.util.List;
import org.junit.jupiter.api.Test;

class MemoryStreamsTest {
    @Test
    void aCsvBecomesAStream() {
        MemoryEvaluation.Stream s = MemoryStreams.of(CsvTable.parse("a,kind,y\n1,p,yes\n,q,no\n3,p,yes\n"), null);
        assertTrue(s.binary());
        assertEquals("yes", s.positiveClass());
        assertEquals(List.of("a", "kind=p", "kind=q"), s.featureNames());
        assertTrue(Double.isNaN(s.features()[1][0]));
        assertEquals(0.0, s.features()[1][1]);
        assertEquals(1.0, s.labels()[0]);
        MemoryEvaluation.Stream numeric = MemoryStreams.of(CsvTable.parse("a,y\n1,0.5\n2,1.5\n3,2.5\n"), "y");
        assertFalse(numeric.binary());
        assertEquals(2.5, numeric.labels()[2]);
        assertThrows(IllegalArgumentException.class,
                () -> MemoryStreams.of(CsvTable.parse("a,y\n1,x\n2,y\n3,z\n"), "y"));
    }
}
