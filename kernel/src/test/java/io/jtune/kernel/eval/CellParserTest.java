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

    @Test
    void aVarDeclarationFromAMagicBecomesTheMagicWithAsName() {
        List<CellParser.Segment> s = CellParser.parse("var ds = %data load x.jsonl;");
        assertEquals(List.of(new CellParser.LineMagicCall("data", "load x.jsonl as ds", 1)), s);
    }

    @Test
    void aMagicAfterAnAssignmentDesugarsInPlaceWithItsArgumentsAsTyped() {
        List<CellParser.Segment> s = CellParser.parse("int a = 1;\nList<String> jars = %jars \"lib dir\"/*.jar\nint b = 2;");
        assertEquals(List.of(new CellParser.JavaCode("int a = 1;\nList<String> jars = "
                + CellParser.LINE_MAGIC_FUNCTION + "(\"jars\", \"\\\"lib dir\\\"/*.jar\");\nint b = 2;", 1)), s);
    }

    @Test
    void aMagicLineInsideABlockDesugarsAndKeepsItsIndentation() {
        List<CellParser.Segment> s = CellParser.parse("if (x) {\n    %maven a:b:1;\n}");
        assertEquals(List.of(new CellParser.JavaCode("if (x) {\n    " + CellParser.LINE_MAGIC_FUNCTION
                + "(\"maven\", \"a:b:1\");\n}", 1)), s);
    }

    @Test
    void percentSignsInStringsCommentsTextBlocksAndOperatorsAreNotMagics() {
        for (String java : List.of(
                "String s = \"= %notMagic\";",
                "String s = \"\"\"\n%notMagic\n  \"\"\";",
                "/*\n%notMagic\n*/ int a = 1;",
                "int r = a % b;",
                "boolean q = x == %y;",
                "x %= 3;",
                "char c = '=';  int m = 4 % 2;")) {
            List<CellParser.Segment> s = CellParser.parse(java);
            assertEquals(List.of(new CellParser.JavaCode(java, 1)), s, java);
        }
    }

    @Test
    void aTopLevelMagicAfterABlockClosesIsStillAMagicOfItsOwn() {
        List<CellParser.Segment> s = CellParser.parse("void f() {\n  int a = 1;\n}\n%time f()");
        assertEquals(2, s.size());
        assertEquals(new CellParser.LineMagicCall("time", "f()", 4), s.get(1));
    }

    @Test
    void javaStringLiteralsEscapeWhatJavaNeeds() {
        assertEquals("\"a\\\"b\\\\c\\nd\\te\\u0001\"", CellParser.javaString("a\"b\\c\nd\te\u0001"));
        // a backslash before "u" in the text stays a backslash, not the start of a unicode escape
        assertEquals("\"\\\\u0041\"", CellParser.javaString("\\u0041"));
    }
}
