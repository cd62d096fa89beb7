"""Writes the Python-made safetensors test files and the values they hold.

Run from this folder with a virtualenv that has torch (CPU), numpy and safetensors:
    python make_python_files.py
It writes python_dtypes.safetensors, python_dtypes.json, half_rounding.json.
Floats are recorded as the bits of their float32 value, so NaN, infinities and -0.0 compare exactly.
"""
import json

import numpy as np
import torch
from safetensors.torch import save_file

torch.manual_seed(7)
rng = np.random.default_rng(7)

specials = [0.0, -0.0, 1.0, -2.5, 65504.0, 65520.0, 1e-8, 5.960464477539063e-08, 6.103515625e-05,
            3.0e38, float("inf"), float("-inf"), float("nan"), 1.0 / 3.0]

tensors = {
    "f32.weight": torch.randn(3, 4, dtype=torch.float32),
    "f32.specials": torch.tensor(specials, dtype=torch.float32),
    "f16.weight": torch.randn(2, 3, 2).to(torch.float16),
    "f16.specials": torch.tensor(specials, dtype=torch.float32).to(torch.float16),
    "f16.subnormals": torch.tensor([2.0 ** -24, 3 * 2.0 ** -24, -(2.0 ** -20), 1023 * 2.0 ** -24],
                                   dtype=torch.float32).to(torch.float16),
    "bf16.weight": torch.randn(5, 2).to(torch.bfloat16),
    "bf16.specials": torch.tensor(specials, dtype=torch.float32).to(torch.bfloat16),
    "f64.values": torch.tensor([1.0 / 3.0, -1e300, 2.5], dtype=torch.float64),
    "i64.ids": torch.tensor([[0, -1, 2 ** 40], [7, -(2 ** 62), 5]], dtype=torch.int64),
    "i32.ids": torch.tensor([-(2 ** 31), 2 ** 31 - 1, 0], dtype=torch.int32),
    "i16.ids": torch.tensor([-32768, 32767], dtype=torch.int16),
    "i8.ids": torch.tensor([-128, 127, 0], dtype=torch.int8),
    "u8.ids": torch.tensor([0, 128, 255], dtype=torch.uint8),
    "bool.mask": torch.tensor([True, False, True]),
    "scalar": torch.tensor(4.5, dtype=torch.float32),
    "empty": torch.zeros(0, 3, dtype=torch.float32),
}
save_file(tensors, "python_dtypes.safetensors", metadata={"made_by": "make_python_files.py"})


def bits(t):
    if t.dtype == torch.float16:
        # numpy widens float16 bit-exactly (torch turns every NaN into 0x7fffffff)
        return t.numpy().astype(np.float32).view(np.int32).flatten().tolist()
    return t.to(torch.float32).contiguous().view(torch.int32).flatten().tolist()


expected = {}
for name, t in tensors.items():
    entry = {"dtype": {torch.float32: "F32", torch.float16: "F16", torch.bfloat16: "BF16",
                       torch.float64: "F64", torch.int64: "I64", torch.int32: "I32",
                       torch.int16: "I16", torch.int8: "I8", torch.uint8: "U8",
                       torch.bool: "BOOL"}[t.dtype],
             "shape": list(t.shape)}
    if t.is_floating_point():
        entry["f32_bits"] = bits(t)
    else:
        entry["values"] = t.to(torch.int64).flatten().tolist()
    expected[name] = entry
with open("python_dtypes.json", "w") as f:
    json.dump({"metadata": {"made_by": "make_python_files.py"}, "tensors": expected}, f, indent=1)

# float32 -> float16 (numpy) and -> bfloat16 (torch) rounding, both round-to-nearest-even.
inputs = np.concatenate([
    rng.standard_normal(200).astype(np.float32) * np.float32(10.0) ** rng.integers(-9, 6, 200).astype(np.float32),
    np.array(specials, dtype=np.float32),
    # ties and near-ties in the normal and subnormal float16 ranges, and around the largest float16
    np.array([1.0 + 2.0 ** -11, 1.0 + 3 * 2.0 ** -11, 2.0 ** -25, 3 * 2.0 ** -25, 2.0 ** -25 * 1.0000001,
              65519.0, 65519.996, 2.0 ** -14 - 2.0 ** -25, 1.0 + 2.0 ** -8, 1.0 + 3 * 2.0 ** -8],
             dtype=np.float32),
])
inputs = inputs.astype(np.float32)
f32_bits = inputs.view(np.int32).tolist()
f16_bits = inputs.astype(np.float16).view(np.uint16).astype(np.int32).tolist()
bf16_bits = torch.from_numpy(inputs.copy()).to(torch.bfloat16).view(torch.int16).to(torch.int32)
bf16_bits = (bf16_bits & 0xFFFF).tolist()
with open("half_rounding.json", "w") as f:
    json.dump({"f32_bits": f32_bits, "f16_bits": f16_bits, "bf16_bits": bf16_bits}, f)
