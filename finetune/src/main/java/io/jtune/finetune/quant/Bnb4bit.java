package io.jtune.finetune.quant;

import io.jtune.finetune.io.safetensors.DType;
import io.jtune.finetune.io.safetensors.TensorData;
import io.jtune.finetune.io.safetensors.TensorInfo;
import io.jtune.finetune.io.safetensors.TensorSource;
import io.jtune.finetune.json.PythonJson;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The tensors of one NF4 weight as transformers saves a bitsandbytes 4-bit model (a {@code Linear4bit}'s
 * {@code Params4bit} plus its {@code QuantState.as_dict(packed=True)}, one key per item under the
 * weight's name), for double quantization:
 *
 * <pre>
 * {module}.weight                                  U8  [ceil(n / 2), 1]  packed codes, first value high nibble
 * {module}.weight.absmax                           U8  [n / 64]          8-bit block scales
 * {module}.weight.quant_map                        F32 [16]              the NF4 values
 * {module}.weight.nested_absmax                    F32 [n / 16384]       scales of the 8-bit scales
 * {module}.weight.nested_quant_map                 F32 [256]             the dynamic map
 * {module}.weight.quant_state.bitsandbytes__nf4    U8  [bytes]           UTF-8 JSON, as pack_dict_to_tensor writes
 *     {"quant_type": "nf4", "blocksize": 64, "dtype": "float32", "shape": [out, in],
 *      "nested_blocksize": 256, "nested_dtype": "float32", "nested_offset": 0.0123...}
 * </pre>
 *
 * (Key and field names from bitsandbytes' {@code QuantState.as_dict}/{@code from_dict} and the list
 * transformers' 4-bit quantizer recognises, {@code weight.absmax} ... {@code
 * weight.quant_state.bitsandbytes__nf4}; the JSON is Python's {@code json.dumps}, byte for byte.)
 */
public final class Bnb4bit {
    public static final String STATE_SUFFIX = ".quant_state.bitsandbytes__nf4";
    static final List<String> SUFFIXES = List.of("", ".absmax", ".quant_map", ".nested_absmax", ".nested_quant_map",
            STATE_SUFFIX);

    private Bnb4bit() {}

    /** The six tensors of {@code module}'s weight ({@code module} without {@code .weight}), in as_dict's order. */
    public static List<TensorData> tensors(String module, Nf4Tensor t) {
        String w = module + ".weight";
        byte[] state = stateJson(t).getBytes(StandardCharsets.UTF_8);
        return List.of(
                TensorData.u8(w, new long[] {t.packed().length, 1}, t.packed()),
                TensorData.u8(w + ".absmax", new long[] {t.absmax().length}, t.absmax()),
                TensorData.f32(w + ".quant_map", new long[] {16}, Nf4.code()),
                TensorData.f32(w + ".nested_absmax", new long[] {t.nestedAbsmax().length}, t.nestedAbsmax()),
                TensorData.f32(w + ".nested_quant_map", new long[] {256}, DynamicMap.values()),
                TensorData.u8(w + STATE_SUFFIX, new long[] {state.length}, state));
    }

    /** The quant_state JSON of {@code t}, as bitsandbytes packs it. */
    public static String stateJson(Nf4Tensor t) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("quant_type", "nf4");
        s.put("blocksize", Nf4.BLOCK);
        s.put("dtype", "float32");
        s.put("shape", Arrays.stream(t.shape()).boxed().toList());
        s.put("nested_blocksize", Nf4Tensor.NESTED_BLOCK);
        s.put("nested_dtype", "float32");
        s.put("nested_offset", (double) t.offset());
        return PythonJson.dumps(s);
    }

    /** Whether {@code source} holds {@code module}'s weight in this format. */
    public static boolean holds(TensorSource source, String module) throws IOException {
        return source.tensors().containsKey(module + ".weight" + STATE_SUFFIX);
    }

    /**
     * Reads {@code module}'s NF4 weight back. Only what this class writes is accepted: NF4, blocks of
     * 64, double quantization in blocks of 256 with the standard maps; anything else is an
     * {@link IOException} naming the tensor and the field.
     */
    public static Nf4Tensor read(TensorSource source, String module) throws IOException {
        String w = module + ".weight";
        Map<String, Object> state = state(source, w);
        expect(w, state, "quant_type", "nf4");
        expect(w, state, "blocksize", (long) Nf4.BLOCK);
        expect(w, state, "nested_blocksize", (long) Nf4Tensor.NESTED_BLOCK);
        if (!(state.get("shape") instanceof List<?> dims) || !(state.get("nested_offset") instanceof Number offset)) {
            throw new IOException(w + STATE_SUFFIX + ": needs a shape and a nested_offset (double quantization), got "
                    + state);
        }
        long[] shape = dims.stream().mapToLong(d -> ((Number) d).longValue()).toArray();
        if (!Arrays.equals(floats(source, w + ".quant_map"), Nf4.code())) {
            throw new IOException(w + ".quant_map: not the NF4 table");
        }
        if (!Arrays.equals(floats(source, w + ".nested_quant_map"), DynamicMap.values())) {
            throw new IOException(w + ".nested_quant_map: not bitsandbytes' signed dynamic map");
        }
        try {
            return new Nf4Tensor(shape, bytes(source, w, DType.U8), bytes(source, w + ".absmax", DType.U8),
                    floats(source, w + ".nested_absmax"), offset.floatValue());
        } catch (IllegalArgumentException e) {
            throw new IOException(w + ": " + e.getMessage(), e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> state(TensorSource source, String w) throws IOException {
        String json = new String(bytes(source, w + STATE_SUFFIX, DType.U8), StandardCharsets.UTF_8);
        try {
            return (Map<String, Object>) PythonJson.parse(json);
        } catch (IllegalArgumentException | ClassCastException e) {
            throw new IOException(w + STATE_SUFFIX + ": not a JSON object: " + e.getMessage(), e);
        }
    }

    private static void expect(String w, Map<String, Object> state, String field, Object value) throws IOException {
        if (!value.equals(state.get(field))) {
            throw new IOException(w + STATE_SUFFIX + ": " + field + " is " + state.get(field) + "; jtune reads "
                    + field + " " + value + " only");
        }
    }

    private static byte[] bytes(TensorSource source, String name, DType type) throws IOException {
        TensorInfo info = source.info(name);
        if (info.dtype() != type) {
            throw new IOException("tensor '" + name + "' is " + info.dtype().safetensorsName() + ", expected "
                    + type.safetensorsName());
        }
        ByteBuffer b = source.readRaw(name);
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }

    private static float[] floats(TensorSource source, String name) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(bytes(source, name, DType.F32)).order(ByteOrder.LITTLE_ENDIAN);
        float[] out = new float[b.remaining() / 4];
        b.asFloatBuffer().get(out);
        return out;
    }
}
