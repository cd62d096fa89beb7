package io.jtune.finetune.train;

import ai.djl.ndarray.NDArray;
import io.jtune.finetune.io.safetensors.SafetensorsReader;
import io.jtune.finetune.io.safetensors.TensorData;
import io.jtune.finetune.model.GradMode;
import io.jtune.finetune.quant.DynamicMap;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * AdamW with 8-bit moments, as bitsandbytes' block-wise 8-bit optimizers keep them (Dettmers et al.
 * 2022, "8-bit Optimizers via Block-wise Quantization"; {@code optim="adamw_8bit"} in transformers):
 * each moment is cut into blocks of {@value #BLOCK} values, each block stores its absolute maximum
 * as f32 and every value as the 8-bit index of the nearest entry of a dynamic map, the signed map for
 * the first moment and the unsigned one for the second. Each step dequantizes a block, applies the
 * AdamW update of {@link AdamW} in f32, and quantizes the new moments again with the block's new
 * absmax. Tensors of fewer than {@value #MIN_8BIT_SIZE} values keep f32 moments, as bitsandbytes'
 * {@code min_8bit_size} does. The update runs in Java on copies of the parameter and gradient, so it
 * suits adapters better than the full weights of a large model.
 *
 * <p>State: 2 bytes per value plus 8 bytes per block of 256 (about 2.03 bytes), against AdamW's 8.
 * This follows bitsandbytes' documented scheme; it is not checked bit for bit against bitsandbytes
 * (which is not in this workplace's package mirror).
 */
public final class AdamW8bit implements Optimizer {
    /** Values per quantization block of a moment. */
    public static final int BLOCK = 256;
    /** Tensors below this size keep f32 moments (bitsandbytes' {@code min_8bit_size}). */
    public static final int MIN_8BIT_SIZE = 4096;

    private static final float[] SIGNED = DynamicMap.values();
    private static final float[] UNSIGNED = DynamicMap.unsignedValues();

    private final Map<String, NDArray> params;
    private final double beta1;
    private final double beta2;
    private final double eps;
    private final double weightDecay;
    private final Set<String> noDecay;
    private final Map<String, State> states = new LinkedHashMap<>();
    private long step;

    public AdamW8bit(Map<String, NDArray> params, double beta1, double beta2, double eps, double weightDecay,
            Set<String> noDecay) {
        if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1) || !(eps > 0) || !(weightDecay >= 0)) {
            throw new IllegalArgumentException("AdamW needs betas in [0, 1), eps > 0 and weight decay >= 0");
        }
        this.params = new LinkedHashMap<>(params);
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
        this.noDecay = Set.copyOf(noDecay);
    }

    /** One moment pair: 8-bit codes with block scales, or plain f32 for small tensors. */
    private static final class State {
        final boolean quantized;
        final byte[] m8;
        final byte[] v8;
        final float[] mScale;
        final float[] vScale;
        final float[] m32;
        final float[] v32;

        State(int n) {
            quantized = n >= MIN_8BIT_SIZE;
            int blocks = (n + BLOCK - 1) / BLOCK;
            m8 = quantized ? new byte[n] : null;
            v8 = quantized ? new byte[n] : null;
            mScale = quantized ? new float[blocks] : null;
            vScale = quantized ? new float[blocks] : null;
            m32 = quantized ? null : new float[n];
            v32 = quantized ? null : new float[n];
            if (quantized) {
                byte zeroSigned = (byte) nearest(SIGNED, 0f);
                byte zeroUnsigned = (byte) nearest(UNSIGNED, 0f);
                java.util.Arrays.fill(m8, zeroSigned);
                java.util.Arrays.fill(v8, zeroUnsigned);
            }
        }

        long bytes() {
            return quantized ? 2L * m8.length + 4L * (mScale.length + vScale.length) : 8L * m32.length;
        }
    }

    @Override
    public void step(double lr) {
        step++;
        double bc1 = 1 - Math.pow(beta1, step);
        double bc2Sqrt = Math.sqrt(1 - Math.pow(beta2, step));
        double stepSize = lr / bc1;
        try (GradMode off = GradMode.off()) {
            for (Map.Entry<String, NDArray> e : params.entrySet()) {
                NDArray p = e.getValue();
                float[] w = p.toFloatArray();
                float[] g;
                try (NDArray grad = p.getGradient()) {
                    g = grad.toFloatArray();
                }
                State s = states.computeIfAbsent(e.getKey(), k -> new State(w.length));
                float decay = weightDecay != 0 && !noDecay.contains(e.getKey()) ? (float) (1 - lr * weightDecay) : 1f;
                float[] m = new float[Math.min(BLOCK, w.length)];
                float[] v = new float[m.length];
                for (int start = 0; start < w.length; start += BLOCK) {
                    int end = Math.min(w.length, start + BLOCK);
                    int block = start / BLOCK;
                    float mMax = 0;
                    float vMax = 0;
                    for (int i = start; i < end; i++) {
                        float mi = s.quantized ? SIGNED[s.m8[i] & 0xFF] * s.mScale[block] : s.m32[i];
                        float vi = s.quantized ? UNSIGNED[s.v8[i] & 0xFF] * s.vScale[block] : s.v32[i];
                        mi = (float) (beta1 * mi + (1 - beta1) * g[i]);
                        vi = (float) (beta2 * vi + (1 - beta2) * g[i] * g[i]);
                        m[i - start] = mi;
                        v[i - start] = vi;
                        mMax = Math.max(mMax, Math.abs(mi));
                        vMax = Math.max(vMax, vi);
                        float denom = (float) (Math.sqrt(vi) / bc2Sqrt + eps);
                        w[i] = (float) (w[i] * decay - stepSize * mi / denom);
                    }
                    if (s.quantized) {
                        s.mScale[block] = mMax;
                        s.vScale[block] = vMax;
                        for (int i = start; i < end; i++) {
                            s.m8[i] = (byte) (mMax == 0 ? nearest(SIGNED, 0f) : DynamicMap.quantize(m[i - start] / mMax));
                            s.v8[i] = (byte) nearest(UNSIGNED, vMax == 0 ? 0f : v[i - start] / vMax);
                        }
                    } else {
                        System.arraycopy(m, 0, s.m32, start, end - start);
                        System.arraycopy(v, 0, s.v32, start, end - start);
                    }
                }
                p.set(FloatBuffer.wrap(w));
            }
        }
    }

    /** The index of the entry of the ascending {@code map} nearest to {@code x} (ties go down). */
    static int nearest(float[] map, float x) {
        int lo = 0;
        int hi = map.length - 1;
        while (hi - lo > 1) {
            int mid = (lo + hi) >>> 1;
            if (map[mid] <= x) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return Math.abs(x - map[lo]) <= Math.abs(map[hi] - x) ? lo : hi;
    }

    @Override
    public long steps() {
        return step;
    }

    @Override
    public long stateBytes() {
        long b = 0;
        for (State s : states.values()) {
            b += s.bytes();
        }
        return b;
    }

    /** Per parameter: {@code .state1}/{@code .state2} u8 codes with {@code .absmax1}/{@code .absmax2}, or f32 moments. */
    @Override
    public List<TensorData> stateTensors() {
        List<TensorData> out = new ArrayList<>();
        for (Map.Entry<String, State> e : states.entrySet()) {
            State s = e.getValue();
            String k = e.getKey();
            if (s.quantized) {
                out.add(TensorData.u8(k + ".state1", new long[] {s.m8.length}, s.m8));
                out.add(TensorData.u8(k + ".state2", new long[] {s.v8.length}, s.v8));
                out.add(TensorData.f32(k + ".absmax1", new long[] {s.mScale.length}, s.mScale));
                out.add(TensorData.f32(k + ".absmax2", new long[] {s.vScale.length}, s.vScale));
            } else {
                out.add(TensorData.f32(k + ".exp_avg", new long[] {s.m32.length}, s.m32));
                out.add(TensorData.f32(k + ".exp_avg_sq", new long[] {s.v32.length}, s.v32));
            }
        }
        return out;
    }

    @Override
    public void restore(long steps, SafetensorsReader r) throws IOException {
        for (Map.Entry<String, NDArray> e : params.entrySet()) {
            String k = e.getKey();
            int n = (int) e.getValue().size();
            State s = new State(n);
            if (s.quantized && r.contains(k + ".state1")) {
                copy(r.readRaw(k + ".state1"), s.m8, r, k);
                copy(r.readRaw(k + ".state2"), s.v8, r, k);
                System.arraycopy(r.readFloats(k + ".absmax1"), 0, s.mScale, 0, s.mScale.length);
                System.arraycopy(r.readFloats(k + ".absmax2"), 0, s.vScale, 0, s.vScale.length);
            } else if (!s.quantized && r.contains(k + ".exp_avg")) {
                System.arraycopy(r.readFloats(k + ".exp_avg"), 0, s.m32, 0, n);
                System.arraycopy(r.readFloats(k + ".exp_avg_sq"), 0, s.v32, 0, n);
            } else if (steps > 0) {
                throw new IOException(r.file() + ": no 8-bit AdamW state for '" + k + "' (was the run trained with"
                        + " another optimizer?)");
            } else {
                continue;
            }
            states.put(k, s);
        }
        this.step = steps;
    }

    private static void copy(java.nio.ByteBuffer src, byte[] dst, SafetensorsReader r, String k) throws IOException {
        if (src.remaining() != dst.length) {
            throw new IOException(r.file() + ": the 8-bit state of '" + k + "' has another size than the tensor");
        }
        src.get(dst);
    }

    @Override
    public void close() {
        states.clear();
    }
}
