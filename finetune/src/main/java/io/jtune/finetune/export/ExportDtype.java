package io.jtune.finetune.export;

import io.jtune.finetune.io.safetensors.DType;
import java.util.Locale;

/** The float type of exported weights, with the name config.json's {@code torch_dtype} gives it. */
public enum ExportDtype {
    F32(DType.F32, "float32"),
    F16(DType.F16, "float16"),
    BF16(DType.BF16, "bfloat16");

    private final DType dtype;
    private final String torchName;

    ExportDtype(DType dtype, String torchName) {
        this.dtype = dtype;
        this.torchName = torchName;
    }

    public DType dtype() {
        return dtype;
    }

    public String torchName() {
        return torchName;
    }

    /** {@code f32}, {@code f16}, {@code bf16} or the torch names; anything else is refused with the list. */
    public static ExportDtype parse(String s) {
        return switch (s.strip().toLowerCase(Locale.ROOT)) {
            case "f32", "fp32", "float32" -> F32;
            case "f16", "fp16", "float16" -> F16;
            case "bf16", "bfloat16" -> BF16;
            default -> throw new IllegalArgumentException("dtype '" + s + "' is not one of f32, f16, bf16");
        };
    }
}
