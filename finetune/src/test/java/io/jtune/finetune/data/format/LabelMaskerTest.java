package io.jtune.finetune.data.format;

import io.jtune.finetune.data.Example;
import io.jtune.finetune.data.Message;
import io.jtune.finetune.data.SourceRef;
import io.jtune.finetune.tokenize.Encoding;
import io.jtune.finetune.tokenize.Tokenizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LabelMaskerTest {
    private final Tokenizer tok = FormatTestTokenizer.get();

    private static long count(int[] a, int v) {
        long n = 0;
        for (int x : a) {
            n += x == v ? 1 : 0;
        }
        return n;
    }

    /** The decoded text of the labelled (trained) tokens. */
    private String trainedText(TokenizedExample t) {
        List<Integer> ids = new ArrayList<>();
        for (int l : t.labels()) {
            if (l != LabelMasker.IGNORE) {
                ids.add(l);
            }
        }
        return tok.decode(ids.stream().mapToInt(Integer::intValue).toArray(), false);
    }

    @Test
    void promptTokensAreMaskedResponseTokensKeptAndEosIncludedExactlyOnce() {
        FormattedExample f = PromptFormat.alpaca().format(FormatTestTokenizer.alpaca("Name a colour.", "", "The sky is blue.", 1));
        TokenizedExample t = new LabelMasker(tok, 512).mask(f).examples().get(0);
        int eos = tok.eosId().getAsInt();
        assertEquals(eos, t.inputIds()[t.length() - 1]);
        assertEquals(eos, t.labels()[t.length() - 1]);
        assertEquals(1, count(t.inputIds(), eos));
        assertEquals(LabelMasker.IGNORE, t.labels()[0]);
        assertEquals("The sky is blue." + tok.tokenText(eos), trainedText(t));
        for (int i = 0; i < t.length(); i++) {
            assertTrue(t.labels()[i] == LabelMasker.IGNORE || t.labels()[i] == t.inputIds()[i]);
        }
        assertEquals(new SourceRef("test.jsonl", 1), t.source());
    }

    @Test
    void trainOnInputsLabelsPromptTokensToo() {
        FormattedExample f = PromptFormat.alpaca().format(FormatTestTokenizer.alpaca("Name a colour.", "", "Blue.", 1));
        TokenizedExample masked = new LabelMasker(tok, 512).mask(f).examples().get(0);
        TokenizedExample all = new LabelMasker(tok, 512, true).mask(f).examples().get(0);
        assertTrue(all.trainedTokens() > masked.trainedTokens());
        for (int i = 1; i < all.length(); i++) {
            assertEquals(all.inputIds()[i], all.labels()[i]);
        }
    }

    @Test
    void multiTurnChatTrainsEveryAssistantTurnAndDoesNotDoubleTheEndOfTurnToken() {
        Example e = FormatTestTokenizer.chat(2, Message.user("Hi"), Message.assistant("Hello there"),
                Message.user("Bye"), Message.assistant("Goodbye"));
        TokenizedExample t = new LabelMasker(tok, 512).mask(PromptFormat.chat(tok).format(e)).examples().get(0);
        String imEnd = "<|im_end|>";
        assertEquals("Hello there" + imEnd + "Goodbye" + imEnd, trainedText(t));
        int imEndId = tok.tokenId(imEnd).getAsInt();
        assertEquals(4, count(t.inputIds(), imEndId), "one per turn, none added");
        assertEquals(0, count(t.inputIds(), tok.eosId().getAsInt()), "im_end ends the turn; no </s> appended");
    }

    @Test
    void tokenMergedAcrossThePromptResponseBoundaryIsAResponseToken() {
        // The prompt ends in a space; byte-level BPE attaches it to the response's first word.
        FormattedExample f = PromptFormat.template("Answer: {response}").format(new Example(
                List.of(Message.user("q"), Message.assistant("sky")), Map.of("output", "sky"), new SourceRef("m", 1)));
        int boundary = "Answer: ".length();
        Encoding enc = tok.encodeWithOffsets(f.text(), false);
        int merged = -1;
        for (int i = 0; i < enc.size(); i++) {
            if (enc.start(i) < boundary && enc.end(i) > boundary) {
                merged = i;
            }
        }
        assertNotEquals(-1, merged, "the tokenizer should merge ' s' across the boundary");
        TokenizedExample t = new LabelMasker(tok, 512).mask(f).examples().get(0);
        int offset = t.length() - 1 - enc.size(); // bos added in front, eos after
        assertEquals(enc.id(merged), t.labels()[merged + offset]);
        for (int i = 0; i < merged + offset; i++) {
            assertEquals(LabelMasker.IGNORE, t.labels()[i]);
        }
        assertTrue(trainedText(t).startsWith(" sky"), trainedText(t));
    }

    @Test
    void newlineEndedPromptStaysPromptWhenTheTokenizerDoesNotMergeIt() {
        FormattedExample f = PromptFormat.alpaca().format(FormatTestTokenizer.alpaca("Say it.", "", "Yes", 1));
        TokenizedExample t = new LabelMasker(tok, 512).mask(f).examples().get(0);
        assertEquals("Yes" + tok.tokenText(tok.eosId().getAsInt()), trainedText(t));
    }

    @Test
    void exampleWhoseResponseIsTruncatedAwayIsReportedWithItsSource() {
        FormattedExample ok = PromptFormat.alpaca().format(FormatTestTokenizer.alpaca("Hi", "", "Hello", 1));
        FormattedExample tooLong = PromptFormat.alpaca().format(
                FormatTestTokenizer.alpaca("word ".repeat(200), "", "Hello", 2));
        LabelingResult r = new LabelMasker(tok, 200).maskAll(List.of(ok, tooLong));
        assertEquals(1, r.examples().size());
        assertEquals(1, r.problems().size());
        assertEquals(new SourceRef("test.jsonl", 2), r.problems().get(0).source());
        assertTrue(r.problems().get(0).message().contains("max_len 200"), r.problems().get(0).message());
    }

    @Test
    void partlyTruncatedResponseIsKeptAtMaxLen() {
        FormattedExample f = PromptFormat.alpaca().format(FormatTestTokenizer.alpaca("Hi", "", "word ".repeat(100), 1));
        TokenizedExample t = new LabelMasker(tok, 150).mask(f).examples().get(0);
        assertEquals(150, t.length());
        assertTrue(t.trainedTokens() > 0);
    }

    @Test
    void maskAllKeepsInputOrder() {
        List<FormattedExample> fs = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            fs.add(PromptFormat.alpaca().format(FormatTestTokenizer.alpaca("Q" + i, "", "A" + i, i)));
        }
        LabelingResult r = new LabelMasker(tok, 512).maskAll(fs);
        for (int i = 0; i < 50; i++) {
            assertEquals(i, r.examples().get(i).source().line());
        }
    }
}
