package io.jtune.finetune.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.function.Function;

/**
 * Batched autoregressive generation: prompts are left-padded to one length, the prompt is run
 * once (prefill), then one token per step reads the KV cache (or, with the cache off, the whole
 * sequence is recomputed each step, the slow reference path). Every step's temporaries live in a
 * sub-manager closed at the end of the step. The loop checks the thread's interrupt flag between
 * steps, so an interrupted notebook cell stops generating.
 */
public final class Generator {
    private final CausalLm model;
    private final Function<int[], String> decoder;

    /** @param decoder token ids to text (for stop strings and streamed text); may be null */
    public Generator(CausalLm model, Function<int[], String> decoder) {
        this.model = model;
        this.decoder = decoder;
    }

    public GenerationResult generate(int[] prompt, GenerationConfig config, TokenListener listener) {
        return generate(List.of(prompt), config, 0, listener).get(0);
    }

    /**
     * Generates for each prompt; {@code padId} fills the left of shorter prompts (it is masked, so
     * any id works). {@code listener} may be null.
     */
    public List<GenerationResult> generate(List<int[]> prompts, GenerationConfig config, int padId, TokenListener listener) {
        int b = prompts.size();
        int longest = prompts.stream().mapToInt(p -> p.length).max().orElse(0);
        if (prompts.stream().anyMatch(p -> p.length == 0)) {
            throw new IllegalArgumentException("every prompt needs at least one token (a bos token if nothing else)");
        }
        if (b > 1 && (padId < 0 || padId >= model.config().vocabSize())) {
            throw new IllegalArgumentException("pad id " + padId + " is not in the vocabulary: the model has"
                    + " vocab_size " + model.config().vocabSize());
        }
        for (int i = 0; i < b; i++) {
            try {
                TokenLimits.checkPrompt(model.config(), prompts.get(i), config.maxNewTokens());
            } catch (IllegalArgumentException e) {
                throw b == 1 ? e : new IllegalArgumentException("prompt " + i + ": " + e.getMessage(), e);
            }
        }
        Row[] rows = new Row[b];
        for (int i = 0; i < b; i++) {
            rows[i] = new Row(prompts.get(i), config);
        }
        ForwardInput prefill = ForwardInput.leftPadded(prompts.toArray(int[][]::new), padId);
        List<int[]> mask = new ArrayList<>(Arrays.asList(prefill.keyMask()));
        long[][] allIds = prefill.ids();
        try (KvCache cache = config.useCache() ? model.newCache(b, longest + config.maxNewTokens()) : null) {
            ForwardInput step = prefill;
            for (int n = 0; n < config.maxNewTokens(); n++) {
                if (Thread.currentThread().isInterrupted()) {
                    throw new CancellationException("generation interrupted after " + n + " tokens");
                }
                float[][] logits = lastLogits(step, cache);
                long[] chosen = new long[b];
                for (int r = 0; r < b; r++) {
                    chosen[r] = rows[r].done() ? padId : rows[r].accept(logits[r], decoder, listener, r);
                }
                if (Arrays.stream(rows).allMatch(Row::done)) {
                    break;
                }
                for (int r = 0; r < b; r++) {
                    int[] m = Arrays.copyOf(mask.get(r), mask.get(r).length + 1);
                    m[m.length - 1] = 1;
                    mask.set(r, m);
                }
                allIds = appendColumn(allIds, chosen);
                step = config.useCache() ? nextStep(chosen, rows, mask) : fullSequence(allIds, mask);
            }
        }
        List<GenerationResult> out = new ArrayList<>(b);
        for (Row r : rows) {
            out.add(r.result(decoder));
        }
        return out;
    }

    private float[][] lastLogits(ForwardInput in, KvCache cache) {
        try (NDManager scope = model.manager().newSubManager()) {
            NDArray logits = model.lastLogits(scope, in, cache); // [B, V]
            float[] flat = logits.toFloatArray();
            int v = model.config().vocabSize();
            float[][] rows = new float[in.batch()][];
            for (int r = 0; r < rows.length; r++) {
                rows[r] = Arrays.copyOfRange(flat, r * v, (r + 1) * v);
            }
            return rows;
        }
    }

    /** One new token per row at the row's next position, attending to everything so far. */
    private static ForwardInput nextStep(long[] chosen, Row[] rows, List<int[]> mask) {
        long[][] ids = new long[chosen.length][1];
        long[][] pos = new long[chosen.length][1];
        for (int r = 0; r < chosen.length; r++) {
            ids[r][0] = chosen[r];
            pos[r][0] = rows[r].length() - 1;
        }
        return new ForwardInput(ids, pos, mask.toArray(int[][]::new));
    }

    /** The whole sequence again (no cache): positions count real tokens, as in the prefill. */
    private static ForwardInput fullSequence(long[][] ids, List<int[]> mask) {
        int[][] m = mask.toArray(int[][]::new);
        long[][] pos = new long[ids.length][ids[0].length];
        for (int r = 0; r < ids.length; r++) {
            long seen = 0;
            for (int i = 0; i < ids[r].length; i++) {
                pos[r][i] = m[r][i] == 1 ? seen++ : 0;
            }
        }
        return new ForwardInput(ids, pos, m);
    }

    private static long[][] appendColumn(long[][] ids, long[] column) {
        long[][] out = new long[ids.length][];
        for (int r = 0; r < ids.length; r++) {
            out[r] = Arrays.copyOf(ids[r], ids[r].length + 1);
            out[r][ids[r].length] = column[r];
        }
        return out;
    }

    private static final int[] NO_TOKENS = new int[0];

    /** One sequence's progress. */
    private static final class Row {
        private final int[] prompt;
        private final GenerationConfig config;
        private final Sampler sampler;
        private int[] generated = new int[0];
        private String text = "";
        private String stopReason;

        Row(int[] prompt, GenerationConfig config) {
            this.prompt = prompt;
            this.config = config;
            this.sampler = new Sampler(config);
        }

        boolean done() {
            return stopReason != null;
        }

        int length() {
            return prompt.length + generated.length;
        }

        int accept(float[] logits, Function<int[], String> decoder, TokenListener listener, int row) {
            int token = sampler.next(logits, config.repetitionPenalty() == 1.0 ? NO_TOKENS : sequence());
            generated = Arrays.copyOf(generated, generated.length + 1);
            generated[generated.length - 1] = token;
            boolean eos = Arrays.stream(config.eosIds()).anyMatch(e -> e == token);
            // the text is needed now only to stream it or to look for stop strings; else once, at the end
            if (decoder != null && (listener != null || !config.stopStrings().isEmpty())) {
                text = decoder.apply(eos ? Arrays.copyOf(generated, generated.length - 1) : generated);
                for (String stop : config.stopStrings()) {
                    int at = text.indexOf(stop);
                    if (!stop.isEmpty() && at >= 0) {
                        text = text.substring(0, at);
                        stopReason = "stop_string";
                    }
                }
            }
            if (listener != null) {
                listener.onToken(row, token, text);
            }
            if (stopReason == null && eos) {
                stopReason = "eos";
            } else if (stopReason == null && generated.length >= config.maxNewTokens()) {
                stopReason = "length";
            }
            return token;
        }

        private int[] sequence() {
            int[] sequence = Arrays.copyOf(prompt, prompt.length + generated.length);
            System.arraycopy(generated, 0, sequence, prompt.length, generated.length);
            return sequence;
        }

        GenerationResult result(Function<int[], String> decoder) {
            if (decoder != null && !"stop_string".equals(stopReason)) {
                boolean eos = "eos".equals(stopReason);
                text = decoder.apply(eos ? Arrays.copyOf(generated, generated.length - 1) : generated);
            }
            return new GenerationResult(generated, decoder == null ? "" : text, stopReason == null ? "length" : stopReason);
        }
    }
}
