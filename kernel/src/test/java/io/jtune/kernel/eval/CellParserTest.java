package io.jtune.kernel.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.util.List;
import org.junit.jupiter.api.Test;

class CellParserTest {
    @Test
    void javaAndLineMagicsAlternateWithTheirLineNumbers() {
        List<CellParser.Segment> s = CellParser.parse("int a = 1;\n%time a + 1\nint b = 2;\nint c = 3;");
        assertEquals(3, s.size());
        assertEquals(new CellParser.JavaCode("int a = 1;\n", 1), s.get(0));
        assertEquals(new CellParser.LineMagicCall("time", "a + 1", 2), s.get(1));
        assertEquals(new CellParser.JavaCode("int b = 2;\nint c = 3;", 3), s.get(2));
    }

    @Test
    void aLeadingDoublePercentMakesTheWholeCellACellMagic() {
        List<CellParser.Segment> s = CellParser.parse("\n%%time  label\nint a = 1;\n%notAMagicHere");
        assertEquals(1, s.size());
        CellParser.CellMagicCall c = assertInstanceOf(CellParser.CellMagicCall.class, s.get(0));
        assertEquals("time", c.name());
        assertEquals("label", c.args());
        assertEquals("int a = 1;\n%notAMagicHere", c.body());
    }

    @Test
    void moduloAtTheStartOfAContinuationLineIsNotAMagic() {
        List<CellParser.Segment> s = CellParser.parse("int r = 7\n  % 3;");
        assertEquals(1, s.size());
        assertInstanceOf(CellParser.JavaCode.class, s.get(0));
    }
}
