package io.jtune.finetune.quant;

import java.math.BigDecimal;
import java.nio.FloatBuffer;
import java.util.Arrays;

/**
 * A float32 tensor quantized to NF4 with double quantization, laid out as bitsandbytes lays it out
 * ({@code quantize_4bit(A, blocksize=64, compress_statistics=True, quant_type="nf4")} on CUDA), so
 * that its arrays are the tensors of a transformers 4-bit checkpoint as they are:
 *
 * <ul>
 *   <li>{@code packed}: the row-major values in blocks of {@value Nf4#BLOCK}, each divided by its
 *       block's absmax (as a multiplication by the float32 reciprocal) and rounded to a 4-bit NF4
 *       code ({@link Nf4#quantize}); two codes per byte, the first of each pair in the high nibble
 *       (bitsandbytes' CUDA kernel: {@code qvals[j] = q(vals[2j]) << 4 | q(vals[2j+1])}; its PyTorch
 *       fallback: {@code quantized[::2] << 4 | quantized[1::2]}). An odd count is padded with a 0.0
 *       value, scaled like the rest (code 7; 0 in an all-zero block). ceil(n / 2) bytes; the checkpoint stores them as uint8
 *       [ceil(n / 2), 1].</li>
 *   <li>{@code absmax}: one uint8 per 4-bit block: the block's absmax minus {@code offset}, 8-bit
 *       quantized with the {@link DynamicMap} in blocks of {@value #NESTED_BLOCK} (bitsandbytes'
 *       {@code quantize_blockwise(absmax - offset, blocksize=256)}). A last partial block (of values
 *       or of scales) has its own absmax over the values it has.</li>
 *   <li>{@code nestedAbsmax}: float32, one per 256 scales: the absmax of (absmax - offset).</li>
 *   <li>{@code offset}: the mean of the float32 absmax values (rounded once to float32; torch's
 *       float32 reduction may round its last bit differently, which changes nothing downstream since
 *       the stored value is what dequantization uses).</li>
 * </ul>
 *
 * Dequantization is float32 throughout: scale = map[absmax[b]] * nestedAbsmax[b / 256] + offset,
 * value = nf4[code] * scale.
 */
public final class Nf4Tensor {
    /** Scales per block of the second quantization (bitsandbytes' {@code blocksize=256}). */
    public static final int NESTED_BLOCK = 256;

    private final long[] shape;
    private final int numel;
    private final byte[] packed;
    private final byte[] absmax;
    private final float[] nestedAbsmax;
    private final float offset;

    /** Wraps already quantized arrays (copies them), checking their sizes against {@code shape}. */
    public Nf4Tensor(long[] shape, byte[] packed, byte[] absmax, float[] nestedAbsmax, float offset) {
        this(shape, packed, absmax, nestedAbsmax, offset, true);
    }

    private Nf4Tensor(long[] shape, byte[] packed, byte[] absmax, float[] nestedAbsmax, float offset, boolean copy) {
        this.shape = shape.clone();
        long n = 1;
        for (long d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in " + Arrays.toString(shape));
            }
            n *= d;
        }
        if (n > Integer.MAX_VALUE - 1) {
            throw new IllegalArgumentException("an NF4 tensor holds at most 2^31 - 2 values, got " + n);
        }
        this.numel = (int) n;
        check("packed bytes", packed.length, (numel + 1) / 2);
        check("quantized absmax values", absmax.length, blocks(numel, Nf4.BLOCK));
        check("nested absmax values", nestedAbsmax.length, blocks(absmax.length, NESTED_BLOCK));
        this.packed = copy ? packed.clone() : packed;
        this.absmax = copy ? absmax.clone() : absmax;
        this.nestedAbsmax = copy ? nestedAbsmax.clone() : nestedAbsmax;
        this.offset = offset;
    }

    private void check(String what, int got, int expected) {
        if (got != expected) {
            throw new IllegalArgumentException("an NF4 tensor of shape " + Arrays.toString(shape) + " needs " + expected
                    + " " + what + ", got " + got);
        }
    }

    static int blocks(int n, int block) {
        return (n + block - 1) / block;
    }

    /** Quantizes row-major float32 {@code values} of {@code shape}. */
    public static Nf4Tensor quantize(float[] values, long... shape) {
        return quantize(FloatBuffer.wrap(values), shape);
    }

    /**
     * Quantizes the row-major float32 values from {@code values}' position to its limit (read with
     * absolute gets, the buffer is not moved; a direct view of native memory avoids a heap copy).
     */
    public static Nf4Tensor quantize(FloatBuffer values, long... shape) {
        long count = 1;
        for (long d : shape) {
            count *= d;
        }
        if (count != values.remaining()) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " holds " + count + " values, got "
                    + values.remaining());
        }
        values = values.slice();
        int n = (int) count;
        int nb = blocks(n, Nf4.BLOCK);
        float[] scales = new float[nb];
        byte[] packed = new byte[(n + 1) / 2];
        for (int b = 0; b < nb; b++) {
            int start = b * Nf4.BLOCK;
            int end = Math.min(n, start + Nf4.BLOCK);
            float max = 0f;
            for (int i = start; i < end; i++) {
                float v = values.get(i);
                if (!Float.isFinite(v)) {
                    throw new IllegalArgumentException("cannot quantize " + v + " (value " + i + " of "
                            + Arrays.toString(shape) + ")");
                }
                max = Math.max(max, Math.abs(v));
            }
            scales[b] = max;
            float inv = 1.0f / max;
            for (int i = start; i < end; i += 2) {
                int hi = Nf4.quantize(values.get(i) * inv);
                int lo = Nf4.quantize((i + 1 < n ? values.get(i + 1) : 0f) * inv); // an odd count pads with 0.0
                packed[i / 2] = (byte) (hi << 4 | lo);
            }
        }
        float offset = mean(scales);
        int nn = blocks(nb, NESTED_BLOCK);
        byte[] qabsmax = new byte[nb];
        float[] nested = new float[nn];
        for (int b = 0; b < nn; b++) {
            int start = b * NESTED_BLOCK;
            int end = Math.min(nb, start + NESTED_BLOCK);
            float max = 0f;
            for (int i = start; i < end; i++) {
                max = Math.max(max, Math.abs(scales[i] - offset));
            }
            nested[b] = max;
            float inv = 1.0f / max;
            for (int i = start; i < end; i++) {
                qabsmax[i] = (byte) DynamicMap.quantize((scales[i] - offset) * inv);
            }
        }
        return new Nf4Tensor(shape, packed, qabsmax, nested, offset, false);
    }

    /** The mean of float32 values: their exact sum, rounded to double, divided, rounded to float32. */
    static float mean(float[] xs) {
        BigDecimal sum = BigDecimal.ZERO;
        for (float x : xs) {
            sum = sum.add(new BigDecimal(x));
        }
        return (float) (sum.doubleValue() / xs.length);
    }

    /** The block scales (absmax per {@value Nf4#BLOCK} values) as double quantization gives them back. */
    public float[] scales() {
        float[] out = new float[absmax.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = DynamicMap.value(absmax[i] & 0xFF) * nestedAbsmax[i / NESTED_BLOCK] + offset;
        }
        return out;
    }

    /** The dequantized row-major values. */
    public float[] dequantize() {
        float[] scales = scales();
        float[] out = new float[numel];
        for (int i = 0; i < numel; i++) {
            int b = packed[i >> 1] & 0xFF;
            int code = (i & 1) == 0 ? b >>> 4 : b & 0x0F;
            out[i] = Nf4.value(code) * scales[i / Nf4.BLOCK];
        }
        return out;
    }

    public long[] shape() {
        return shape.clone();
    }

    public int numel() {
        return numel;
    }

    /** Two 4-bit codes per byte, the first value in the high nibble (a copy). */
    public byte[] packed() {
        return packed.clone();
    }

    /** The 8-bit quantized block scales (a copy). */
    public byte[] absmax() {
        return absmax.clone();
    }

    /** The float32 scales of the 8-bit scales, one per {@value #NESTED_BLOCK} (a copy). */
    public float[] nestedAbsmax() {
        return nestedAbsmax.clone();
    }

    /** The mean subtracted from the block scales before their 8-bit quantization. */
    public float offset() {
        return offset;
    }

    byte[] packedView() {
        return packed;
    }

    byte[] absmaxView() {
        return absmax;
    }

    /** Bytes of the arrays: packed codes, 8-bit scales, float32 nested scales and the offset. */
    public long bytes() {
        return packed.length + absmax.length + 4L * nestedAbsmax.length + 4;
    }

    /** The same codes, scales and offset, bit for bit. */
    @Override
    public boolean equals(Object o) {
        return o instanceof Nf4Tensor t && Arrays.equals(shape, t.shape) && Arrays.equals(packed, t.packed)
                && Arrays.equals(absmax, t.absmax) && Arrays.equals(nestedAbsmax, t.nestedAbsmax)
                && Float.floatToRawIntBits(offset) == Float.floatToRawIntBits(t.offset);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(shape) * 31 + Arrays.hashCode(packed);
    }

    @Override
    public String toString() {
        return "Nf4Tensor" + Arrays.toString(shape) + " " + absmax.length + " blocks, " + bytes() + " B";
    }
}
