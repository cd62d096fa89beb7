package io.jtune.finetune.data.batch;

import io.jtune.finetune.data.format.TokenizedExample;
import io.jtune.finetune.tokenize.Tokenizer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/**
 * Cuts examples or packed sequences into {@link Batch}es of {@code batchSize} rows, each padded
 * to its longest row.
 *
 * <p>{@link #bucketed} reduces padding: it shuffles the examples with the seed, sorts each window
 * of {@code windowBatches} batches by length, cuts the window into batches, and shuffles the order
 * of all batches with the same seed. The same seed gives the same batches.
 */
public final class Batcher {
    private final int batchSize;
    private final int padId;

    /** @param padId the id written on padding positions */
    public Batcher(int batchSize, int padId) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be positive, was " + batchSize);
        }
        this.batchSize = batchSize;
        this.padId = padId;
    }

    /** The id written on padding positions. */
    public int padId() {
        return padId;
    }

    /** A batcher padding with the tokenizer's pad id, else its eos id, else 0. */
    public static Batcher forTokenizer(Tokenizer tokenizer, int batchSize) {
        int pad = tokenizer.padId().isPresent() ? tokenizer.padId().getAsInt()
                : tokenizer.eosId().isPresent() ? tokenizer.eosId().getAsInt() : 0;
        return new Batcher(batchSize, pad);
    }

    /** The examples in the given order, one per row. */
    public List<Batch> inOrder(List<TokenizedExample> examples) {
        return cut(rows(examples));
    }

    /** Packed sequences in the given order, one per row. */
    public List<Batch> packed(List<PackedSequence> sequences) {
        return cut(sequences);
    }

    /** Length-bucketed batches; see the class comment. */
    public List<Batch> bucketed(List<TokenizedExample> examples, int windowBatches, long seed) {
        if (windowBatches < 1) {
            throw new IllegalArgumentException("windowBatches must be positive, was " + windowBatches);
        }
        Random random = new Random(seed);
        List<TokenizedExample> shuffled = new ArrayList<>(examples);
        Collections.shuffle(shuffled, random);
        int window = windowBatches * batchSize;
        List<List<PackedSequence>> groups = new ArrayList<>();
        for (int from = 0; from < shuffled.size(); from += window) {
            List<TokenizedExample> w = new ArrayList<>(shuffled.subList(from, Math.min(shuffled.size(), from + window)));
            w.sort(Comparator.comparingInt(TokenizedExample::length));
            List<PackedSequence> rows = rows(w);
            for (int i = 0; i < rows.size(); i += batchSize) {
                groups.add(rows.subList(i, Math.min(rows.size(), i + batchSize)));
            }
        }
        Collections.shuffle(groups, random);
        List<Batch> out = new ArrayList<>(groups.size());
        for (List<PackedSequence> g : groups) {
            out.add(Batch.of(g, padId));
        }
        return out;
    }

    private List<Batch> cut(List<PackedSequence> rows) {
        List<Batch> out = new ArrayList<>();
        for (int i = 0; i < rows.size(); i += batchSize) {
            out.add(Batch.of(rows.subList(i, Math.min(rows.size(), i + batchSize)), padId));
        }
        return out;
    }

    private static List<PackedSequence> rows(List<TokenizedExample> examples) {
        List<PackedSequence> rows = new ArrayList<>(examples.size());
        for (TokenizedExample e : examples) {
            rows.add(PackedSequence.of(e));
        }
        return rows;
    }
}
