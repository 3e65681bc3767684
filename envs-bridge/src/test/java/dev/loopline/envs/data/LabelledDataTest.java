package dev.loopline.envs.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LabelledDataTest {
    @Test
    void csvFollowsRfc4180() {
        CsvTable t = CsvTable.parse("a,b,c\r\n1, \"x, \"\"quoted\"\"\" ,3\n\n\"multi\nline\",,  z  \n");
        assertEquals(List.of("a", "b", "c"), t.header());
        assertEquals(2, t.rowCount());
        assertEquals("x, \"quoted\"", t.get(0, 1));
        assertEquals("multi\nline", t.get(1, 0));
        assertEquals("", t.get(1, 1));
        assertEquals("z", t.get(1, 2));
        assertTrue(t.isNumeric(1) == false && t.isNumeric(2) == false);
        assertEquals(-1, t.columnIndex("nope"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> t.requireColumn("nope"));
        assertTrue(e.getMessage().contains("[a, b, c]"), e.getMessage());
    }

    @Test
    void aRowOfTheWrongWidthNamesItsLine() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CsvTable.parse("a,b\n1,2\n3\n"));
        assertTrue(e.getMessage().contains("line 3"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> CsvTable.parse("a,b\n\"open,2\n"));
    }

    @Test
    void numbersAreBlankAsNaN() {
        CsvTable t = CsvTable.parse("x,y\n1.5,a\n,b\n-2e3,c\n");
        assertTrue(t.isNumeric(0));
        assertFalse(t.isNumeric(1));
        double[] x = t.numbers(0);
        assertEquals(1.5, x[0]);
        assertTrue(Double.isNaN(x[1]));
        assertEquals(-2000, x[2]);
    }

    @Test
    void numericColumnsStayAndTextColumnsBecomeIndicators() {
        CsvTable t = CsvTable.parse("size,colour,id,label\n1.5,red,7,yes\nNA,blue,8,no\n3,red,9,yes\n2,?,10,\n");
        LabelledData d = LabelledData.of(t, null, List.of("id"));
        assertEquals(3, d.size());
        assertEquals(1, d.droppedNoLabel());
        assertEquals(List.of("no", "yes"), d.classes());
        assertEquals(List.of("yes", "no", "yes"), d.labels());
        assertEquals(Map.of("size", 1.5, "colour=red", 1.0), d.rows().get(0));
        assertEquals(Map.of("colour=blue", 1.0), d.rows().get(1), "a missing number is left out");
        assertEquals(List.of("size", "colour=red", "colour=blue"), d.featureNames());
    }

    @Test
    void theLabelCanBeNamedAndNumericClassesSortAsNumbers() {
        CsvTable t = CsvTable.parse("y,x\n10,1\n9,2\n1,3\n");
        LabelledData d = LabelledData.of(t, "y", List.of());
        assertEquals(List.of("1", "9", "10"), d.classes());
        assertArrayEquals(new Object[] {"10", "9", "1"}, d.labels().toArray());
        assertThrows(IllegalArgumentException.class, () -> LabelledData.of(t, "y", List.of("y")));
        assertThrows(IllegalArgumentException.class, () -> LabelledData.of(t, "y", List.of("x")));
        assertThrows(IllegalArgumentException.class, () -> LabelledData.of(t, "missing", List.of()));
    }
}
