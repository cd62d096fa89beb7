"""Generates the golden model folders for jtune's Java decoder tests.

    /usr/bin/python3 finetune/src/test/python/reference/make_golden.py            # (re)write all
    /usr/bin/python3 finetune/src/test/python/reference/make_golden.py --check    # verify, write nothing
    /usr/bin/python3 finetune/src/test/python/reference/make_golden.py --only qwen2

Writes finetune/src/test/resources/golden/<name>/{config.json, model.safetensors, golden.json}.
Weights come from fixed seeds (torch.Generator), F32: linear weights [out, in] and embeddings
[vocab, hidden] ~ N(0, 1/in) (std 1/sqrt(in): 0.125 for in = 64), biases ~ N(0, 0.1), RMSNorm
weights ~ 1 + N(0, 0.1). Not N(0, 0.02): at that scale attention is nearly uniform, RoPE mistakes
move the logits by only ~1e-3, and the tied models' greedy output just repeats the last prompt
token (mutation_check.py measures this). The input seed is the first of SPEC seed + 100 k whose
greedy steps all have a top-1/top-2 logit margin >= MIN_MARGIN. The committed files are canonical: another
torch version may draw different numbers, so --check recomputes golden.json from the committed
config.json + model.safetensors (it does not redraw weights) and compares (tolerance CHECK_TOL:
the matrix products round differently with another BLAS or torch; 0 on the machine that wrote them).

config.json follows what transformers 4.4x's save_pretrained writes for the architecture (keys
sorted, indent 2, rope_theta + rope_scaling, torch_dtype), without transformers_version.

golden.json (all floats are float32 values written with 9 significant digits, which read back
exactly through Float.parseFloat or through double-then-float):
  format                 "jtune-golden-v1"
  model                  folder name
  dtype                  "float32"
  pad_token_id           id used at padded positions (0; its value must not matter)
  input_ids              [2][9]  row 0 unpadded, row 1 LEFT-padded (pad_len leading pads)
  attention_mask         [2][9]  1 real token, 0 padding
  position_ids           [2][9]  cumsum(attention_mask) - 1, padded positions 0
  logits                 [2][9][vocab] logits at every position (padded positions included: see
                         padded_positions_note)
  single                 list of 2 objects, one per batch row, that row run alone without padding:
                         {"row", "input_ids" [n], "last_logits" [vocab]}
  greedy                 {"prompt_ids" [9] (= input_ids[0]), "max_new_tokens" 8, "new_tokens" [8],
                          "step_last_logits" [8][vocab] (last-position logits that chose each new
                          token), "min_top2_margin" (smallest top1 - top2 logit gap over the steps)}
  self_consistency       max abs differences measured by the reference itself
  padded_positions_note  text
  generator              script, torch version, seeds
"""

import argparse
import json
import os
import struct
import sys

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import reference_llama as ref  # noqa: E402

GOLDEN_DIR = os.path.normpath(os.path.join(HERE, "..", "..", "resources", "golden"))
SEQ_LEN = 9
PAD_LEN = 3
NEW_TOKENS = 8
PAD_ID = 0
MIN_MARGIN = 1e-2   # greedy steps must not be near-ties, or a 1e-6 difference could flip them
SEED_TRIES = 50
CONSISTENCY_TOL = 1e-5
CHECK_TOL = 1e-5    # --check: another BLAS (reference vs OpenBLAS) or torch moves the logits by ~1e-6


def llama_config(*, hidden, inter, layers, heads, kv, vocab, tied, rope_theta=10000.0, rope_scaling=None,
                 max_pos=128, eps=1e-5, head_dim=None):
    return {
        "architectures": ["LlamaForCausalLM"],
        "attention_bias": False,
        "attention_dropout": 0.0,
        "bos_token_id": 1,
        "eos_token_id": 2,
        "head_dim": head_dim if head_dim is not None else hidden // heads,
        "hidden_act": "silu",
        "hidden_size": hidden,
        "initializer_range": 0.02,
        "intermediate_size": inter,
        "max_position_embeddings": max_pos,
        "mlp_bias": False,
        "model_type": "llama",
        "num_attention_heads": heads,
        "num_hidden_layers": layers,
        "num_key_value_heads": kv,
        "pretraining_tp": 1,
        "rms_norm_eps": eps,
        "rope_scaling": rope_scaling,
        "rope_theta": rope_theta,
        "tie_word_embeddings": tied,
        "torch_dtype": "float32",
        "use_cache": True,
        "vocab_size": vocab,
    }


def mistral_config(*, hidden, inter, layers, heads, kv, vocab, tied, rope_theta, max_pos=128, eps=1e-5):
    return {
        "architectures": ["MistralForCausalLM"],
        "attention_dropout": 0.0,
        "bos_token_id": 1,
        "eos_token_id": 2,
        "head_dim": hidden // heads,
        "hidden_act": "silu",
        "hidden_size": hidden,
        "initializer_range": 0.02,
        "intermediate_size": inter,
        "max_position_embeddings": max_pos,
        "model_type": "mistral",
        "num_attention_heads": heads,
        "num_hidden_layers": layers,
        "num_key_value_heads": kv,
        "rms_norm_eps": eps,
        "rope_theta": rope_theta,
        "sliding_window": None,
        "tie_word_embeddings": tied,
        "torch_dtype": "float32",
        "use_cache": True,
        "vocab_size": vocab,
    }


def qwen2_config(*, hidden, inter, layers, heads, kv, vocab, tied, rope_theta, max_pos=128, eps=1e-6):
    return {
        "architectures": ["Qwen2ForCausalLM"],
        "attention_dropout": 0.0,
        "bos_token_id": 1,
        "eos_token_id": 2,
        "hidden_act": "silu",
        "hidden_size": hidden,
        "initializer_range": 0.02,
        "intermediate_size": inter,
        "max_position_embeddings": max_pos,
        "max_window_layers": layers,
        "model_type": "qwen2",
        "num_attention_heads": heads,
        "num_hidden_layers": layers,
        "num_key_value_heads": kv,
        "rms_norm_eps": eps,
        "rope_scaling": None,
        "rope_theta": rope_theta,
        "sliding_window": max_pos,
        "tie_word_embeddings": tied,
        "torch_dtype": "float32",
        "use_cache": True,
        "use_sliding_window": False,
        "vocab_size": vocab,
    }


# name -> (config, weight seed, input seed)
SPECS = {
    # (a) GQA 4 query heads over 2 kv heads, separate lm_head
    "llama-gqa": (llama_config(hidden=64, inter=128, layers=2, heads=4, kv=2, vocab=97, tied=False), 1001, 2001),
    # (b) tied embeddings, llama3 rope scaling, MQA (1 kv head). 2 heads -> head_dim 32 (16 frequencies);
    # rope_theta 100 puts 4 frequencies in the smoothed "medium" band (wavelength between 16/4 and 16/1)
    # and 12 in the "divide by factor" band; with original_max_position_embeddings 16 no wavelength can be
    # below 4 (the shortest is 2*pi), so the unchanged band is empty.
    "llama-tied-rope3": (llama_config(hidden=64, inter=96, layers=2, heads=2, kv=1, vocab=97, tied=True,
                                      rope_theta=100.0, max_pos=64,
                                      rope_scaling={"factor": 8.0, "high_freq_factor": 4.0, "low_freq_factor": 1.0,
                                                    "original_max_position_embeddings": 16,
                                                    "rope_type": "llama3"}), 1002, 2002),
    # (c) qwen2: q/k/v biases (o_proj none), tied, theta 1e6
    "qwen2": (qwen2_config(hidden=64, inter=96, layers=2, heads=4, kv=2, vocab=97, tied=True,
                           rope_theta=1000000.0), 1003, 2003),
    # (d) mistral: llama math, sliding_window null
    "mistral": (mistral_config(hidden=64, inter=80, layers=2, heads=4, kv=2, vocab=97, tied=False,
                               rope_theta=1000000.0), 1004, 2004),
    # (e) explicit head_dim 32 with hidden 64 and 4 heads: q_proj 64 -> 128, o_proj 128 -> 64
    "llama-headdim": (llama_config(hidden=64, inter=32, layers=2, heads=4, kv=2, vocab=97, tied=True,
                                   head_dim=32), 1005, 2005),
}


def make_weights(cfg_dict, seed):
    cfg = ref.Config(cfg_dict)
    shapes = ref.expected_shapes(cfg)
    g = torch.Generator().manual_seed(seed)
    w = {}
    for name, shape in shapes.items():  # dict order is deterministic
        if "layernorm" in name or name == "model.norm.weight":
            w[name] = 1.0 + 0.1 * torch.randn(shape, generator=g)
        elif name.endswith(".bias"):
            w[name] = 0.1 * torch.randn(shape, generator=g)
        else:  # [out, in] linear weights and [vocab, hidden] embeddings: std 1/sqrt(in)
            w[name] = torch.randn(shape, generator=g) / shape[-1] ** 0.5
    return {k: v.float().contiguous() for k, v in w.items()}


def make_inputs(vocab, seed):
    g = torch.Generator().manual_seed(seed)
    ids = torch.randint(3, vocab, (2, SEQ_LEN), generator=g)  # avoid pad/bos/eos ids
    mask = torch.ones(2, SEQ_LEN, dtype=torch.long)
    ids[1, :PAD_LEN] = PAD_ID
    mask[1, :PAD_LEN] = 0
    return ids, mask


def f32(x):
    """A float32 value as text: 9 significant digits identify a float32 and read back exactly."""
    x = float(x)
    if x != x or x in (float("inf"), float("-inf")):
        raise ValueError("non-finite value in golden data")
    s = "%.9g" % x
    assert struct.unpack("<f", struct.pack("<f", float(s)))[0] == x
    return s


def dump_json(obj):
    """json.dumps, tensors written as nested lists with one innermost row per line (floats as f32())."""
    tensors = []

    def prep(o):
        if isinstance(o, torch.Tensor) and o.dim() > 0:
            tensors.append(o.float() if o.is_floating_point() else o.long())
            return f"@@T{len(tensors) - 1}@@"
        if isinstance(o, torch.Tensor):
            return o.item()
        if isinstance(o, dict):
            return {k: prep(v) for k, v in o.items()}
        if isinstance(o, list):
            return [prep(v) for v in o]
        return o

    def fmt(t, indent):
        if t.dim() == 1:
            num = f32 if t.is_floating_point() else str
            return "[" + ", ".join(num(v) for v in t.tolist()) + "]"
        pad = " " * (indent + 2)
        return "[\n" + ",\n".join(pad + fmt(r, indent + 2) for r in t) + "\n" + " " * indent + "]"

    text = json.dumps(prep(obj), indent=2)
    lines = []
    for line in text.split("\n"):
        if "\"@@T" in line:
            pre, rest = line.split("\"@@T", 1)
            idx, post = rest.split("@@\"", 1)
            indent = len(line) - len(line.lstrip(" "))
            line = pre + fmt(tensors[int(idx)], indent) + post
        lines.append(line)
    return "\n".join(lines) + "\n"


def compute_golden(name, folder, weight_seed, input_seed):
    model = ref.load_model(folder)
    cfg = model.cfg
    ids, mask = make_inputs(cfg.vocab_size, input_seed)
    pos = ref.positions_from_mask(mask)
    logits = model.forward(ids, mask, pos)                          # [2, 9, V]
    singles, consistency = [], {}
    for row in range(2):
        real = ids[row][mask[row].bool()]
        alone = model.forward(real[None, :])[0]                      # [n, V]
        batched = logits[row][mask[row].bool()]
        d = (alone - batched).abs().max().item()
        consistency[f"row{row}_batched_vs_alone_max_abs_diff"] = d
        assert d <= CONSISTENCY_TOL, f"{name}: row {row} batched vs alone differ by {d}"
        singles.append({"row": row, "input_ids": real, "last_logits": alone[-1]})
    new, step_logits = ref.greedy_generate(model, ids[0:1], NEW_TOKENS, return_logits=True)
    new_c, step_logits_c = ref.greedy_generate(model, ids[0:1], NEW_TOKENS, use_cache=True, return_logits=True)
    assert torch.equal(new, new_c), f"{name}: KV-cache greedy differs from recompute greedy"
    dc = (step_logits - step_logits_c).abs().max().item()
    consistency["greedy_kv_cache_vs_recompute_max_abs_diff"] = dc
    assert dc <= CONSISTENCY_TOL, f"{name}: kv cache logits differ by {dc}"
    d0 = (step_logits[0, 0] - logits[0, -1]).abs().max().item()
    consistency["greedy_step0_vs_batch_row0_last_max_abs_diff"] = d0
    assert d0 <= CONSISTENCY_TOL
    top2 = torch.topk(step_logits[0], 2, dim=-1).values
    margin = (top2[:, 0] - top2[:, 1]).min().item()
    return {
        "format": "jtune-golden-v1",
        "model": name,
        "dtype": "float32",
        "pad_token_id": PAD_ID,
        "input_ids": ids,
        "attention_mask": mask,
        "position_ids": pos,
        "logits": logits,
        "single": singles,
        "greedy": {
            "prompt_ids": ids[0],
            "max_new_tokens": NEW_TOKENS,
            "new_tokens": new[0],
            "step_last_logits": step_logits[0],
            "min_top2_margin": margin,
        },
        "self_consistency": consistency,
        "padded_positions_note": (
            "logits at positions where attention_mask is 0 follow transformers' eager attention: every "
            "score of such a query row is float32 min, so its attention is uniform over all keys. "
            "They carry no meaning; tests should compare positions where attention_mask is 1."),
        "generator": {"script": "finetune/src/test/python/reference/make_golden.py",
                      "torch": torch.__version__, "weight_seed": weight_seed, "input_seed": input_seed},
    }


def compare_golden(name, expected, actual):
    """expected: parsed golden.json; actual: freshly computed (tensors). Returns max abs diff."""
    worst = 0.0
    for key in ("input_ids", "attention_mask", "position_ids"):
        assert expected[key] == actual[key].tolist(), f"{name}: {key} differs"
    assert expected["greedy"]["new_tokens"] == actual["greedy"]["new_tokens"].tolist(), f"{name}: greedy differs"
    pairs = [(expected["logits"], actual["logits"]),
             (expected["greedy"]["step_last_logits"], actual["greedy"]["step_last_logits"])]
    pairs += [(e["last_logits"], a["last_logits"]) for e, a in zip(expected["single"], actual["single"])]
    for e, a in pairs:
        worst = max(worst, (torch.tensor(e, dtype=torch.float32) - a).abs().max().item())
    return worst


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--check", action="store_true", help="recompute from the committed folders and compare")
    ap.add_argument("--only", action="append", help="model name (repeatable)")
    ap.add_argument("--out", default=GOLDEN_DIR)
    a = ap.parse_args()
    names = a.only or list(SPECS)
    failed = False
    for name in names:
        cfg_dict, wseed, iseed = SPECS[name]
        folder = os.path.join(a.out, name)
        if a.check:
            with open(os.path.join(folder, "golden.json")) as f:
                expected = json.load(f)
            golden = compute_golden(name, folder, wseed, expected["generator"]["input_seed"])
            d = compare_golden(name, expected, golden)
            ok = d <= CHECK_TOL
            failed |= not ok
            print(f"{name}: max abs diff vs committed golden.json {d:.3g} {'OK' if ok else 'DIFFERENT'}")
            continue
        os.makedirs(folder, exist_ok=True)
        with open(os.path.join(folder, "config.json"), "w") as f:
            f.write(json.dumps(cfg_dict, indent=2, sort_keys=True) + "\n")
        ref.write_safetensors(os.path.join(folder, "model.safetensors"), make_weights(cfg_dict, wseed),
                              metadata={"format": "pt"})
        for k in range(SEED_TRIES):  # first input seed whose greedy steps have no near-tie
            golden = compute_golden(name, folder, wseed, iseed + 100 * k)
            if golden["greedy"]["min_top2_margin"] >= MIN_MARGIN:
                break
        else:
            raise SystemExit(f"{name}: no input seed without a greedy near-tie")
        text = dump_json(golden)
        with open(os.path.join(folder, "golden.json"), "w") as f:
            f.write(text)
        # the file must read back to exactly the computed float32 values
        assert compare_golden(name, json.loads(text), golden) == 0.0
        size = sum(os.path.getsize(os.path.join(folder, x)) for x in os.listdir(folder))
        sc = golden["self_consistency"]
        print(f"{name}: {size / 1024:.0f} KiB, greedy {golden['greedy']['new_tokens'].tolist()}, "
              f"margin {golden['greedy']['min_top2_margin']:.3g}, "
              f"self-consistency max {max(sc.values()):.3g}")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
