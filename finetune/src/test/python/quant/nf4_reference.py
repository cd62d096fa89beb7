"""An independent NF4 + double-quantization reference, and the golden values jtune's Java codec is tested against.

    python3 -m venv /work/venv-hf && /work/venv-hf/bin/pip install torch numpy safetensors
    /work/venv-hf/bin/python finetune/src/test/python/quant/nf4_reference.py           # (re)write
    /work/venv-hf/bin/python finetune/src/test/python/quant/nf4_reference.py --check   # compare, write nothing
    python nf4_reference.py --bitsandbytes   # on a CUDA machine with bitsandbytes: compare with its quantize_4bit

Written from the QLoRA paper (Dettmers et al. 2023, section 3 "4-bit NormalFloat" and "Double
Quantization", appendix E) and bitsandbytes' documented behaviour, in vectorised numpy rather than
the per-element loops of the Java codec:

* NF4: the 16 values are derived here from normal quantiles (create_normal_map's construction,
  offset 0.9677083) and checked against the float32 table bitsandbytes ships; the table is used.
  A value x in a block of 64 is scaled by the float32 reciprocal of the block's absmax and coded as
  the number of midpoints between neighbouring code values (the float32 constants of bitsandbytes'
  decision tree, checked here to be the midpoints) that it lies strictly above:
  the rounding of bitsandbytes' CUDA kernel, whose midpoint decision tree sends ties down and NaN
  (an all-zero block: 0 * inf) to code 0.
* Packing: two codes per byte, the first of each pair in the high nibble; an odd count is padded
  with 0.0. Stored as uint8 [ceil(n / 2), 1], as Params4bit keeps it.
* Double quantization: offset = mean(absmax) in float32, (absmax - offset) quantized blockwise in
  blocks of 256 against the signed dynamic map (create_dynamic_map(signed=True), built here from
  its definition with torch float32 ops), rounding as the CUDA kernel's dQuantize does (7 pivot
  steps from 127, then the float32 midpoint between the last pivot and its neighbour on x's side,
  ties staying at the pivot): the nearest value but for ties. The golden file records how many
  scales an argmin over all 256 values codes differently (bitsandbytes' pure-PyTorch fallback).
* Dequantization, float32: scale = map[q] * nested_absmax[b // 256] + offset; x = nf4[code] * scale.

Output: finetune/src/test/resources/quant/nf4_golden.safetensors (per case: input, weight (packed),
absmax, nested_absmax, offset, dequantized, quant_state (the bitsandbytes__nf4 JSON as uint8), plus
nf4_code and dynamic_map) and nf4_golden.json (the cases' shapes and counts).
"""

import argparse
import json
import math
from fractions import Fraction
import os
import sys

import numpy as np
import torch
from safetensors.numpy import load_file, save_file

HERE = os.path.dirname(os.path.abspath(__file__))
OUT_DIR = os.path.normpath(os.path.join(HERE, "..", "..", "resources", "quant"))
BLOCK = 64
NESTED_BLOCK = 256

# bitsandbytes' NF4 table (get_4bit_type("nf4"); also QLoRA appendix E), as float32
NF4_DECIMAL = np.array([
    -1.0, -0.6961928009986877, -0.5250730514526367, -0.39491748809814453,
    -0.28444138169288635, -0.18477343022823334, -0.09105003625154495, 0.0,
    0.07958029955625534, 0.16093020141124725, 0.24611230194568634, 0.33791524171829224,
    0.44070982933044434, 0.5626170039176941, 0.7229568362236023, 1.0], dtype=np.float64)
NF4_TABLE = NF4_DECIMAL.astype(np.float32)

# The rounding midpoints as bitsandbytes' dQuantizeNF4 decision tree writes them (float literals in
# csrc/kernels.cu): the midpoints of the table's decimal values, printed to 16-17 digits.
NF4_MIDPOINT_LITERALS = [
    "-0.8480964004993439", "-0.6106329262256622", "-0.4599952697753906", "-0.33967943489551544",
    "-0.23460740596055984", "-0.13791173323988914", "-0.045525018125772476", "0.03979014977812767",
    "0.1202552504837513", "0.2035212516784668", "0.2920137718319893", "0.3893125355243683",
    "0.5016634166240692", "0.6427869200706482", "0.8614784181118011"]


def float32_of_decimal(text):
    """A decimal rounded straight to the nearest float32 (ties to even), as a C compiler rounds a float
    literal; numpy's float32(str) goes through double and can round twice (the first literal does)."""
    x = Fraction(text)
    a = np.float32(float(x))
    best = None
    for c in (np.nextafter(a, np.float32(-2)), a, np.nextafter(a, np.float32(2))):
        key = (abs(Fraction(float(c)) - x), int(c.view(np.uint32)) & 1)
        if best is None or key < best[0]:
            best = (key, c)
    return best[1]


NF4_MIDPOINTS = np.array([float32_of_decimal(t) for t in NF4_MIDPOINT_LITERALS], dtype=np.float32)
assert np.abs(NF4_MIDPOINTS.astype(np.float64) - (NF4_DECIMAL[:-1] + NF4_DECIMAL[1:]) / 2).max() < 1e-7


def nf4_from_quantiles(offset=0.9677083):
    """NF4 from its definition: 8 positive and 7 negative N(0,1) quantiles plus 0, scaled to max 1."""
    pos = torch.special.ndtri(torch.linspace(offset, 0.5, 9, dtype=torch.float64)[:-1])
    neg = -torch.special.ndtri(torch.linspace(offset, 0.5, 8, dtype=torch.float64)[:-1])
    v = torch.cat([pos, neg, torch.zeros(1, dtype=torch.float64)]).sort().values
    return (v / v.max()).numpy()


def dynamic_map():
    """create_dynamic_map(signed=True, max_exponent_bits=7, total_bits=8) from its definition, float32."""
    data = []
    for e in range(7):
        boundaries = torch.linspace(0.1, 1, 2 ** e + 1)  # float32
        means = (boundaries[:-1] + boundaries[1:]) / 2.0
        data += ((10 ** (e - 6)) * means).tolist()
        data += (-(10 ** (e - 6)) * means).tolist()
    data += [0.0, 1.0]
    assert len(data) == 256
    return np.array(sorted(data), dtype=np.float32)


def nf4_codes(scaled):
    return (scaled[:, None] > NF4_MIDPOINTS[None, :]).sum(axis=1).astype(np.uint8)


def blockwise_absmax(x, block):
    n = x.size
    nb = -(-n // block)
    padded = np.zeros(nb * block, dtype=np.float32)
    padded[:n] = np.abs(x)
    return padded.reshape(nb, block).max(axis=1)


def reciprocal(a):
    with np.errstate(divide="ignore"):
        return (np.float32(1.0) / a).astype(np.float32)


def search_dynamic(scaled, dmap):
    """bitsandbytes' CUDA dQuantize<0>: a binary search to a last pivot, then its float32 midpoint with the neighbour."""
    pivot = np.full(scaled.shape, 127, dtype=np.int64)
    lower_p = np.zeros_like(pivot)
    upper_p = np.full_like(pivot, 255)
    lower = np.full(scaled.shape, -1.0, dtype=np.float32)
    upper = np.full(scaled.shape, 1.0, dtype=np.float32)
    for step in (64, 32, 16, 8, 4, 2, 1):
        val = dmap[pivot]
        above = scaled > val
        lower_p = np.where(above, pivot, lower_p)
        lower = np.where(above, val, lower)
        upper_p = np.where(above, upper_p, pivot)
        upper = np.where(above, upper, val)
        pivot = np.where(above, pivot + step, pivot - step)
    val = dmap[pivot]
    upper = np.where(upper_p == 255, dmap[255], upper).astype(np.float32)
    lower = np.where(lower_p == 0, dmap[0], lower).astype(np.float32)
    up = np.where(scaled > ((upper + val) * np.float32(0.5)), upper_p, pivot)
    down = np.where(scaled < ((lower + val) * np.float32(0.5)), lower_p, pivot)
    return np.where(scaled > val, up, down).astype(np.uint8)


def quantize(x, dmap):
    x = x.astype(np.float32).reshape(-1)
    n = x.size
    nb = -(-n // BLOCK)
    absmax = blockwise_absmax(x, BLOCK)
    inv = np.repeat(reciprocal(absmax), BLOCK)[: n + (n % 2)]
    vals = np.zeros(n + (n % 2), dtype=np.float32)
    vals[:n] = x
    with np.errstate(invalid="ignore"):
        codes = nf4_codes((vals * inv).astype(np.float32))
    packed = ((codes[0::2] << 4) | codes[1::2]).astype(np.uint8).reshape(-1, 1)
    offset = np.float32(math.fsum(absmax.astype(np.float64)) / nb)
    centered = (absmax - offset).astype(np.float32)
    nested = blockwise_absmax(centered, NESTED_BLOCK)
    with np.errstate(invalid="ignore"):
        scaled = (centered * np.repeat(reciprocal(nested), NESTED_BLOCK)[:nb]).astype(np.float32)
    qabsmax = search_dynamic(scaled, dmap)
    argmin = np.abs(scaled[:, None] - dmap[None, :]).argmin(axis=1)
    return packed, qabsmax, nested, offset, int((argmin != qabsmax).sum())


def dequantize(packed, qabsmax, nested, offset, n, dmap):
    flat = packed.reshape(-1)
    codes = np.empty(flat.size * 2, dtype=np.uint8)
    codes[0::2] = flat >> 4
    codes[1::2] = flat & 0x0F
    scales = (dmap[qabsmax] * np.repeat(nested, NESTED_BLOCK)[: qabsmax.size]).astype(np.float32) + offset
    return (NF4_TABLE[codes[:n]] * np.repeat(scales.astype(np.float32), BLOCK)[:n]).astype(np.float32)


def quant_state_json(shape, offset):
    """The non-tensor part of QuantState.as_dict(packed=True), as pack_dict_to_tensor writes it."""
    d = {"quant_type": "nf4", "blocksize": BLOCK, "dtype": "float32", "shape": list(shape),
         "nested_blocksize": NESTED_BLOCK, "nested_dtype": "float32", "nested_offset": float(offset)}
    return np.frombuffer(json.dumps(d).encode("utf-8"), dtype=np.uint8).copy()


def edge_values():
    """Block 0: 1.0 and every midpoint exactly and one float above; block 1: zeros; 2: constant; 3: outlier."""
    mids = NF4_MIDPOINTS
    row0 = np.zeros(64, dtype=np.float32)
    row0[0] = 1.0
    row0[1:16] = mids
    row0[16:31] = np.nextafter(mids, np.float32(2))
    row0[31:46] = np.nextafter(mids, np.float32(-2))
    row0[46:62] = NF4_TABLE
    row0[62] = -1.0
    row0[63] = 0.5
    row1 = np.zeros(64, dtype=np.float32)
    row2 = np.full(64, -0.25, dtype=np.float32)
    rng = np.random.default_rng(7)
    row3 = (rng.standard_normal(64) * 1e-3).astype(np.float32)
    row3[5] = 100.0
    return np.stack([row0, row1, row2, row3])


def cases():
    rng = np.random.default_rng(20240514)
    def normal(*shape, std=0.02):
        return (rng.standard_normal(shape) * std).astype(np.float32)
    return {
        "normal_8x64": normal(8, 64),
        "partial_3x50": normal(3, 50, std=1.0),
        "odd_7x45": normal(7, 45),
        "many_130x130": normal(130, 130),
        "edges_4x64": edge_values(),
        "equal_scales_2x64": np.tile(np.linspace(-0.5, 0.5, 64, dtype=np.float32), (2, 1)),
    }


def build():
    table = nf4_from_quantiles()
    assert np.abs(table - NF4_TABLE).max() < 1e-6, (table, NF4_TABLE)
    dmap = dynamic_map()
    tensors = {"nf4_code": NF4_TABLE.copy(), "nf4_midpoints": NF4_MIDPOINTS.copy(), "dynamic_map": dmap}
    meta = {"blocksize": BLOCK, "nested_blocksize": NESTED_BLOCK, "cases": {}}
    for name, x in cases().items():
        packed, qabsmax, nested, offset, argmin_diff = quantize(x, dmap)
        deq = dequantize(packed, qabsmax, nested, offset, x.size, dmap)
        tensors[name + ".input"] = x
        tensors[name + ".weight"] = packed
        tensors[name + ".absmax"] = qabsmax
        tensors[name + ".nested_absmax"] = nested
        tensors[name + ".offset"] = np.array([offset], dtype=np.float32)
        tensors[name + ".dequantized"] = deq.reshape(x.shape)
        tensors[name + ".quant_state"] = quant_state_json(x.shape, offset)
        meta["cases"][name] = {"shape": list(x.shape), "blocks": int(qabsmax.size), "nested_blocks": int(nested.size),
                               "scales_argmin_would_code_differently": argmin_diff,
                               "max_abs_error": float(np.abs(deq - x.reshape(-1)).max())}
    return tensors, meta


def compare_with_bitsandbytes(tensors):
    """The golden values against bitsandbytes itself (CUDA): codes and 8-bit scales bit for bit, the
    float32 scales and the offset (a float32 mean on the GPU, whose last bit may differ) within 1 ulp."""
    import bitsandbytes.functional as F
    bad = []
    for name in cases():
        x = torch.from_numpy(tensors[name + ".input"]).cuda()
        packed, state = F.quantize_4bit(x, blocksize=BLOCK, compress_statistics=True, quant_type="nf4")
        checks = {
            "weight": (packed.cpu().numpy().reshape(-1), tensors[name + ".weight"].reshape(-1), 0),
            "absmax": (state.absmax.cpu().numpy(), tensors[name + ".absmax"], 0),
            "nested_absmax": (state.state2.absmax.cpu().numpy(), tensors[name + ".nested_absmax"], 1),
            "offset": (np.array([state.offset.item()], dtype=np.float32), tensors[name + ".offset"], 1),
        }
        for key, (got, want, ulps) in checks.items():
            if got.shape != want.shape:
                bad.append(f"{name}.{key}: shape {got.shape} vs {want.shape}")
            elif ulps == 0 and got.tobytes() != want.tobytes():
                bad.append(f"{name}.{key}: {int((got != want).sum())} of {got.size} differ")
            elif ulps and np.any(np.abs(got.view(np.int32).astype(np.int64) - want.view(np.int32)) > ulps):
                bad.append(f"{name}.{key}: more than {ulps} ulp apart")
    print("bitsandbytes differs:", bad if bad else "nothing")
    return not bad


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--check", action="store_true")
    ap.add_argument("--bitsandbytes", action="store_true", help="compare with bitsandbytes on CUDA, write nothing")
    args = ap.parse_args()
    tensors, meta = build()
    if args.bitsandbytes:
        sys.exit(0 if compare_with_bitsandbytes(tensors) else 1)
    st = os.path.join(OUT_DIR, "nf4_golden.safetensors")
    js = os.path.join(OUT_DIR, "nf4_golden.json")
    if args.check:
        old = load_file(st)
        bad = [k for k in tensors if k not in old or old[k].tobytes() != tensors[k].tobytes()]
        print("differs:", bad if bad else "nothing")
        sys.exit(1 if bad else 0)
    os.makedirs(OUT_DIR, exist_ok=True)
    save_file(tensors, st)
    with open(js, "w") as f:
        json.dump(meta, f, indent=2)
        f.write("\n")
    print(json.dumps(meta, indent=2))


if __name__ == "__main__":
    main()
