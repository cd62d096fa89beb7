"""Checks the reference decoder and the golden files against Hugging Face transformers.

    python3 -m venv /tmp/venv-ref
    /tmp/venv-ref/bin/pip install torch transformers safetensors      # CPU torch
    /tmp/venv-ref/bin/python finetune/src/test/python/reference/check_against_transformers.py

Not part of any build: the golden files are produced by make_golden.py with Debian's torch only;
this script is the one-off proof (re-run it when the reference changes) that they are what
transformers computes. For each folder under finetune/src/test/resources/golden/ it:

  1. loads the folder with AutoModelForCausalLM.from_pretrained(folder, dtype=float32), eager and
     sdpa attention, and checks the loaded config (head_dim, kv heads, rope type/theta, tying);
  2. compares transformers' inv_freq with reference_llama.rope_inv_freq;
  3. runs golden.json's batch (input_ids, attention_mask, position_ids) and compares the logits with
     golden.json: all positions for eager, real positions (attention_mask = 1) for sdpa;
  4. runs each row alone unpadded and compares its last-position logits;
  5. greedy: transformers' own forward + argmax loop (no cache) and model.generate(do_sample=False)
     with eos disabled, compared token for token, and the step logits compared;
  6. runs reference_llama itself under this (newer) torch and compares with transformers' eager
     logits (same torch, same BLAS) and with golden.json; and loads the folder that transformers
     re-saved (transformers 5 config format: rope_parameters, dtype) with the reference;
  7. checks the hand-written safetensors reader/writer against the safetensors package (reading
     the golden file both ways, and reading a file that transformers' save_pretrained wrote).

Prints one Markdown table (max abs differences) and exits non-zero when any difference exceeds
TOL or a greedy continuation differs.
"""

import json
import os
import sys
import tempfile

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import reference_llama as ref  # noqa: E402

GOLDEN_DIR = os.path.normpath(os.path.join(HERE, "..", "..", "resources", "golden"))
TOL = 1e-5


def maxdiff(a, b):
    return (torch.as_tensor(a, dtype=torch.float32) - torch.as_tensor(b, dtype=torch.float32)).abs().max().item()


def hf_load(folder, attn):
    from transformers import AutoModelForCausalLM
    try:
        m = AutoModelForCausalLM.from_pretrained(folder, dtype=torch.float32, attn_implementation=attn)
    except TypeError:  # transformers 4.x spells it torch_dtype
        m = AutoModelForCausalLM.from_pretrained(folder, torch_dtype=torch.float32, attn_implementation=attn)
    return m.eval()


def hf_rope(model):
    for name, buf in model.named_buffers():
        if name.endswith("rotary_emb.inv_freq"):
            return buf
    raise RuntimeError("no rotary_emb.inv_freq buffer")


@torch.no_grad()
def check_folder(folder):
    from safetensors.torch import load_file, save_file
    name = os.path.basename(folder)
    with open(os.path.join(folder, "golden.json")) as f:
        g = json.load(f)
    ids = torch.tensor(g["input_ids"])
    mask = torch.tensor(g["attention_mask"])
    pos = torch.tensor(g["position_ids"])
    real = mask.bool()
    expected = torch.tensor(g["logits"])
    row = {"model": name}
    problems = []

    eager = hf_load(folder, "eager")
    sdpa = hf_load(folder, "sdpa")
    cfg = ref.Config.load(folder)
    hc = eager.config
    rope_params = getattr(hc, "rope_parameters", None) or {}
    loaded = {
        "head_dim": getattr(hc, "head_dim", None) or hc.hidden_size // hc.num_attention_heads,
        "num_key_value_heads": hc.num_key_value_heads,
        "rope_theta": rope_params.get("rope_theta", getattr(hc, "rope_theta", None)),
        "rope_type": rope_params.get("rope_type", (getattr(hc, "rope_scaling", None) or {}).get("rope_type", "default")),
        "tied": eager.lm_head.weight.data_ptr() == eager.get_input_embeddings().weight.data_ptr(),
    }
    mine = {"head_dim": cfg.head_dim, "num_key_value_heads": cfg.num_key_value_heads,
            "rope_theta": cfg.rope_theta, "rope_type": cfg.rope_type, "tied": cfg.tie_word_embeddings}
    if loaded != mine:
        problems.append(f"config read differently: transformers {loaded}, reference {mine}")

    row["inv_freq"] = maxdiff(hf_rope(eager), ref.rope_inv_freq(cfg))

    out_e = eager(input_ids=ids, attention_mask=mask, position_ids=pos).logits
    out_s = sdpa(input_ids=ids, attention_mask=mask, position_ids=pos).logits
    row["eager, all positions"] = maxdiff(out_e, expected)
    row["eager, real positions"] = maxdiff(out_e[real], expected[real])
    row["sdpa, real positions"] = maxdiff(out_s[real], expected[real])
    row["sdpa, padded positions (info)"] = maxdiff(out_s[~real], expected[~real])

    d = 0.0
    for single in g["single"]:
        hf_single = eager(input_ids=torch.tensor([single["input_ids"]])).logits[0, -1]
        d = max(d, maxdiff(hf_single, single["last_logits"]))
    row["single rows, last logits"] = d

    prompt = torch.tensor([g["greedy"]["prompt_ids"]])
    n_new = g["greedy"]["max_new_tokens"]
    seq, step_logits = prompt, []
    for _ in range(n_new):
        last = eager(input_ids=seq).logits[:, -1, :]
        step_logits.append(last[0])
        seq = torch.cat((seq, last.argmax(-1, keepdim=True)), dim=1)
    loop_tokens = seq[0, prompt.shape[1]:].tolist()
    row["greedy step logits"] = maxdiff(torch.stack(step_logits), g["greedy"]["step_last_logits"])
    eager.generation_config.eos_token_id = None
    eager.generation_config.pad_token_id = 0
    gen = eager.generate(prompt, attention_mask=torch.ones_like(prompt), do_sample=False,
                         max_new_tokens=n_new, min_new_tokens=n_new)
    gen_tokens = gen[0, prompt.shape[1]:].tolist()
    row["greedy tokens"] = "same" if loop_tokens == gen_tokens == g["greedy"]["new_tokens"] else \
        f"DIFFER golden {g['greedy']['new_tokens']} loop {loop_tokens} generate {gen_tokens}"
    if row["greedy tokens"] != "same":
        problems.append(row["greedy tokens"])

    model = ref.load_model(folder)
    mine_now = model.forward(ids, mask, pos)
    row["reference vs eager, same torch"] = maxdiff(mine_now, out_e)
    row["reference under this torch vs golden"] = maxdiff(mine_now, expected)
    row["max |logit| (info)"] = expected.abs().max().item()

    # safetensors reader/writer against the safetensors package
    st = os.path.join(folder, "model.safetensors")
    theirs = load_file(st)
    ours = ref.read_safetensors(st)[0]
    assert sorted(theirs) == sorted(ours) and all(torch.equal(theirs[k], ours[k]) for k in ours), "reader"
    with tempfile.TemporaryDirectory() as tmp:
        save_file(ours, os.path.join(tmp, "lib.safetensors"), metadata={"format": "pt"})
        ref.write_safetensors(os.path.join(tmp, "mine.safetensors"), ours, metadata={"format": "pt"})
        with open(os.path.join(tmp, "lib.safetensors"), "rb") as a, open(os.path.join(tmp, "mine.safetensors"), "rb") as b:
            row["safetensors bytes"] = "identical" if a.read() == b.read() else "differ (both load)"
        eager.save_pretrained(os.path.join(tmp, "hf"))
        hf_written = ref.read_model_weights(os.path.join(tmp, "hf"))
        hf_written.pop("lm_head.weight", None) if cfg.tie_word_embeddings else None
        assert sorted(hf_written) == sorted(ours), (sorted(set(hf_written) ^ set(ours)))
        assert all(torch.equal(hf_written[k], ours[k]) for k in ours), "save_pretrained round trip"
        with open(os.path.join(tmp, "hf", "config.json")) as f:
            row["hf_config_keys"] = sorted(json.load(f))
        # the reference reads transformers 5's config format (rope_parameters, dtype) the same way
        resaved = ref.load_model(os.path.join(tmp, "hf"))
        row["reference on a transformers-5 re-save"] = maxdiff(resaved.forward(ids, mask, pos), mine_now)

    for k, v in row.items():
        if isinstance(v, float) and "(info)" not in k and v > TOL:
            problems.append(f"{k}: {v:.3g} > {TOL}")
    return row, problems


def main():
    import transformers
    transformers.utils.logging.disable_progress_bar()
    folders = sys.argv[1:] or [os.path.join(GOLDEN_DIR, d) for d in sorted(os.listdir(GOLDEN_DIR))]
    print(f"transformers {transformers.__version__}, torch {torch.__version__}, reference "
          f"golden files written with the torch recorded in each golden.json")
    rows, all_problems = [], []
    for f in folders:
        row, problems = check_folder(f)
        rows.append(row)
        all_problems += [f"{row['model']}: {p}" for p in problems]
    cols = [k for k in rows[0] if k not in ("model", "hf_config_keys")]
    print("\n| model | " + " | ".join(cols) + " |")
    print("|---" * (len(cols) + 1) + "|")
    for r in rows:
        cells = [f"{r[c]:.3g}" if isinstance(r[c], float) else str(r[c]) for c in cols]
        print(f"| {r['model']} | " + " | ".join(cells) + " |")
    print()
    for r in rows:
        print(f"{r['model']}: keys transformers {transformers.__version__} writes: {', '.join(r['hf_config_keys'])}")
    if all_problems:
        print("\nPROBLEMS:\n  " + "\n  ".join(all_problems))
        return 1
    print(f"\nall differences <= {TOL}, greedy identical")
    return 0


if __name__ == "__main__":
    sys.exit(main())
