package io.jtune.finetune.io.safetensors;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The element types a safetensors file can hold that jtune understands.
 *
 * <p>Each constant carries the name the safetensors header uses in a tensor's {@code "dtype"} field
 * (for example {@code "F32"} or {@code "BF16"}) and the size of one element in bytes. All multi-byte
 * types are stored little-endian. {@code BOOL} is one byte per element, 0 or 1. {@code BF16} is the
 * top 16 bits of an IEEE-754 binary32; {@code F16} is IEEE-754 binary16.
 */
public enum DType {
    F64("F64", 8),
    F32("F32", 4),
    F16("F16", 2),
    BF16("BF16", 2),
    I64("I64", 8),
    I32("I32", 4),
    I16("I16", 2),
    I8("I8", 1),
    U8("U8", 1),
    BOOL("BOOL", 1);

    private final String safetensorsName;
    private final int byteSize;

    DType(String safetensorsName, int byteSize) {
        this.safetensorsName = safetensorsName;
        this.byteSize = byteSize;
    }

    /** The name used in a safetensors header, such as {@code "BF16"}. */
    public String safetensorsName() {
        return safetensorsName;
    }

    /** Bytes per element. */
    public int byteSize() {
        return byteSize;
    }

    /** Whether this is one of the floating-point types F64, F32, F16 or BF16. */
    public boolean isFloatingPoint() {
        return this == F64 || this == F32 || this == F16 || this == BF16;
    }

    /** The type whose safetensors name is {@code name} (case-sensitive, as the format requires). */
    public static Optional<DType> fromSafetensorsName(String name) {
        for (DType t : values()) {
            if (t.safetensorsName.equals(name)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    /** The known safetensors names, comma separated, for error messages. */
    static String knownNames() {
        return Arrays.stream(values()).map(DType::safetensorsName).collect(Collectors.joining(", "));
    }
}
