package io.jtune.finetune.io.safetensors;

/**
 * Conversions between {@code float} and the two 16-bit floating-point formats of safetensors
 * files, done in Java (Java 17 has no {@code Float.float16ToFloat}, and DJL's bf16 support aborts the
 * JVM).
 *
 * <ul>
 *   <li><b>F16</b> is IEEE-754 binary16: 1 sign bit, 5 exponent bits (bias 15), 10 mantissa bits.
 *       Exponent 0 holds zeros and subnormals (mantissa &times; 2<sup>-24</sup>); exponent 31 holds
 *       infinities (mantissa 0) and NaNs.
 *   <li><b>BF16</b> ("brain float") is the top 16 bits of an IEEE-754 binary32: same exponent range
 *       as {@code float}, 7 mantissa bits.
 * </ul>
 *
 * <p>Widening ({@code f16ToFloat}, {@code bf16ToFloat}) is exact. Narrowing ({@code floatToF16},
 * {@code floatToBf16}) rounds to nearest, ties to even, overflows to infinity, keeps the sign of
 * zeros and infinities, and turns every NaN into a quiet NaN (keeping the top mantissa bits where
 * they fit).
 */
public final class HalfFloats {
    private HalfFloats() {}

    /** The float value of the binary16 number whose bits are the low 16 bits of {@code bits}. */
    public static float f16ToFloat(short bits) {
        int h = bits & 0xffff;
        int sign = (h & 0x8000) << 16;
        int exp = (h >>> 10) & 0x1f;
        int mant = h & 0x3ff;
        if (exp == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13));
        }
        if (exp == 0) {
            // Zero or subnormal: mant * 2^-24, exact in binary32.
            float magnitude = mant * 0x1p-24f;
            return sign != 0 ? -magnitude : magnitude;
        }
        return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
    }

    /** The binary16 number nearest to {@code value} (ties to even), as its 16 bits. */
    public static short floatToF16(float value) {
        int f = Float.floatToRawIntBits(value);
        int sign = (f >>> 16) & 0x8000;
        int abs = f & 0x7fffffff;
        if (abs >= 0x7f800000) {
            if (abs == 0x7f800000) {
                return (short) (sign | 0x7c00);
            }
            return (short) (sign | 0x7e00 | ((abs >>> 13) & 0x3ff));
        }
        if (abs >= 0x477ff000) {
            // 65520 and above round to infinity (65504 is the largest finite binary16).
            return (short) (sign | 0x7c00);
        }
        if (abs >= 0x38800000) {
            // Normal binary16 (2^-14 and above).
            int exp = (abs >>> 23) - 112;
            int mant = abs & 0x7fffff;
            int h = (exp << 10) | (mant >>> 13);
            int rest = mant & 0x1fff;
            if (rest > 0x1000 || (rest == 0x1000 && (h & 1) == 1)) {
                h++;
            }
            return (short) (sign | h);
        }
        if (abs <= 0x33000000) {
            // At most 2^-25, half the smallest subnormal: rounds to zero (the tie goes to even 0).
            return (short) sign;
        }
        // Subnormal binary16: value / 2^-24 rounded to an integer, ties to even.
        int exp = abs >>> 23;
        int mant = (abs & 0x7fffff) | 0x800000;
        int shift = 126 - exp;
        int h = mant >>> shift;
        int rest = mant & ((1 << shift) - 1);
        int half = 1 << (shift - 1);
        if (rest > half || (rest == half && (h & 1) == 1)) {
            h++;
        }
        return (short) (sign | h);
    }

    /** The float value of the bfloat16 number whose bits are the low 16 bits of {@code bits}. */
    public static float bf16ToFloat(short bits) {
        return Float.intBitsToFloat((bits & 0xffff) << 16);
    }

    /** The bfloat16 number nearest to {@code value} (ties to even), as its 16 bits. */
    public static short floatToBf16(float value) {
        int f = Float.floatToRawIntBits(value);
        if ((f & 0x7fffffff) > 0x7f800000) {
            return (short) ((f >>> 16) | 0x0040);
        }
        int roundingBias = 0x7fff + ((f >>> 16) & 1);
        return (short) ((f + roundingBias) >>> 16);
    }
}
