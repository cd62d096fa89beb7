"""The real readers judge a jtune export (run by ExportInteropIT; needs torch, transformers, gguf).

    python check_export.py --hf DIR --expected expected.json [--gguf FILE ...]

- transformers loads the Hugging Face folder as a normal model; its logits on the expected.json
  token ids must match jtune's (stored there) within --tol (1e-4 for f32).
- the gguf package reads every tensor of each GGUF file; each must equal the Hugging Face weight
  it came from (q/k rows permuted to llama.cpp's interleaved rope layout by this script's own
  permute) exactly as the type holds it: as is for F32, rounded by numpy for F16, and through the
  gguf package's own (ggml-exact) quantizer for Q8_0 and Q4_0.
Prints one line per check and exits 1 on the first mismatch.
"""
import argparse
import json
import sys

import numpy as np


def fail(msg):
    print("FAIL " + msg)
    sys.exit(1)


def check_hf(folder, expected, tol):
    import torch
    from transformers import AutoModelForCausalLM

    model = AutoModelForCausalLM.from_pretrained(folder, dtype=torch.float32)
    model.eval()
    ids = torch.tensor([expected["ids"]])
    with torch.no_grad():
        logits = model(ids).logits[0].numpy()
    want = np.array(expected["logits"], dtype=np.float32).reshape(logits.shape)
    diff = float(np.abs(logits - want).max())
    print(f"hf {folder}: transformers {model.__class__.__name__}, largest logit difference {diff:.3g}")
    if not diff <= tol:
        fail(f"transformers' logits differ from jtune's by {diff} (tolerance {tol})")


def permute(w, n_head):
    """Hugging Face's rotate-half rows of q or k to llama.cpp's interleaved pairs (its converter's permute)."""
    d = w.shape[0] // n_head
    return w.reshape(n_head, 2, d // 2, *w.shape[1:]).swapaxes(1, 2).reshape(w.shape)


def hf_name(g):
    fixed = {"token_embd.weight": "model.embed_tokens.weight", "output_norm.weight": "model.norm.weight",
             "output.weight": "lm_head.weight"}
    if g in fixed:
        return fixed[g]
    parts = g.split(".")
    layer, kind = parts[1], parts[2]
    names = {"attn_norm": "input_layernorm", "attn_q": "self_attn.q_proj", "attn_k": "self_attn.k_proj",
             "attn_v": "self_attn.v_proj", "attn_output": "self_attn.o_proj", "ffn_norm": "post_attention_layernorm",
             "ffn_gate": "mlp.gate_proj", "ffn_up": "mlp.up_proj", "ffn_down": "mlp.down_proj"}
    return f"model.layers.{layer}.{names[kind]}.weight"


def check_gguf(path, folder):
    import gguf
    from safetensors.numpy import load_file

    config = json.load(open(folder + "/config.json"))
    hf = load_file(folder + "/model.safetensors")
    r = gguf.GGUFReader(path)
    arch = bytes(r.fields["general.architecture"].parts[-1]).decode()
    if arch != "llama":
        fail(f"{path}: general.architecture is {arch}")
    worst = 0.0
    for t in r.tensors:
        name = hf_name(t.name)
        if name not in hf:
            fail(f"{path}: tensor {t.name} ({name}) is not in the Hugging Face folder")
        want = hf[name]
        if ".attn_q." in t.name:
            want = permute(want, config["num_attention_heads"])
        elif ".attn_k." in t.name:
            want = permute(want, config["num_key_value_heads"])
        kind = t.tensor_type
        got = gguf.quants.dequantize(t.data, kind).astype(np.float32).reshape(want.shape)
        # what this type holds of the source, computed by the gguf package's own quantizers
        if kind.name == "F32":
            ref = want
        elif kind.name == "F16":
            ref = want.astype(np.float16).astype(np.float32)
        else:
            ref = gguf.quants.dequantize(gguf.quants.quantize(want, kind), kind).astype(np.float32).reshape(want.shape)
        if not np.array_equal(got, ref):
            fail(f"{path}: {t.name} ({kind.name}) is not {name} as {kind.name} holds it: largest difference "
                 f"{float(np.abs(got - ref).max())}")
        worst = max(worst, float(np.abs(got - want).max()))
    tied = "lm_head.weight" not in hf
    print(f"gguf {path}: {len(r.tensors)} tensors read back, largest difference {worst:.3g}"
          f"{' (tied head: no output.weight)' if tied else ''}")


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--hf", required=True)
    p.add_argument("--expected", required=True)
    p.add_argument("--gguf", nargs="*", default=[])
    p.add_argument("--tol", type=float, default=1e-4)
    a = p.parse_args()
    expected = json.load(open(a.expected))
    check_hf(a.hf, expected, a.tol)
    for g in a.gguf:
        check_gguf(g, a.hf)
    print("PASS")


if __name__ == "__main__":
    main()
