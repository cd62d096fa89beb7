package io.jtune.kernel.magic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class MagicArgsTest {

    @Test
    void words_are_separated_by_any_whitespace() throws MagicException {
        MagicArgs args = MagicArgs.parse("  a\tb   c \n d ");
        assertEquals(List.of("a", "b", "c", "d"), args.positional());
        assertEquals("a\tb   c \n d", args.raw());
    }

    @Test
    void null_and_blank_text_give_no_arguments() throws MagicException {
        assertTrue(MagicArgs.parse(null).isEmpty());
        assertTrue(MagicArgs.parse("   ").positional().isEmpty());
        assertEquals("", MagicArgs.parse(null).raw());
    }

    @Test
    void single_quotes_keep_text_literally() throws MagicException {
        MagicArgs args = MagicArgs.parse("'a b' 'c\\d' 'say \"hi\"'");
        assertEquals(List.of("a b", "c\\d", "say \"hi\""), args.positional());
    }

    @Test
    void double_quotes_honour_backslash_escapes() throws MagicException {
        MagicArgs args = MagicArgs.parse("\"a \\\"b\\\" c\" \"back\\\\slash\" \"x\\ny\" \"C:\\dir\"");
        assertEquals(List.of("a \"b\" c", "back\\slash", "x\ny", "C:\\dir"), args.positional());
    }

    @Test
    void quoted_and_unquoted_parts_join_into_one_word() throws MagicException {
        assertEquals(List.of("abc def", ""), MagicArgs.parse("ab\"c d\"'ef' ''").positional());
    }

    @Test
    void backslashes_outside_quotes_are_ordinary_characters() throws MagicException {
        assertEquals(List.of("C:\\lib\\a.jar"), MagicArgs.parse("C:\\lib\\a.jar").positional());
    }

    @Test
    void key_value_pairs_are_options_in_the_order_given() throws MagicException {
        MagicArgs args = MagicArgs.parse("model=gpt2 epochs=3 lr=0.001 data.path=x");
        assertEquals(List.of("model", "epochs", "lr", "data.path"),
                List.copyOf(args.options().keySet()));
        assertEquals(Optional.of("gpt2"), args.option("model"));
        assertEquals(Optional.empty(), args.option("missing"));
        assertTrue(args.positional().isEmpty());
    }

    @Test
    void option_values_may_be_quoted_and_contain_equals_signs() throws MagicException {
        MagicArgs args = MagicArgs.parse("prompt=\"a b\" sep='=' expr=\"x=1\" empty=");
        assertEquals(Map.of("prompt", "a b", "sep", "=", "expr", "x=1", "empty", ""),
                args.options());
    }

    @Test
    void quoted_words_stay_positional_even_with_equals_or_dashes() throws MagicException {
        MagicArgs args = MagicArgs.parse("\"a=b\" '--x' lib/a=b.jar http://h/x?q=1");
        assertEquals(List.of("a=b", "--x", "lib/a=b.jar", "http://h/x?q=1"), args.positional());
        assertTrue(args.options().isEmpty());
        assertTrue(args.flags().isEmpty());
    }

    @Test
    void double_and_single_dash_words_are_flags() throws MagicException {
        MagicArgs args = MagicArgs.parse("--verbose -f --dry-run file");
        assertEquals(Set.of("verbose", "f", "dry-run"), args.flags());
        assertTrue(args.flag("verbose"));
        assertTrue(args.flag("--verbose"));
        assertTrue(args.flag("f"));
        assertFalse(args.flag("quiet"));
        assertEquals(List.of("file"), args.positional());
    }

    @Test
    void double_dash_key_value_is_an_option_not_a_flag() throws MagicException {
        MagicArgs args = MagicArgs.parse("--epochs=5 --name=\"my run\"");
        assertEquals(Map.of("epochs", "5", "name", "my run"), args.options());
        assertTrue(args.flags().isEmpty());
    }

    @Test
    void negative_numbers_and_a_lone_dash_are_positional() throws MagicException {
        assertEquals(List.of("-5", "-", "-0.5"), MagicArgs.parse("-5 - -0.5").positional());
    }

    @Test
    void a_lone_double_dash_makes_every_later_word_positional() throws MagicException {
        MagicArgs args = MagicArgs.parse("--x -- --y a=b");
        assertEquals(Set.of("x"), args.flags());
        assertEquals(List.of("--y", "a=b"), args.positional());
    }

    @Test
    void a_trailing_as_name_is_removed_and_kept_as_the_bind_name() throws MagicException {
        MagicArgs args = MagicArgs.parse("lib/*.jar k=v as jars");
        assertEquals(Optional.of("jars"), args.bindName());
        assertEquals(List.of("lib/*.jar"), args.positional());
        assertEquals("lib/*.jar k=v", args.raw());
    }

    @Test
    void as_alone_binds_with_no_other_arguments() throws MagicException {
        MagicArgs args = MagicArgs.parse("as x");
        assertEquals(Optional.of("x"), args.bindName());
        assertTrue(args.isEmpty());
    }

    @Test
    void as_is_only_a_binding_at_the_end_unquoted_and_with_an_identifier() throws MagicException {
        assertEquals(Optional.empty(), MagicArgs.parse("as x y").bindName());
        assertEquals(List.of("as", "x", "y"), MagicArgs.parse("as x y").positional());
        assertEquals(Optional.empty(), MagicArgs.parse("a 'as' x").bindName());
        assertEquals(Optional.empty(), MagicArgs.parse("a as 'x'").bindName());
        assertEquals(Optional.empty(), MagicArgs.parse("a as 9lives").bindName());
        assertEquals(Optional.empty(), MagicArgs.parse("a as class").bindName());
        assertEquals(Optional.empty(), MagicArgs.parse("as").bindName());
        assertEquals(List.of("as"), MagicArgs.parse("as").positional());
    }

    @Test
    void an_unterminated_quote_names_the_column_where_it_opens() {
        MagicException e = assertThrows(MagicException.class, () -> MagicArgs.parse("ab \"cd ef"));
        assertTrue(e.getMessage().contains("column 4"), e.getMessage());
        assertTrue(e.getMessage().contains("\""), e.getMessage());
        MagicException single = assertThrows(MagicException.class, () -> MagicArgs.parse("x='a b"));
        assertTrue(single.getMessage().contains("column 3"), single.getMessage());
    }

    @Test
    void an_escaped_quote_does_not_close_a_double_quoted_word() {
        MagicException e = assertThrows(MagicException.class, () -> MagicArgs.parse("\"abc\\\""));
        assertTrue(e.getMessage().contains("column 1"), e.getMessage());
    }

    @Test
    void lenient_parsing_keeps_raw_text_and_binding_when_quotes_do_not_balance() {
        MagicArgs args = MagicArgs.lenient("char c = '\\''; as c");
        assertEquals("char c = '\\'';", args.raw());
        assertEquals(Optional.of("c"), args.bindName());
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, args::positional);
        assertTrue(e.getMessage().contains("column"), e.getMessage());
    }

    @Test
    void lenient_parsing_of_good_text_equals_strict_parsing() throws MagicException {
        MagicArgs strict = MagicArgs.parse("a k=v --f as n");
        MagicArgs lenient = MagicArgs.lenient("a k=v --f as n");
        assertEquals(strict.positional(), lenient.positional());
        assertEquals(strict.options(), lenient.options());
        assertEquals(strict.flags(), lenient.flags());
        assertEquals(strict.bindName(), lenient.bindName());
    }

    @Test
    void int_and_double_options_parse_or_fall_back_to_the_default() throws MagicException {
        MagicArgs args = MagicArgs.parse("epochs=3 lr=2e-5 steps=1_000 ratio=.5");
        assertEquals(3, args.intOption("epochs", 1));
        assertEquals(1000, args.intOption("steps", 1));
        assertEquals(7, args.intOption("missing", 7));
        assertEquals(2e-5, args.doubleOption("lr", 0));
        assertEquals(0.5, args.doubleOption("ratio", 0));
        assertEquals(3.0, args.doubleOption("epochs", 0));
        assertEquals(1.5, args.doubleOption("missing", 1.5));
    }

    @Test
    void a_value_that_is_not_a_number_gives_a_clear_error() throws MagicException {
        MagicArgs args = MagicArgs.parse("epochs=abc lr=fast batch=2.5");
        MagicException e = assertThrows(MagicException.class, () -> args.intOption("epochs", 1));
        assertEquals("epochs=abc: 'abc' is not a number", e.getMessage());
        MagicException d = assertThrows(MagicException.class, () -> args.doubleOption("lr", 1));
        assertEquals("lr=fast: 'fast' is not a number", d.getMessage());
        MagicException w = assertThrows(MagicException.class, () -> args.intOption("batch", 1));
        assertEquals("batch=2.5: '2.5' is not a whole number", w.getMessage());
    }

    @Test
    void the_collections_are_read_only() throws MagicException {
        MagicArgs args = MagicArgs.parse("a k=v --f");
        assertThrows(UnsupportedOperationException.class, () -> args.positional().add("x"));
        assertThrows(UnsupportedOperationException.class, () -> args.options().put("x", "y"));
        assertThrows(UnsupportedOperationException.class, () -> args.flags().add("x"));
    }

    @Test
    void joinQuotesWordsSoThatParsingGivesThemBack() throws MagicException {
        List<String> words = List.of("plain", "two words", "it's", "say \"hi\"", "", "back\\slash", "x=1");
        MagicArgs back = MagicArgs.parse(MagicArgs.join(words));
        assertEquals(List.of("plain", "two words", "it's", "say \"hi\"", "", "back\\slash"), back.positional());
        assertEquals("1", back.option("x").orElseThrow(), "key=value stays an option, its value quoted if need be");
        assertEquals("a b", MagicArgs.parse(MagicArgs.join(List.of("prompt=a b"))).option("prompt").orElseThrow());
    }
}
