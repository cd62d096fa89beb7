package io.jtune.finetune.quant;

/**
 * The NF4 data type of QLoRA (Dettmers et al., 2023, "QLoRA: Efficient Finetuning of Quantized
 * LLMs", section 3 and appendix E): 16 values in [-1, 1], the quantiles of N(0, 1) with an exact
 * zero and one more positive value than negative, scaled so the largest is 1.
 *
 * <p>Values are the float32 table bitsandbytes uses (its {@code get_4bit_type("nf4")} in
 * {@code bitsandbytes/functional.py} and {@code nf4_dequantization_lut} in {@code csrc/kernels.cu}).
 * A value is rounded to the nearest of them the way bitsandbytes' CUDA kernel does it
 * ({@code dQuantizeNF4}): compared with the 15 midpoints between neighbours, as float32, strictly
 * ({@code x > t} goes up), so a value exactly on a midpoint takes the lower code, and NaN (what an
 * all-zero block gives: 0 times 1/0) takes code 0. The pure-PyTorch fallback of bitsandbytes
 * ({@code backends/default/ops.py}, argmin of the distance) agrees except on exact ties.
 */
public final class Nf4 {
    /** Values per block that share one absmax (bitsandbytes' default {@code blocksize=64} for CUDA/CPU). */
    public static final int BLOCK = 64;

    /** The 16 code values, index = the 4-bit code. */
    private static final float[] CODE = {
        -1.0f, -0.6961928009986877f, -0.5250730514526367f, -0.39491748809814453f,
        -0.28444138169288635f, -0.18477343022823334f, -0.09105003625154495f, 0.0f,
        0.07958029955625534f, 0.16093020141124725f, 0.24611230194568634f, 0.33791524171829224f,
        0.44070982933044434f, 0.5626170039176941f, 0.7229568362236023f, 1.0f,
    };

    /**
     * THRESHOLDS[i] lies between CODE[i] and CODE[i + 1]: the constants of bitsandbytes'
     * {@code dQuantizeNF4} decision tree, the midpoints of the code values taken in double precision
     * (from their decimal expansions, not their float32 roundings) and then rounded to float32.
     */
    private static final float[] THRESHOLDS = {
        -0.8480964004993439f, -0.6106329262256622f, -0.4599952697753906f, -0.33967943489551544f,
        -0.23460740596055984f, -0.13791173323988914f, -0.045525018125772476f, 0.03979014977812767f,
        0.1202552504837513f, 0.2035212516784668f, 0.2920137718319893f, 0.3893125355243683f,
        0.5016634166240692f, 0.6427869200706482f, 0.8614784181118011f,
    };

    private Nf4() {}

    /** A copy of the 16 code values. */
    public static float[] code() {
        return CODE.clone();
    }

    /** The code value of a 4-bit index (0..15). */
    public static float value(int index) {
        return CODE[index];
    }

    /** A copy of the 15 rounding thresholds. */
    public static float[] thresholds() {
        return THRESHOLDS.clone();
    }

    /**
     * The 4-bit code of {@code x} (already divided by its block's absmax): the number of thresholds
     * it lies strictly above, a four-step binary search like bitsandbytes' decision tree.
     */
    public static int quantize(float x) {
        int lo = 0; // the code is in [lo, lo + 16)
        for (int step = 8; step > 0; step >>= 1) {
            if (x > THRESHOLDS[lo + step - 1]) {
                lo += step;
            }
        }
        return lo;
    }
}
