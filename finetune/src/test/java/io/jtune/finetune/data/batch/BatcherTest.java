package io.jtune.finetune.data.batch;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.jtune.finetune.data.SourceRef;
import io.jtune.finetune.data.format.LabelMasker;
import io.jtune.finetune.data.format.TokenizedExample;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BatcherTest {
    static final int PAD = 0;

    /** An example of {@code n} tokens (ids 1..n), the last half trained. */
    static TokenizedExample example(int n, int line) {
        int[] ids = new int[n];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            ids[i] = i + 1;
            labels[i] = i >= n / 2 ? ids[i] : LabelMasker.IGNORE;
        }
        return new TokenizedExample(ids, labels, new SourceRef("b", line));
    }

    static List<TokenizedExample> varied(int count, long seed) {
        Random r = new Random(seed);
        List<TokenizedExample> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            out.add(example(2 + r.nextInt(200), i + 1));
        }
        return out;
    }

    @Test
    void paddingGoesToTheLongestWithPadIdIgnoredLabelsAndZeroMask() {
        Batch b = new Batcher(3, PAD).inOrder(List.of(example(4, 1), example(7, 2), example(2, 3))).get(0);
        assertEquals(3, b.size());
        assertEquals(7, b.length());
        assertArrayEquals(new int[] {1, 2, 3, 4, PAD, PAD, PAD}, b.inputIds()[0]);
        assertArrayEquals(new int[] {1, 1, 1, 1, 0, 0, 0}, b.attentionMask()[0]);
        assertArrayEquals(new int[] {-100, -100, 3, 4, -100, -100, -100}, b.labels()[0]);
        assertArrayEquals(new int[] {0, 1, 2, 3, 0, 0, 0}, b.positionIds()[0]);
        assertEquals(3 + 5, b.paddingTokens());
    }

    @Test
    void lastBatchHoldsTheRemainder() {
        List<Batch> bs = new Batcher(4, PAD).inOrder(varied(10, 1));
        assertEquals(3, bs.size());
        assertEquals(2, bs.get(2).size());
    }

    @Test
    void packingRestartsPositionIdsAndRecordsBoundaries() {
        List<PackedSequence> seqs = new Packer(10).pack(List.of(example(6, 1), example(4, 2), example(3, 3), example(5, 4)));
        int tokens = 0;
        int examples = 0;
        for (PackedSequence s : seqs) {
            assertTrue(s.length() <= 10);
            tokens += s.length();
            examples += s.exampleCount();
            for (int k = 0; k < s.exampleCount(); k++) {
                for (int i = s.boundaries()[k]; i < s.boundaries()[k + 1]; i++) {
                    assertEquals(i - s.boundaries()[k], s.positionIds()[i]);
                }
            }
        }
        assertEquals(18, tokens);
        assertEquals(4, examples);
        assertEquals(2, seqs.size(), "6+4 and 5+3 fit in two sequences of 10");
        PackedSequence first = seqs.get(0);
        assertArrayEquals(new int[] {0, 6, 10}, first.boundaries());
        assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 0, 1, 2, 3}, first.positionIds());
        assertEquals(List.of(new SourceRef("b", 1), new SourceRef("b", 2)), first.sources());
    }

    @Test
    void packedBatchHasBlockDiagonalMaskFromBoundaries() {
        List<PackedSequence> seqs = new Packer(10).pack(List.of(example(6, 1), example(4, 2), example(3, 3)));
        Batch b = new Batcher(2, PAD).packed(seqs).get(0);
        assertEquals(2, b.size());
        assertEquals(10, b.length());
        boolean[][][] m = b.blockDiagonalMask();
        assertTrue(m[0][7][6]);
        assertTrue(m[0][2][5]);
        assertFalse(m[0][7][5], "token of example 2 must not see example 1");
        assertTrue(m[1][2][0]);
        assertFalse(m[1][2][3], "padding is masked");
        assertFalse(m[1][5][5]);
    }

    @Test
    void toNDArraysGivesInt64ArraysAndABooleanMaskInTheManager() {
        Batch b = new Batcher(2, PAD).packed(new Packer(10).pack(List.of(example(6, 1), example(4, 2), example(3, 3))))
                .get(0);
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            BatchArrays a = b.toNDArrays(manager);
            assertEquals(new Shape(2, 10), a.inputIds().getShape());
            assertEquals(DataType.INT64, a.inputIds().getDataType());
            assertEquals(DataType.INT64, a.labels().getDataType());
            assertEquals(DataType.INT64, a.positionIds().getDataType());
            assertEquals(DataType.INT64, a.attentionMask().getDataType());
            assertEquals(new Shape(2, 10, 10), a.blockMask().getShape());
            assertEquals(DataType.BOOLEAN, a.blockMask().getDataType());
            assertArrayEquals(new long[] {0, 1, 2, 3, 4, 5, 0, 1, 2, 3}, a.positionIds().get(0).toLongArray());
            assertEquals(-100L, a.labels().get(1).toLongArray()[9]);
            assertEquals(manager, a.inputIds().getManager());
        }
    }

    @Test
    void bucketingReducesPaddingAndIsDeterministicWithASeed() {
        List<TokenizedExample> data = varied(400, 7);
        Batcher batcher = new Batcher(8, PAD);
        int plain = batcher.inOrder(data).stream().mapToInt(Batch::paddingTokens).sum();
        List<Batch> a = batcher.bucketed(data, 10, 42);
        List<Batch> b = batcher.bucketed(data, 10, 42);
        List<Batch> c = batcher.bucketed(data, 10, 43);
        int bucketed = a.stream().mapToInt(Batch::paddingTokens).sum();
        assertTrue(bucketed * 3 < plain, "bucketed padding " + bucketed + " vs " + plain);
        assertEquals(a.size(), b.size());
        for (int i = 0; i < a.size(); i++) {
            assertArrayEquals(a.get(i).inputIds(), b.get(i).inputIds());
            assertEquals(a.get(i).sources(), b.get(i).sources());
        }
        assertFalse(a.get(0).sources().equals(c.get(0).sources()) && a.get(1).sources().equals(c.get(1).sources()),
                "another seed gives another order");
        assertEquals(400, a.stream().mapToInt(Batch::size).sum());
    }
}
