"""Golden training runs for jtune's trainer (finetune/src/main/java/io/jtune/finetune/train).

    /tmp/venv-peft/bin/python finetune/src/test/python/train/make_train_golden.py

(the virtualenv of finetune/src/test/python/lora/make_lora_golden.py: torch, transformers, peft).

A plain PyTorch loop over a PEFT model, written out step by step so that every choice is visible:
for each case in CASES it loads a tiny golden model (finetune/src/test/resources/golden), attaches a
LoRA adapter (PEFT's default init: A Kaiming-uniform, B zeros, drawn from torch.manual_seed(seed)),
saves that initial adapter, and trains it on the examples below:

  * micro-batches of `batch` consecutive examples, right-padded with pad id 0 (labels -100 and
    attention mask 0 on padding), taken in order and cycling over the examples (no shuffling);
  * `accum` micro-batches per optimizer step; the step's loss is the sum of the token
    cross-entropies over the target tokens (labels != -100, shifted by one as transformers does)
    of all its micro-batches, divided by their total count; each micro-batch backpropagates its
    share (its sum / the step's total count), so the accumulated gradient is that of the step's loss;
  * global L2 gradient clipping to max_grad_norm (torch.nn.utils.clip_grad_norm_), the norm recorded
    before clipping;
  * torch.optim.AdamW(lr, betas, eps, weight_decay) over the trained tensors, without weight decay
    on biases and norm weights as transformers' Trainer groups them;
  * transformers' get_{linear,cosine,constant}_schedule_with_warmup, stepped after each optimizer
    step (so with warmup the first step runs at lr 0, as in transformers' Trainer).

A case with method "full" trains every parameter of the model itself (no adapter).

Writes finetune/src/test/resources/train/<case>/: adapter-init/ (the PEFT folder the run starts
from), adapter-final/ (after the last step), for LoRA cases, and golden.json:

  examples        [{"input_ids": [...], "labels": [...]}]
  config          the settings above
  steps           [{"step": 1.., "loss", "grad_norm", "lr"}]   lr = the rate the step used
  final_logits    logits of examples[0] after training (eval mode)

Floats are float32 values written with 9 significant digits.
"""

import json
import math
import re
import os
import shutil

import torch
import transformers
import peft
from peft import LoraConfig, get_peft_model
from transformers import AutoModelForCausalLM, get_constant_schedule_with_warmup, get_cosine_schedule_with_warmup, \
    get_linear_schedule_with_warmup

HERE = os.path.dirname(os.path.abspath(__file__))
RESOURCES = os.path.normpath(os.path.join(HERE, "..", "..", "resources"))
GOLDEN = os.path.join(RESOURCES, "golden")
OUT = os.path.join(RESOURCES, "train")

CASES = {
    # accumulation over uneven micro-batches (different target counts), linear warmup/decay, clipping
    "lora-accum-linear": dict(model="llama-gqa", seed=21, r=4, alpha=8, targets=["q_proj", "v_proj"],
                              batch=2, accum=2, steps=20, lr=2e-2, schedule="linear", warmup=3,
                              weight_decay=0.01, betas=(0.9, 0.999), eps=1e-8, max_grad_norm=1.0, n_examples=12),
    # one micro-batch per step, cosine, no warmup, rsLoRA on all linear layers, tight clipping
    "lora-cosine-rslora": dict(model="qwen2", seed=22, r=2, alpha=4, targets="all-linear", rslora=True,
                               batch=3, accum=1, steps=12, lr=1e-2, schedule="cosine", warmup=0,
                               weight_decay=0.0, betas=(0.8, 0.95), eps=1e-6, max_grad_norm=0.5, n_examples=9),
    # full fine-tuning of every weight of a model with tied embeddings (the head's gradient reaches the embedding)
    "full-tied": dict(model="llama-tied-rope3", seed=23, method="full", batch=2, accum=2, steps=6, lr=3e-3,
                      schedule="linear", warmup=1, weight_decay=0.1, betas=(0.9, 0.999), eps=1e-8,
                      max_grad_norm=1.0, n_examples=8),
}


def f32(x):
    return float(f"{float(x):.9g}")


def examples(n, vocab, seed):
    """n examples of 4..11 random token ids (1..vocab-1); the first 1..3 tokens are the 'prompt'
    (label -100), the rest the completion."""
    g = torch.Generator().manual_seed(seed)
    out = []
    for _ in range(n):
        length = int(torch.randint(4, 12, (1,), generator=g))
        ids = torch.randint(1, vocab, (length,), generator=g).tolist()
        prompt = int(torch.randint(1, 4, (1,), generator=g))
        labels = [-100] * prompt + ids[prompt:]
        out.append({"input_ids": ids, "labels": labels})
    return out


def micro_batch(rows):
    t = max(len(r["input_ids"]) for r in rows)
    ids = [r["input_ids"] + [0] * (t - len(r["input_ids"])) for r in rows]
    labels = [r["labels"] + [-100] * (t - len(r["labels"])) for r in rows]
    mask = [[1] * len(r["input_ids"]) + [0] * (t - len(r["input_ids"])) for r in rows]
    return torch.tensor(ids), torch.tensor(labels), torch.tensor(mask)


def token_loss_sum(logits, labels):
    shift_logits = logits[:, :-1, :].reshape(-1, logits.shape[-1])
    shift_labels = labels[:, 1:].reshape(-1)
    return torch.nn.functional.cross_entropy(shift_logits, shift_labels, ignore_index=-100, reduction="sum"), \
        int((shift_labels != -100).sum())


def schedule(kind, optimizer, warmup, steps):
    if kind == "linear":
        return get_linear_schedule_with_warmup(optimizer, warmup, steps)
    if kind == "cosine":
        return get_cosine_schedule_with_warmup(optimizer, warmup, steps)
    return get_constant_schedule_with_warmup(optimizer, warmup)


def run(case, spec):
    out_dir = os.path.join(OUT, case)
    if os.path.isdir(out_dir):
        shutil.rmtree(out_dir)
    os.makedirs(out_dir)
    model_dir = os.path.join(GOLDEN, spec["model"])
    base = AutoModelForCausalLM.from_pretrained(model_dir, dtype=torch.float32, attn_implementation="eager")
    torch.manual_seed(spec["seed"])
    full = spec.get("method") == "full"
    if full:
        model = base  # every parameter trainable (transformers' default); tied weights appear once
    else:
        cfg = LoraConfig(task_type="CAUSAL_LM", r=spec["r"], lora_alpha=spec["alpha"], lora_dropout=0.0,
                         target_modules=spec["targets"], use_rslora=spec.get("rslora", False))
        model = get_peft_model(base, cfg)
        save(model, os.path.join(out_dir, "adapter-init"), spec["model"])
    model.train()  # dropout is 0, so train and eval mode compute the same

    data = examples(spec["n_examples"], base.config.vocab_size, spec["seed"])
    params = [p for p in model.parameters() if p.requires_grad]
    # transformers' Trainer (get_decay_parameter_names): no weight decay on biases and norm weights
    named = [(n, p) for n, p in model.named_parameters() if p.requires_grad]
    exempt = [p for n, p in named if re.search(r"bias|layernorm|rmsnorm|(?:^|\.)norm(?:$|\.)|_norm(?:$|\.)", n.lower())]
    decay = [p for n, p in named if all(p is not q for q in exempt)]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": spec["weight_decay"]},
                             {"params": exempt, "weight_decay": 0.0}],
                            lr=spec["lr"], betas=spec["betas"], eps=spec["eps"])
    sched = schedule(spec["schedule"], opt, spec["warmup"], spec["steps"])
    steps = []
    cursor = 0
    for step in range(1, spec["steps"] + 1):
        batches = []
        for _ in range(spec["accum"]):
            rows = [data[(cursor + i) % len(data)] for i in range(spec["batch"])]
            cursor = (cursor + spec["batch"]) % len(data)
            batches.append(micro_batch(rows))
        total = sum(int((lab[:, 1:] != -100).sum()) for _, lab, _ in batches)
        loss_sum = 0.0
        for ids, labels, mask in batches:
            logits = model(input_ids=ids, attention_mask=mask).logits
            s, _ = token_loss_sum(logits, labels)
            (s / total).backward()
            loss_sum += s.item()
        norm = torch.nn.utils.clip_grad_norm_(params, spec["max_grad_norm"])
        lr = opt.param_groups[0]["lr"]
        opt.step()
        sched.step()
        opt.zero_grad(set_to_none=True)
        steps.append({"step": step, "loss": f32(loss_sum / total), "grad_norm": f32(norm), "lr": f32(lr),
                      "target_tokens": total})
    model.eval()
    if not full:
        save(model, os.path.join(out_dir, "adapter-final"), spec["model"])
    with torch.no_grad():
        final = model(input_ids=torch.tensor([data[0]["input_ids"]])).logits[0]
    config = {k: (list(v) if isinstance(v, tuple) else v) for k, v in spec.items()}
    golden = {
        "format": "jtune-train-golden-v1",
        "config": config,
        "examples": data,
        "steps": steps,
        "final_logits": [[f32(v) for v in row] for row in final.tolist()],
        "generator": f"make_train_golden.py, torch {torch.__version__}, transformers {transformers.__version__}, "
                     f"peft {peft.__version__}",
    }
    with open(os.path.join(out_dir, "golden.json"), "w") as f:
        json.dump(golden, f, indent=1)
    print(f"{case}: loss {steps[0]['loss']} -> {steps[-1]['loss']} over {len(steps)} steps")


def save(model, folder, model_name):
    model.save_pretrained(folder)
    card = os.path.join(folder, "README.md")
    if os.path.exists(card):
        os.remove(card)
    path = os.path.join(folder, "adapter_config.json")
    with open(path) as f:
        config = json.load(f)
    config["base_model_name_or_path"] = model_name
    if isinstance(config.get("target_modules"), list):
        config["target_modules"] = sorted(config["target_modules"])
    with open(path, "w") as f:
        json.dump(config, f, indent=2, sort_keys=True)
        f.write("\n")


if __name__ == "__main__":
    for name, spec in CASES.items():
        run(name, spec)
