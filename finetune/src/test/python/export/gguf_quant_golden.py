"""Golden blocks for io.jtune.finetune.io.gguf.GgmlType: the gguf package's quantizers (bit-exact
with ggml-quants.c's reference ones) on 256 seeded float32 values, with some exact halves and
zero blocks. Writes finetune/src/test/resources/io/gguf/quant_golden.json.

    python3 -m venv /tmp/venv-gguf && /tmp/venv-gguf/bin/pip install gguf numpy
    /tmp/venv-gguf/bin/python finetune/src/test/python/export/gguf_quant_golden.py
"""
import importlib.metadata
import json
import pathlib

import gguf
import numpy as np
from gguf import GGMLQuantizationType as T

rng = np.random.default_rng(0)
x = rng.normal(0, 1, 256).astype(np.float32)
x[32:64] = 0  # a zero block: scale 0
x[64:96] = np.linspace(-127, 127, 32, dtype=np.float32) / np.float32(50)  # values near .5 steps
x[96] = np.float32(2.5) * np.float32(127) / np.float32(4)  # a block whose scaled values hit halves
out = {
    "values": [float(v) for v in x],
    "q8_0": gguf.quants.quantize(x.reshape(2, 128), T.Q8_0).tobytes().hex(),
    "q4_0": gguf.quants.quantize(x.reshape(2, 128), T.Q4_0).tobytes().hex(),
    "f16": x.astype(np.float16).tobytes().hex(),
    "gguf_version": importlib.metadata.version("gguf"),
}
dest = pathlib.Path(__file__).resolve().parents[2] / "resources/io/gguf/quant_golden.json"
dest.write_text(json.dumps(out, indent=1) + "\n")
print("wrote", dest)
