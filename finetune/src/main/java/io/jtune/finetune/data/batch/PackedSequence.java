package io.jtune.finetune.data.batch;

import io.jtune.finetune.data.SourceRef;
import io.jtune.finetune.data.format.TokenizedExample;
import java.util.Arrays;
import java.util.List;

/**
 * One training sequence holding one or more examples end to end: ids, labels, position ids that
 * restart at 0 for each example, and {@code boundaries}: the start of each example and, last, the
 * sequence length (so example {@code k} spans {@code [boundaries[k], boundaries[k+1])}).
 *
 * <p>Restarting position ids is not enough to keep packed examples from attending to each other:
 * that needs the block-diagonal mask {@link Batch#blockDiagonalMask()} builds from the boundaries.
 */
public record PackedSequence(int[] inputIds, int[] labels, int[] positionIds, int[] boundaries, List<SourceRef> sources) {
    public PackedSequence {
        sources = List.copyOf(sources);
        if (labels.length != inputIds.length || positionIds.length != inputIds.length) {
            throw new IllegalArgumentException("ids, labels and position ids differ in length");
        }
        if (boundaries.length != sources.size() + 1 || boundaries[0] != 0
                || boundaries[boundaries.length - 1] != inputIds.length) {
            throw new IllegalArgumentException("boundaries must start at 0, end at the length, one per example");
        }
    }

    /** One example alone. */
    public static PackedSequence of(TokenizedExample e) {
        return pack(List.of(e));
    }

    /** Examples end to end, in the given order. */
    public static PackedSequence pack(List<TokenizedExample> examples) {
        int total = 0;
        for (TokenizedExample e : examples) {
            total += e.length();
        }
        int[] ids = new int[total];
        int[] labels = new int[total];
        int[] positions = new int[total];
        int[] boundaries = new int[examples.size() + 1];
        SourceRef[] sources = new SourceRef[examples.size()];
        int at = 0;
        for (int k = 0; k < examples.size(); k++) {
            TokenizedExample e = examples.get(k);
            boundaries[k] = at;
            sources[k] = e.source();
            System.arraycopy(e.inputIds(), 0, ids, at, e.length());
            System.arraycopy(e.labels(), 0, labels, at, e.length());
            for (int i = 0; i < e.length(); i++) {
                positions[at + i] = i;
            }
            at += e.length();
        }
        boundaries[examples.size()] = at;
        return new PackedSequence(ids, labels, positions, boundaries, Arrays.asList(sources));
    }

    /** The number of tokens. */
    public int length() {
        return inputIds.length;
    }

    /** The number of examples packed. */
    public int exampleCount() {
        return sources.size();
    }
}
