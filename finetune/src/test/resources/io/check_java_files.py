"""Checks that Python safetensors reads the files jtune's SafetensorsWriter wrote.

Usage: python check_java_files.py FOLDER, where FOLDER holds all.safetensors (the tensors of
SafetensorsWriterTest.allTypes() with metadata {"made_by": "jtune"}) and sharded/ (writeSharded of
the same tensors with maxShardBytes 64).
"""
import json, math, sys
import numpy as np, torch
from safetensors import safe_open
from safetensors.torch import load_file

floats = [0.0, -0.0, 1.5, -2.25, 65504.0, 1e-6, math.inf, np.float32(1) / np.float32(3)]
f32 = torch.tensor(floats, dtype=torch.float32)
expected = {
    "f32": f32.reshape(2, 4),
    "f16": f32.to(torch.float16),
    "bf16": f32.to(torch.bfloat16).reshape(4, 2),
    "f64": torch.tensor([math.pi, -1e300], dtype=torch.float64),
    "i64": torch.tensor([-(2 ** 63), 0, 2 ** 40], dtype=torch.int64),
    "i32": torch.tensor([[-1, 2, 2 ** 31 - 1]], dtype=torch.int32),
    "u8": torch.tensor([0, 255], dtype=torch.uint8),
    "i16": torch.tensor([-300, 7], dtype=torch.int16),
    "flags": torch.tensor([True, False, True]),
    "scalar": torch.tensor(42.0),
    "empty": torch.zeros(0, 5),
}

folder = sys.argv[1]


def check(loaded):
    assert loaded.keys() == expected.keys(), loaded.keys()
    for k, v in expected.items():
        got = loaded[k]
        assert got.dtype == v.dtype and got.shape == v.shape, (k, got.dtype, got.shape)
        assert torch.equal(got.reshape(-1).view(torch.uint8), v.reshape(-1).view(torch.uint8)), (k, got, v)

check(load_file(folder + "/all.safetensors"))
with safe_open(folder + "/all.safetensors", framework="pt") as f:
    assert f.metadata() == {"format": "pt", "made_by": "jtune"}, f.metadata()
    check({k: f.get_tensor(k) for k in f.keys()})

index_path = folder + "/sharded/model.safetensors.index.json"
index_text = open(index_path).read()
index = json.loads(index_text)
assert index_text == json.dumps(index, indent=2, sort_keys=True) + "\n", index_text
merged = {}
for shard in sorted(set(index["weight_map"].values())):
    part = load_file(folder + "/sharded/" + shard)
    for k in part:
        assert index["weight_map"][k] == shard
    merged.update(part)
check(merged)
assert index["metadata"]["total_size"] == sum(v.numel() * v.element_size() for v in expected.values())
print("java files OK:", len(expected), "tensors;", len(set(index["weight_map"].values())), "shards")
