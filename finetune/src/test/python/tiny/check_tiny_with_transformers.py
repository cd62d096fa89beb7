"""Checks that Hugging Face transformers loads a TinyModels folder and agrees with jtune.

Usage (a venv with torch and transformers from the local mirror):
    ./jtune next-token MODEL_DIR --prompt "Payment terms say" --json > /tmp/next.json
    ./jtune generate MODEL_DIR --prompt "Payment terms say" --max-new-tokens 8 --print-ids
    python check_tiny_with_transformers.py MODEL_DIR "Payment terms say" /tmp/next.json

It prints transformers' prompt ids (compare with the "prompt ids" jtune printed), the largest
difference between jtune's and transformers' next-token logits, the chat template rendering, and
transformers' greedy continuation (compare with jtune's "new ids").

Result on 2026-11-22 (transformers 5.18.0, torch 2.13.0+cpu; TinyModels TEST_QWEN2 and TEST_LLAMA, seed 3):
same prompt ids, max |logit diff| 1.5e-07, same greedy tokens, same chat rendering.
"""
import json
import sys

import torch
from transformers import AutoModelForCausalLM, AutoTokenizer


def main(folder, prompt, java_json):
    tok = AutoTokenizer.from_pretrained(folder)
    model = AutoModelForCausalLM.from_pretrained(folder, dtype=torch.float32).eval()
    ids = tok(prompt, add_special_tokens=True)["input_ids"]
    print("transformers prompt ids:", ids)
    with torch.no_grad():
        logits = model(torch.tensor([ids])).logits[0, -1]
    with open(java_json) as f:
        java = json.load(f)
    assert java["prompt_ids"] == ids, ("prompt ids differ", java["prompt_ids"], ids)
    jl = torch.zeros_like(logits)
    for e in java["next_token"]:
        jl[e["id"]] = e["logit"]
    print("max |logit diff| jtune vs transformers:", (jl - logits).abs().max().item())
    print("chat:", repr(tok.apply_chat_template([{"role": "user", "content": "Hi"}], tokenize=False,
                                                add_generation_prompt=True)))
    out = model.generate(torch.tensor([ids]), max_new_tokens=8, do_sample=False)
    print("transformers greedy new ids:", out[0, len(ids):].tolist())


if __name__ == "__main__":
    main(*sys.argv[1:4])
