package io.jtune.finetune.data.format;

import io.jtune.finetune.data.Example;
import io.jtune.finetune.data.SourceRef;
import io.jtune.finetune.tokenize.Encoding;
import io.jtune.finetune.tokenize.Tokenizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalInt;
import java.util.stream.IntStream;

/**
 * Tokenizes {@link FormattedExample}s and sets their labels.
 *
 * <p><b>Prompt/response boundary.</b> The formatted text is tokenized once, with per-token
 * character offsets. A token is a response token when its character span overlaps a response
 * segment (an empty span counts when it lies inside one). So a token that byte-level BPE merged
 * across the boundary (the prompt's trailing space or newline with the response's first word) is
 * a response token: predicting it means predicting the response's first word. Token ids are never
 * searched for a response template.
 *
 * <p><b>Labels.</b> Response tokens are labelled with their id; prompt tokens with {@link #IGNORE},
 * or their id when training on inputs. A bos token the tokenizer adds (and the text does not
 * already start with) is prepended and never trained.
 *
 * <p><b>End of sequence.</b> After each run of response tokens, unless its last token is already
 * one of {@link Tokenizer#eosIds()} (chat templates such as ChatML close the assistant turn with
 * {@code <|im_end|>}, which {@link ChatTemplateFormat} puts in the response), the tokenizer's
 * {@link Tokenizer#eosId()} is inserted as a trained token. So eos appears exactly once per response.
 *
 * <p><b>Truncation.</b> Sequences longer than {@code maxLen} are cut at {@code maxLen}. An example
 * left with no response token (or that never had one) is returned as a {@link LabelProblem} with
 * its {@link SourceRef}, not trained on.
 *
 * <p>Instances are thread-safe; {@link #maskAll} uses all cores.
 */
public final class LabelMasker {
    /** The label of tokens the loss ignores (PyTorch's {@code ignore_index}). */
    public static final int IGNORE = -100;

    private final Tokenizer tokenizer;
    private final int maxLen;
    private final boolean trainOnInputs;
    private final int[] eosIds;
    private final OptionalInt eosId;
    private final OptionalInt bosId;

    /** Masks prompt tokens. */
    public LabelMasker(Tokenizer tokenizer, int maxLen) {
        this(tokenizer, maxLen, false);
    }

    /**
     * @param trainOnInputs label prompt tokens with their ids too (the response must still survive truncation)
     */
    public LabelMasker(Tokenizer tokenizer, int maxLen, boolean trainOnInputs) {
        if (maxLen < 2) {
            throw new IllegalArgumentException("maxLen must be at least 2, was " + maxLen);
        }
        this.tokenizer = tokenizer;
        this.maxLen = maxLen;
        this.trainOnInputs = trainOnInputs;
        this.eosIds = tokenizer.eosIds();
        this.eosId = tokenizer.eosId().isPresent() ? tokenizer.eosId()
                : eosIds.length > 0 ? OptionalInt.of(eosIds[0]) : OptionalInt.empty();
        this.bosId = tokenizer.addsBosToken() ? tokenizer.bosId() : OptionalInt.empty();
    }

    /** The longest sequence kept. */
    public int maxLen() {
        return maxLen;
    }

    /** Tokenizes and labels one example. */
    public LabelingResult mask(FormattedExample example) {
        Object r = maskOne(example);
        return r instanceof TokenizedExample t ? new LabelingResult(List.of(t), List.of())
                : new LabelingResult(List.of(), List.of((LabelProblem) r));
    }

    /** Tokenizes and labels examples in parallel; kept examples and problems keep input order. */
    public LabelingResult maskAll(List<FormattedExample> examples) {
        Object[] out = new Object[examples.size()];
        IntStream.range(0, out.length).parallel().forEach(i -> out[i] = maskOne(examples.get(i)));
        List<TokenizedExample> kept = new ArrayList<>(out.length);
        List<LabelProblem> problems = new ArrayList<>();
        for (Object o : out) {
            if (o instanceof TokenizedExample t) {
                kept.add(t);
            } else {
                problems.add((LabelProblem) o);
            }
        }
        return new LabelingResult(kept, problems);
    }

    /**
     * Formats examples (one split of a {@code Dataset}, say) with {@code format} and tokenizes them
     * with response-only labels; examples whose response would be truncated away come back as
     * problems, each with its source.
     */
    public LabelingResult maskAll(List<Example> examples, PromptFormat format) {
        return maskAll(examples.stream().map(format::format).toList());
    }

    /** A {@link TokenizedExample} or a {@link LabelProblem}. */
    private Object maskOne(FormattedExample example) {
        Encoding enc = tokenizer.encodeWithOffsets(example.text(), false);
        int n = enc.size();
        int[] ids = enc.ids();
        int[] starts = enc.starts();
        int[] ends = enc.ends();
        boolean[] response = responseTokens(example.segments(), starts, ends);
        int[] outIds = new int[n + 1 + n];
        boolean[] outResponse = new boolean[outIds.length];
        int len = 0;
        if (bosId.isPresent() && (n == 0 || ids[0] != bosId.getAsInt())) {
            outIds[len++] = bosId.getAsInt();
        }
        for (int i = 0; i < n; i++) {
            outIds[len] = ids[i];
            outResponse[len++] = response[i];
            boolean runEnds = response[i] && (i + 1 == n || !response[i + 1]);
            if (runEnds && eosId.isPresent() && !isEos(ids[i])) {
                outIds[len] = eosId.getAsInt();
                outResponse[len++] = true;
            }
        }
        int responseTotal = 0;
        for (int i = 0; i < len; i++) {
            if (outResponse[i]) {
                responseTotal++;
            }
        }
        if (responseTotal == 0) {
            return new LabelProblem(example.source(), "the response is empty: no token to train on");
        }
        int kept = Math.min(len, maxLen);
        int[] labels = new int[kept];
        int responseKept = 0;
        for (int i = 0; i < kept; i++) {
            if (outResponse[i]) {
                responseKept++;
                labels[i] = outIds[i];
            } else {
                labels[i] = trainOnInputs && !(i == 0 && bosId.isPresent() && outIds[0] == bosId.getAsInt())
                        ? outIds[i] : IGNORE;
            }
        }
        if (responseKept == 0) {
            return new LabelProblem(example.source(), "all " + responseTotal + " response tokens fall after max_len "
                    + maxLen + " (the example has " + len + " tokens); it is not trained on");
        }
        return new TokenizedExample(Arrays.copyOf(outIds, kept), labels, example.source());
    }

    private boolean isEos(int id) {
        for (int e : eosIds) {
            if (e == id) {
                return true;
            }
        }
        return false;
    }

    /** For each token, whether its span overlaps a response segment (see the class comment). */
    static boolean[] responseTokens(List<FormatSegment> segments, int[] starts, int[] ends) {
        boolean[] out = new boolean[starts.length];
        List<FormatSegment> responses = new ArrayList<>();
        for (FormatSegment s : segments) {
            if (s.response() && s.end() > s.start()) {
                responses.add(s);
            }
        }
        int r = 0;
        for (int i = 0; i < starts.length && r < responses.size(); i++) {
            int s = starts[i];
            int e = ends[i];
            while (r < responses.size() && responses.get(r).end() <= s) {
                r++;
            }
            if (r == responses.size()) {
                break;
            }
            FormatSegment seg = responses.get(r);
            out[i] = e > s ? s < seg.end() && e > seg.start() : s >= seg.start() && s < seg.end();
        }
        return out;
    }
}
