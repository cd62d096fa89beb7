"""Golden values for jtune's LoRA (finetune/src/main/java/io/jtune/finetune/lora) from real PEFT.

    python3 -m venv /tmp/venv-peft
    /tmp/venv-peft/bin/pip install --index-url file:///opt/pypi/simple \
        --extra-index-url file:///opt/pypi-more/simple torch transformers peft safetensors
    /tmp/venv-peft/bin/python finetune/src/test/python/lora/make_lora_golden.py

Reads the tiny golden models in finetune/src/test/resources/golden and writes, under
finetune/src/test/resources/lora:

  <case>/adapter_config.json, <case>/adapter_model.safetensors   saved by PEFT's save_pretrained
  <case>/golden.json                                             what PEFT computed with it

for each case in CASES (a PEFT LoraConfig on a golden model, its adapter weights drawn by PEFT with
torch.manual_seed(seed) and init_lora_weights=False, so that B is not zero and the adapter changes
the logits). golden.json holds:

  trainable_params, all_params   PeftModel.get_nb_trainable_parameters()
  report                         the line print_trainable_parameters() prints
  saved_keys                     the tensor names of adapter_model.safetensors, sorted
  input_ids [1][9]               golden.json's first (unpadded) row
  logits [1][9][vocab]           the adapted model's logits (eval mode)
  base_logits [1][9][vocab]      the same with the adapter disabled (disable_adapter())
  loss                           causal LM loss with labels = input_ids (transformers shifts them)
  grads {name: [values]}         d loss / d each LoRA tensor (and modules_to_save copy), flattened
                                 row-major, under the names the tensors are saved with
  merged_logits                  logits after merge_and_unload() of a fresh copy

It also checks the folder that jtune wrote (finetune/src/test/resources/lora/jtune-written,
committed by LoraInteropTest when run with -Djtune.lora.writeGolden=true): PeftModel.from_pretrained
loads it and its logits go to jtune-written/peft_logits.json.

Floats are float32 values written with 9 significant digits (they read back exactly).
"""

import json
import os
import sys

import peft
import safetensors
import safetensors.torch
import torch
import transformers
from peft import LoraConfig, PeftModel, get_peft_model
from transformers import AutoModelForCausalLM

HERE = os.path.dirname(os.path.abspath(__file__))
RESOURCES = os.path.normpath(os.path.join(HERE, "..", "..", "resources"))
GOLDEN = os.path.join(RESOURCES, "golden")
OUT = os.path.join(RESOURCES, "lora")

CASES = {
    # the common recipe: attention q and v only
    "peft-qv": dict(model="llama-gqa", seed=11,
                    config=dict(r=4, lora_alpha=8, target_modules=["q_proj", "v_proj"], lora_dropout=0.0)),
    # every linear layer, rsLoRA scaling, and the LM head trained in full (modules_to_save)
    "peft-all-rslora": dict(model="llama-gqa", seed=12,
                            config=dict(r=2, lora_alpha=4, target_modules="all-linear", use_rslora=True,
                                        lora_dropout=0.0, modules_to_save=["lm_head"])),
    # a regex over full module names, on a model with tied embeddings and q/k/v biases
    "peft-regex-qwen2": dict(model="qwen2", seed=13,
                             config=dict(r=3, lora_alpha=5, target_modules=r".*\.(k_proj|o_proj|down_proj)",
                                         lora_dropout=0.0)),
}


def f32(x):
    return float(f"{float(x):.9g}")


def floats(t):
    return [f32(v) for v in t.detach().reshape(-1).tolist()]


def nested(t):
    if t.dim() == 1:
        return floats(t)
    return [nested(s) for s in t]


def load_base(name):
    return AutoModelForCausalLM.from_pretrained(os.path.join(GOLDEN, name), dtype=torch.float32,
                                                attn_implementation="eager").eval()


def input_ids(name):
    with open(os.path.join(GOLDEN, name, "golden.json")) as f:
        return torch.tensor([json.load(f)["input_ids"][0]])


def saved_name(param_name):
    """The name PEFT's get_peft_model_state_dict saves a parameter under (adapter name removed)."""
    return param_name.replace(".default.", ".").replace("modules_to_save.", "")


def tidy_saved_folder(out_dir, model_name):
    """Drops the model card save_pretrained writes and names the base model by its golden folder
    (save_pretrained records the absolute path it was loaded from)."""
    card = os.path.join(out_dir, "README.md")
    if os.path.exists(card):
        os.remove(card)
    path = os.path.join(out_dir, "adapter_config.json")
    with open(path) as f:
        config = json.load(f)
    config["base_model_name_or_path"] = model_name
    if isinstance(config.get("target_modules"), list):
        config["target_modules"] = sorted(config["target_modules"])  # PEFT keeps a set: its order varies by run
    with open(path, "w") as f:
        json.dump(config, f, indent=2, sort_keys=True)
        f.write("\n")


def make_case(case, spec):
    torch.manual_seed(spec["seed"])
    base = load_base(spec["model"])
    cfg = LoraConfig(task_type="CAUSAL_LM", init_lora_weights=False, **spec["config"])
    model = get_peft_model(base, cfg).eval()
    out_dir = os.path.join(OUT, case)
    os.makedirs(out_dir, exist_ok=True)
    model.save_pretrained(out_dir)
    tidy_saved_folder(out_dir, spec["model"])
    trainable, total = model.get_nb_trainable_parameters()
    ids = input_ids(spec["model"])

    out = model(input_ids=ids, labels=ids)
    out.loss.backward()
    grads = {saved_name(n): floats(p.grad) for n, p in model.named_parameters() if p.requires_grad}
    with torch.no_grad():
        logits = model(input_ids=ids).logits[0]
        with model.disable_adapter():
            base_logits = model(input_ids=ids).logits[0]

    with safetensors.safe_open(os.path.join(out_dir, "adapter_model.safetensors"), "pt") as f:
        keys = sorted(f.keys())
    missing = set(grads) - set(keys)
    if missing:
        sys.exit(f"{case}: gradient names not among the saved keys: {sorted(missing)}")

    merged_base = load_base(spec["model"])
    merged = PeftModel.from_pretrained(merged_base, out_dir).merge_and_unload().eval()
    with torch.no_grad():
        merged_logits = merged(input_ids=ids).logits[0]

    golden = {
        "format": "jtune-lora-golden-v1",
        "model": spec["model"],
        "peft_config": {k: (sorted(v) if isinstance(v, set) else v) for k, v in spec["config"].items()},
        "seed": spec["seed"],
        "trainable_params": trainable,
        "all_params": total,
        "report": f"trainable params: {trainable:,d} || all params: {total:,d} || "
                  f"trainable%: {100 * trainable / total:.4f}",
        "saved_keys": keys,
        "input_ids": ids.tolist(),
        "logits": [nested(logits)],
        "base_logits": [nested(base_logits)],
        "merged_logits": [nested(merged_logits)],
        "loss": f32(out.loss),
        "grads": grads,
        "generator": f"make_lora_golden.py, torch {torch.__version__}, transformers {transformers.__version__}, "
                     f"peft {peft.__version__}",
    }
    with open(os.path.join(out_dir, "golden.json"), "w") as f:
        json.dump(golden, f, indent=1)
    print(f"{case}: {golden['report']}, loss {golden['loss']}, {len(keys)} tensors")


def check_jtune_written():
    folder = os.path.join(OUT, "jtune-written")
    if not os.path.isfile(os.path.join(folder, "adapter_config.json")):
        print("jtune-written: not there yet (run PeftInteropTest with -Djtune.lora.writeGolden=true)")
        return
    with open(os.path.join(folder, "adapter_config.json")) as f:
        model_name = json.load(f)["base_model_name_or_path"]
    model = PeftModel.from_pretrained(load_base(model_name), folder).eval()
    trainable, total = model.get_nb_trainable_parameters()
    ids = input_ids(model_name)
    with torch.no_grad():
        logits = model(input_ids=ids).logits[0]
        with model.disable_adapter():
            base_logits = model(input_ids=ids).logits[0]
    moved = (logits - base_logits).abs().max().item()
    if moved < 1e-3:
        sys.exit(f"jtune-written: the adapter hardly changes the logits ({moved}); the check would prove nothing")
    with open(os.path.join(folder, "peft_logits.json"), "w") as f:
        json.dump({"format": "jtune-lora-peft-logits-v1", "input_ids": ids.tolist(), "logits": [nested(logits)],
                   "base_logits": [nested(base_logits)], "all_params": total,
                   "generator": f"make_lora_golden.py, peft {peft.__version__}"}, f, indent=1)
    print(f"jtune-written: PEFT loaded it; adapter moves logits by up to {moved:.3f}")


if __name__ == "__main__":
    for name, spec in CASES.items():
        make_case(name, spec)
    check_jtune_written()
