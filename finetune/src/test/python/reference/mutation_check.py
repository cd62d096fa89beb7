"""Shows that the golden files catch the usual decoder mistakes.

    /usr/bin/python3 finetune/src/test/python/reference/mutation_check.py [golden folders...]

For each golden folder, re-runs the reference with one deliberate mistake at a time (interleaved
RoPE, llama3 scaling ignored, wrong rope_theta, kv heads repeated in the wrong order, biases
dropped, no causal mask, wrong softmax scale, RMSNorm eps outside the square root) and prints the max abs logit difference from golden.json at real
(attention_mask = 1) positions, and whether the greedy continuation changes. A mistake whose
difference stays near 1e-6 would slip past a Java test with tolerance 1e-4: every applicable row
should be far above that.

Not in the list: position ids of a left-padded row left unshifted (0..8 instead of starting at 0 on
the first real token). RoPE scores depend only on the distance i - j, so a constant offset changes
the logits by rounding only (~1e-6): no logits test can see it, and it does not matter.
"""

import contextlib
import json
import os
import sys

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import reference_llama as ref  # noqa: E402

GOLDEN_DIR = os.path.normpath(os.path.join(HERE, "..", "..", "resources", "golden"))


def _interleaved(x, cos, sin):
    # GPT-J / Meta-checkpoint style: pairs (2i, 2i+1) rotated by frequency i
    half = x.shape[-1] // 2
    c = cos[:, None, :, :half].repeat_interleave(2, -1).to(x.dtype)
    s = sin[:, None, :, :half].repeat_interleave(2, -1).to(x.dtype)
    rot = torch.stack((-x[..., 1::2], x[..., 0::2]), dim=-1).flatten(-2)
    return x * c + rot * s


def _tile_kv(x, n_rep):
    return x if n_rep == 1 else x.repeat(1, n_rep, 1, 1)


def _no_causal(attention_mask, q_len, past_len, dtype):
    b, t = attention_mask.shape
    m = torch.zeros(b, 1, q_len, t, dtype=dtype)
    return m.masked_fill(~attention_mask.bool()[:, None, None, :], torch.finfo(dtype).min)


def _eps_outside(x, weight, eps):
    h = x.float()
    return weight * (h / (h.pow(2).mean(-1, keepdim=True).sqrt() + eps)).to(x.dtype)


MUTATIONS = {
    "rope interleaved": dict(patch={"apply_rope": _interleaved}),
    "rope scaling ignored": dict(cfg=lambda c: setattr(c, "rope_type", "default"),
                                 applies=lambda c: c.rope_type != "default"),
    "rope_theta 10000 assumed": dict(cfg=lambda c: setattr(c, "rope_theta", 10000.0),
                                     applies=lambda c: c.rope_theta != 10000.0),
    "kv heads tiled (h % kv)": dict(patch={"repeat_kv": _tile_kv},
                                    applies=lambda c: 1 < c.num_key_value_heads < c.num_attention_heads),
    "q/k/v bias dropped": dict(weights=lambda w: {k: v for k, v in w.items() if not k.endswith("_proj.bias")},
                               applies=lambda c: c.qkv_bias, cfg=lambda c: setattr(c, "qkv_bias", False)),
    "no causal mask": dict(patch={"additive_mask": _no_causal}),
    "softmax scale 1/sqrt(hidden)": dict(cfg=lambda c: setattr(c, "head_dim_scale_bug", True)),
    # subtle: changes the result by about eps relative; shown, not required to stand out
    "rms eps outside sqrt": dict(patch={"rms_norm": _eps_outside}, subtle=True),
}


@contextlib.contextmanager
def patched(names):
    saved = {k: getattr(ref, k) for k in names}
    try:
        for k, v in names.items():
            setattr(ref, k, v)
        yield
    finally:
        for k, v in saved.items():
            setattr(ref, k, v)


def run(folder, golden, mutation):
    cfg = ref.Config.load(folder)
    weights = ref.read_model_weights(folder)
    if "applies" in mutation and not mutation["applies"](cfg):
        return None
    if "cfg" in mutation:
        mutation["cfg"](cfg)
    if "weights" in mutation:
        weights = mutation["weights"](weights)
    with patched(mutation.get("patch", {})):
        model = ref.Model(cfg, weights)
        if getattr(cfg, "head_dim_scale_bug", False):
            # scores * hidden^-0.5 instead of head_dim^-0.5: fold the ratio into q_proj
            for i in range(cfg.num_hidden_layers):
                key = f"model.layers.{i}.self_attn.q_proj.weight"
                model.w[key] = model.w[key] * (cfg.head_dim / cfg.hidden_size) ** 0.5
        ids = torch.tensor(golden["input_ids"])
        mask = torch.tensor(golden["attention_mask"])
        logits = model.forward(ids, mask)
        expected = torch.tensor(golden["logits"])
        real = mask.bool()
        diff = (logits[real] - expected[real]).abs().max().item()
        new = ref.greedy_generate(model, ids[0:1], len(golden["greedy"]["new_tokens"]))[0].tolist()
    return diff, new != golden["greedy"]["new_tokens"]


def main(folders):
    if not folders:
        folders = [os.path.join(GOLDEN_DIR, d) for d in sorted(os.listdir(GOLDEN_DIR))]
    names = [os.path.basename(f.rstrip("/")) for f in folders]
    print("| mistake | " + " | ".join(names) + " |")
    print("|---" * (len(names) + 1) + "|")
    results = {}
    for f in folders:
        with open(os.path.join(f, "golden.json")) as fh:
            golden = json.load(fh)
        results[f] = {m: run(f, golden, spec) for m, spec in MUTATIONS.items()}
    for m in MUTATIONS:
        cells = []
        for f in folders:
            r = results[f][m]
            cells.append("n/a" if r is None else f"{r[0]:.2g}{' (greedy changes)' if r[1] else ''}")
        print(f"| {m} | " + " | ".join(cells) + " |")
    worst = min(r[0] for f in folders for m, r in results[f].items()
                if r is not None and not MUTATIONS[m].get("subtle"))
    print(f"\nsmallest difference over the non-subtle mistakes: {worst:.3g} (required > 1e-2)")
    return 0 if worst > 1e-2 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
