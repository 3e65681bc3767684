package dev.loopline.core.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringReader;
import java.util.List;
import org.junit.jupiter.api.Test;

class DemonstrationsTest {
    static final String CSV = """
            speed,error,expert_action_index,expert_action_value
            0.5,-0.1,2,6.0
            0.25,0.2,0,-6.0
            -0.5,0.0,2,6.0
            1.0,0.3,0,-6.0
            """;

    static Demonstrations parse(String text) throws IOException {
        return Demonstrations.parse(new StringReader(text), "test.csv");
    }

    @Test
    void readsFeaturesActionsAndValues() throws IOException {
        Demonstrations d = parse(CSV);
        assertEquals(List.of("speed", "error"), d.featureNames());
        assertEquals(4, d.rows());
        assertArrayEquals(new int[] {2, 0, 2, 0}, d.actions());
        assertEquals(3, d.actionCount(), "largest index + 1");
        assertEquals(-6.0, d.actionValues()[0], 0.0);
        assertTrue(Double.isNaN(d.actionValues()[1]));
        assertArrayEquals(new double[] {0.25, 0.2}, d.states()[1], 0.0);
        assertEquals(5, d.withActionCount(5).actionCount());
        assertThrows(IllegalArgumentException.class, () -> d.withActionCount(2));
    }

    @Test
    void splitsOffTheTail() throws IOException {
        Demonstrations.Split s = parse(CSV).split(0.25);
        assertEquals(3, s.train().rows());
        assertEquals(1, s.heldOut().rows());
        assertArrayEquals(new double[] {1.0, 0.3}, s.heldOut().states()[0], 0.0);
        assertThrows(IllegalArgumentException.class, () -> parse(CSV).split(0));
        assertThrows(IllegalArgumentException.class, () -> parse(CSV).split(0.01), "nothing would be held out");
    }

    @Test
    void refusesMalformedFiles() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> parse("a,b\n1,2\n")).getMessage().contains("expert_action_index"));
        assertThrows(IllegalArgumentException.class, () -> parse(""));
        assertThrows(IllegalArgumentException.class, () -> parse("a,expert_action_index,expert_action_value\n"));
        String badCell = assertThrows(IllegalArgumentException.class,
                () -> parse("a,expert_action_index,expert_action_value\nx,1,2\n")).getMessage();
        assertTrue(badCell.contains("line 2") && badCell.contains("column a"), badCell);
        assertThrows(IllegalArgumentException.class, () -> parse("a,expert_action_index,expert_action_value\n1,1.5,2\n"));
        assertThrows(IllegalArgumentException.class, () -> parse("a,expert_action_index,expert_action_value\n1,1\n"));
        assertThrows(IllegalArgumentException.class, () -> parse("a,expert_action_index,expert_action_value\n1,1,2\n1,1,3\n"),
                "one action, two values");
    }
}
