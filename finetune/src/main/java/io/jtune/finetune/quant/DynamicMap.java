package io.jtune.finetune.quant;

import java.util.Arrays;

/**
 * The signed 8-bit dynamic data type that bitsandbytes quantizes NF4's block scales with
 * ({@code create_dynamic_map(signed=True, max_exponent_bits=7, total_bits=8)} in
 * {@code bitsandbytes/functional.py}; Dettmers, 2016, "8-Bit Approximations for Parallelism in Deep
 * Learning"): for each exponent e = 0..6, the 2^e midpoints of {@code linspace(0.1, 1, 2^e + 1)},
 * times 10^(e - 6), with both signs; then 0 and 1; 256 values sorted ascending. So it runs from
 * -0.99297 to 1 with the finest steps near zero.
 *
 * <p>The values are computed as PyTorch computes them in float32 ({@code torch.linspace} fills the
 * first half as {@code start + step * i} and the second as {@code end - step * (n - 1 - i)}, each a
 * fused multiply-add; the means and the scaling are float32 operations), so they equal bitsandbytes' map bit for bit (the
 * golden test checks it against the reference script's map).
 *
 * <p>{@link #quantize} rounds as bitsandbytes' CUDA kernel does ({@code dQuantize<0>} in
 * {@code csrc/kernels.cu}): a seven-step binary search from index 127 to a last pivot p, then a
 * comparison with the float32 midpoint {@code (value[p] + neighbour) * 0.5f} towards the side x lies
 * on, a value exactly on it staying at p. That is the nearest value except for such ties; NaN (an
 * all-equal block of scales: 0 times 1/0) becomes index 0.
 */
public final class DynamicMap {
    private static final float[] MAP = build();
    private static final float[] UNSIGNED = buildUnsigned();

    private DynamicMap() {}

    /** A copy of the 256 values, ascending. */
    public static float[] values() {
        return MAP.clone();
    }

    /**
     * A copy of bitsandbytes' unsigned map ({@code create_dynamic_map(signed=False)}), which its 8-bit
     * optimizers quantize the second moment with: for each exponent e = 0..6 the 2^(e+1) midpoints of
     * {@code linspace(0.1, 1, 2^(e+1) + 1)} times 10^(e - 6), then 0 and 1; 256 values ascending, from
     * 0 to 1, computed in float32 as the signed map is.
     */
    public static float[] unsignedValues() {
        return UNSIGNED.clone();
    }

    /** The value of an 8-bit index (0..255). */
    public static float value(int index) {
        return MAP[index];
    }

    /** The 8-bit index of {@code x} (already divided by its block's absmax). */
    public static int quantize(float x) {
        int pivot = 127;
        int upperPivot = 255;
        int lowerPivot = 0;
        float lower = -1.0f;
        float upper = 1.0f;
        float val = MAP[pivot];
        for (int i = 64; i > 0; i >>= 1) {
            if (x > val) {
                lowerPivot = pivot;
                lower = val;
                pivot += i;
            } else {
                upperPivot = pivot;
                upper = val;
                pivot -= i;
            }
            val = MAP[pivot];
        }
        if (upperPivot == 255) {
            upper = MAP[255];
        }
        if (lowerPivot == 0) {
            lower = MAP[0];
        }
        if (x > val) {
            return x > (upper + val) * 0.5f ? upperPivot : pivot;
        }
        return x < (lower + val) * 0.5f ? lowerPivot : pivot;
    }

    private static float[] build() {
        return build(true);
    }

    private static float[] buildUnsigned() {
        return build(false);
    }

    private static float[] build(boolean signed) {
        // 10^(e - 6) as Python's float, then float32 as torch multiplies a float32 tensor by it
        double[] scales = {1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 1e-1, 1.0};
        float[] out = new float[256];
        int n = 0;
        for (int e = 0; e < 7; e++) {
            float[] boundaries = linspace(0.1f, 1f, (1 << (signed ? e : e + 1)) + 1);
            float scale = (float) scales[e];
            for (int j = 0; j + 1 < boundaries.length; j++) {
                float mean = (boundaries[j] + boundaries[j + 1]) / 2.0f;
                out[n++] = scale * mean;
                if (signed) {
                    out[n++] = -scale * mean;
                }
            }
        }
        out[n++] = 0f;
        out[n++] = 1f;
        if (n != 256) {
            throw new AssertionError("dynamic map has " + n + " values");
        }
        Arrays.sort(out);
        return out;
    }

    /**
     * torch.linspace(start, end, steps) in float32 on the CPU: a float32 step, and each value one fused
     * multiply-add (as the vectorised kernel computes it; separate rounding of the product differs).
     */
    static float[] linspace(float start, float end, int steps) {
        float[] out = new float[steps];
        if (steps == 1) {
            out[0] = start;
            return out;
        }
        float step = (end - start) / (steps - 1);
        int halfway = steps / 2;
        for (int i = 0; i < steps; i++) {
            out[i] = i < halfway ? Math.fma(step, (float) i, start) : Math.fma(-step, (float) (steps - 1 - i), end);
        }
        return out;
    }
}
