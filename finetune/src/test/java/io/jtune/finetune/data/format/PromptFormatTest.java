package io.jtune.finetune.data.format;

import io.jtune.finetune.data.Example;
import io.jtune.finetune.data.Message;
import io.jtune.finetune.data.SourceRef;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PromptFormatTest {

    @Test
    void alpacaWithInputHasInstructionInputAndResponseAndOnlyTheOutputIsResponse() {
        FormattedExample f = PromptFormat.alpaca().format(FormatTestTokenizer.alpaca("Add.", "2 and 3", "5", 1));
        assertTrue(f.text().startsWith(AlpacaFormat.PREAMBLE_WITH_INPUT));
        assertTrue(f.text().contains("### Instruction:\nAdd.\n\n### Input:\n2 and 3\n\n### Response:\n"));
        assertEquals(1, f.responses().size());
        assertEquals("5", f.text(f.responses().get(0)));
        assertTrue(f.text().endsWith("### Response:\n5"));
    }

    @Test
    void alpacaWithBlankInputLeavesOutTheInputSection() {
        FormattedExample f = PromptFormat.alpaca().format(FormatTestTokenizer.alpaca("Say hi.", " ", "hi", 1));
        assertTrue(f.text().startsWith(AlpacaFormat.PREAMBLE));
        assertFalse(f.text().contains("### Input:"));
    }

    @Test
    void chatTemplateMarksEveryAssistantTurnThroughItsEndTokenAsResponse() {
        Example e = FormatTestTokenizer.chat(3, Message.system("Be brief."), Message.user("Hi"),
                Message.assistant("Hello"), Message.user("Bye"), Message.assistant("Goodbye"));
        FormattedExample f = PromptFormat.chat(FormatTestTokenizer.get()).format(e);
        assertEquals("<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n"
                + "<|im_start|>assistant\nHello<|im_end|>\n<|im_start|>user\nBye<|im_end|>\n"
                + "<|im_start|>assistant\nGoodbye<|im_end|>\n", f.text());
        List<FormatSegment> responses = f.responses();
        assertEquals(2, responses.size());
        assertEquals("Hello<|im_end|>", f.text(responses.get(0)));
        assertEquals("Goodbye<|im_end|>", f.text(responses.get(1)));
        assertFalse(f.segments().get(f.segments().size() - 1).response(), "the newline after the last turn is prompt");
    }

    @Test
    void chatFormatDescribesItselfWithTheTemplateHash() {
        String d = PromptFormat.chat(FormatTestTokenizer.get()).describe();
        assertTrue(d.matches("chat:[0-9a-f]{64}"), d);
    }

    @Test
    void chatTemplateEndingOnAUserTurnHasTheTrailingTurnAsPrompt() {
        Example e = FormatTestTokenizer.chat(4, Message.user("Hi"), Message.assistant("Hello"), Message.user("More?"));
        FormattedExample f = PromptFormat.chat(FormatTestTokenizer.get()).format(e);
        assertEquals(1, f.responses().size());
        assertTrue(f.text(f.segments().get(f.segments().size() - 1)).contains("More?"));
    }

    @Test
    void userTemplateFillsFieldsAndPlacesTheResponse() {
        Example e = new Example(List.of(Message.user("q"), Message.assistant("Paris")),
                Map.of("question", "Capital of France?", "output", "Paris"), new SourceRef("t", 1));
        FormattedExample f = PromptFormat.template("Q: {question}\nA: {response}").format(e);
        assertEquals("Q: Capital of France?\nA: Paris", f.text());
        assertEquals(List.of(new FormatSegment(0, 25, false), new FormatSegment(25, 30, true)), f.segments());
    }

    @Test
    void userTemplateErrorNamesTheMissingFieldAndTheSource() {
        Example e = new Example(List.of(Message.user("q"), Message.assistant("a")), Map.of("output", "a"),
                new SourceRef("data.csv", 7));
        IllegalArgumentException x = assertThrows(IllegalArgumentException.class,
                () -> PromptFormat.template("{context}: {response}").format(e));
        assertTrue(x.getMessage().contains("'context'"), x.getMessage());
        assertTrue(x.getMessage().contains("data.csv:7"), x.getMessage());
    }

    @Test
    void userTemplateWithoutResponsePlaceholderIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> PromptFormat.template("{instruction}"));
    }

    @Test
    void userTemplateDoubledBracesAreLiteral() {
        Example e = new Example(List.of(Message.user("q"), Message.assistant("a")), Map.of("x", "1", "output", "a"),
                new SourceRef("t", 1));
        assertEquals("{x}=1 a", PromptFormat.template("{{x}}={x} {response}").format(e).text());
    }
}
