"""Eager-PyTorch throughput of a Llama decoder on the CPU: the PyTorch side of the Java decoder benchmark.

The model math is finetune/src/test/python/reference/reference_llama.py (the reference the golden
files come from, checked against transformers), run in eager mode: no torch.compile, no fused
kernels. Measured, after warm-up, as the median of --repeats runs:

  forward   batch 1 and batch 8 at sequence length --seq-len (128): one full forward pass with
            logits for every position (as a training step computes them); tokens/s = batch*seq/time
  generate  batch 1 and batch 8, greedy (argmax), --new-tokens (64) new tokens from a random prompt
            of --prompt-len (16) tokens, each with and without the KV cache; new tokens/s =
            batch*new/time, the time including the prompt's prefill. Without the cache every step
            recomputes the whole sequence (logits of the last position only).

Usage (Debian's torch; nothing else needed):

    apt-get install -y python3-torch
    /usr/bin/python3 bench/pytorch_eager_llama.py --threads 2                 # random ~58M llama
    /usr/bin/python3 bench/pytorch_eager_llama.py --threads 16 --json out.json
    /usr/bin/python3 bench/pytorch_eager_llama.py --threads 2 --model path/to/hf-folder
    /usr/bin/python3 bench/pytorch_eager_llama.py --threads 2 --quick         # small smoke run

Without --model it builds the default config (hidden 512, 8 layers, 8 heads, 4 kv heads,
intermediate 1536, vocab 32000, untied lm_head: 57.9M parameters) with seeded random weights
(std 1/sqrt(fan_in)); --hidden/--layers/--heads/--kv-heads/--intermediate/--vocab/--tied change
it. --model reads an HF folder (config.json + model.safetensors) with the reference's own reader.
It prints the machine, the parameter count, a Markdown table and one JSON object (also written to
--json).

BLAS: Debian's python3-torch does its matrix products through the system libblas.so.3, which is
the slow reference BLAS (package libblas3) unless an optimised one is installed. For any
comparison install OpenBLAS and keep its threads from spinning:

    apt-get install -y libopenblas0-pthread        # becomes libblas.so.3 through update-alternatives
    OMP_WAIT_POLICY=PASSIVE /usr/bin/python3 bench/pytorch_eager_llama.py --threads N

The script prints which libblas.so.3 the process loaded. torch.set_num_threads(N) sets the
intra-op threads (OpenMP); OPENBLAS_NUM_THREADS is set to N too unless already set.
"""

import argparse
import json
import os
import platform
import statistics
import sys
import time

if __name__ == "__main__":
    # must be set before torch (and with it OpenBLAS) is loaded
    for _i, _a in enumerate(sys.argv):
        if _a == "--threads" and _i + 1 < len(sys.argv):
            os.environ.setdefault("OPENBLAS_NUM_THREADS", sys.argv[_i + 1])
        elif _a.startswith("--threads="):
            os.environ.setdefault("OPENBLAS_NUM_THREADS", _a.split("=", 1)[1])

import torch  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "finetune", "src", "test", "python", "reference"))
import reference_llama as ref  # noqa: E402


def random_model(a):
    cfg_dict = {
        "architectures": ["LlamaForCausalLM"], "model_type": "llama", "hidden_act": "silu",
        "hidden_size": a.hidden, "intermediate_size": a.intermediate, "num_hidden_layers": a.layers,
        "num_attention_heads": a.heads, "num_key_value_heads": a.kv_heads, "head_dim": a.hidden // a.heads,
        "rms_norm_eps": 1e-5, "rope_theta": 10000.0, "rope_scaling": None, "max_position_embeddings": 2048,
        "tie_word_embeddings": a.tied, "torch_dtype": "float32", "vocab_size": a.vocab,
        "bos_token_id": 1, "eos_token_id": 2,
    }
    cfg = ref.Config(cfg_dict)
    g = torch.Generator().manual_seed(a.seed)
    w = {}
    for name, shape in ref.expected_shapes(cfg).items():
        if name.endswith("norm.weight") or "layernorm" in name:
            w[name] = 1.0 + 0.1 * torch.randn(shape, generator=g)
        else:
            w[name] = torch.randn(shape, generator=g) / shape[-1] ** 0.5
    return ref.Model(cfg, w), cfg_dict


def param_count(model):
    # tied lm_head shares embed_tokens' storage: count each tensor once
    seen, n = set(), 0
    for t in list(model.w.values()) + [model.lm_head]:
        if t.data_ptr() not in seen:
            seen.add(t.data_ptr())
            n += t.numel()
    return n


def timed(fn, warmup, repeats):
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), times


def blas_library():
    try:
        with open("/proc/self/maps") as f:
            libs = {line.split()[-1] for line in f if "blas" in line.lower() and "/" in line}
        return sorted(libs)
    except OSError:
        return []


def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--threads", type=int, required=True, help="torch.set_num_threads(N)")
    ap.add_argument("--model", help="HF model folder (config.json + model.safetensors); default: random weights")
    ap.add_argument("--hidden", type=int, default=512)
    ap.add_argument("--layers", type=int, default=8)
    ap.add_argument("--heads", type=int, default=8)
    ap.add_argument("--kv-heads", type=int, default=4)
    ap.add_argument("--intermediate", type=int, default=1536)
    ap.add_argument("--vocab", type=int, default=32000)
    ap.add_argument("--tied", action="store_true", help="tie lm_head to embed_tokens (41.6M instead of 57.9M)")
    ap.add_argument("--seed", type=int, default=1234)
    ap.add_argument("--batches", default="1,8", help="comma-separated batch sizes")
    ap.add_argument("--seq-len", type=int, default=128, help="forward-pass sequence length")
    ap.add_argument("--prompt-len", type=int, default=16, help="generation prompt length")
    ap.add_argument("--new-tokens", type=int, default=64)
    ap.add_argument("--warmup", type=int, default=2)
    ap.add_argument("--repeats", type=int, default=5, help="forward repeats (median)")
    ap.add_argument("--gen-repeats", type=int, default=3, help="generation repeats (median)")
    ap.add_argument("--no-nocache", action="store_true", help="skip generation without KV cache (slow)")
    ap.add_argument("--quick", action="store_true", help="smoke run: 2 layers, vocab 1000, 8 new tokens, 1 repeat")
    ap.add_argument("--json", help="also write the JSON result here")
    a = ap.parse_args()
    if a.quick:
        a.layers, a.vocab, a.new_tokens, a.warmup, a.repeats, a.gen_repeats = 2, 1000, 8, 1, 1, 1

    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    if a.model:
        model = ref.load_model(a.model)
        with open(os.path.join(a.model, "config.json")) as f:
            cfg_dict = json.load(f)
    else:
        model, cfg_dict = random_model(a)
    cfg = model.cfg
    n_params = param_count(model)
    batches = [int(b) for b in a.batches.split(",")]
    g = torch.Generator().manual_seed(a.seed + 1)

    env = {
        "torch": torch.__version__, "python": platform.python_version(), "cpu": cpu_model(),
        "nproc": os.cpu_count(), "threads": torch.get_num_threads(), "blas_loaded": blas_library(),
        "OMP_WAIT_POLICY": os.environ.get("OMP_WAIT_POLICY"),
        "OPENBLAS_NUM_THREADS": os.environ.get("OPENBLAS_NUM_THREADS"),
    }
    print(f"torch {env['torch']}, {env['cpu']}, nproc {env['nproc']}, threads {env['threads']}, "
          f"OMP_WAIT_POLICY={env['OMP_WAIT_POLICY']}, blas {env['blas_loaded']}")
    print(f"model: {'folder ' + a.model if a.model else 'random (seed %d)' % a.seed}: hidden {cfg.hidden_size}, "
          f"layers {cfg.num_hidden_layers}, heads {cfg.num_attention_heads}, kv heads {cfg.num_key_value_heads}, "
          f"head_dim {cfg.head_dim}, intermediate {cfg.intermediate_size}, vocab {cfg.vocab_size}, "
          f"tied {cfg.tie_word_embeddings}: {n_params:,} parameters ({n_params / 1e6:.1f}M)")
    sys.stdout.flush()

    results = []
    for b in batches:
        ids = torch.randint(3, cfg.vocab_size, (b, a.seq_len), generator=g)
        med, times = timed(lambda: model.forward(ids), a.warmup, a.repeats)
        results.append({"what": "forward", "batch": b, "seq_len": a.seq_len, "median_s": med, "times_s": times,
                        "tokens_per_s": b * a.seq_len / med})
        print(f"  forward b={b}: {b * a.seq_len / med:,.0f} tok/s", flush=True)

    for b in batches:
        prompt = torch.randint(3, cfg.vocab_size, (b, a.prompt_len), generator=g)
        outs = {}
        for use_cache in ([True] if a.no_nocache else [True, False]):
            out = {}

            def gen():
                out["tokens"] = ref.greedy_generate(model, prompt, a.new_tokens, use_cache=use_cache)

            med, times = timed(gen, min(a.warmup, 1), a.gen_repeats)
            outs[use_cache] = out["tokens"]
            results.append({"what": "generate", "kv_cache": use_cache, "batch": b, "prompt_len": a.prompt_len,
                            "new_tokens": a.new_tokens, "median_s": med, "times_s": times,
                            "new_tokens_per_s": b * a.new_tokens / med,
                            "ms_per_step": 1000 * med / a.new_tokens})
            print(f"  generate b={b} kv_cache={use_cache}: {b * a.new_tokens / med:,.1f} new tok/s", flush=True)
        if len(outs) == 2 and not torch.equal(outs[True], outs[False]):
            print(f"  note: b={b} cached and recomputed greedy tokens differ (near-tie in random weights?)")

    print()
    print(f"| measurement | batch | tokens/s | median s | runs |")
    print(f"|---|---|---|---|---|")
    for r in results:
        if r["what"] == "forward":
            label = f"forward, seq {r['seq_len']}"
            rate = r["tokens_per_s"]
        else:
            label = (f"generate {r['new_tokens']} new (prompt {r['prompt_len']}), "
                     f"{'KV cache' if r['kv_cache'] else 'no cache'}")
            rate = r["new_tokens_per_s"]
        print(f"| {label} | {r['batch']} | {rate:,.1f} | {r['median_s']:.4f} | {len(r['times_s'])} |")
    doc = {"env": env, "config": cfg_dict, "parameters": n_params, "settings": {
        k: getattr(a, k) for k in ("threads", "seq_len", "prompt_len", "new_tokens", "warmup", "repeats",
                                   "gen_repeats", "seed", "model")}, "results": results}
    print()
    print(json.dumps(doc))
    if a.json:
        with open(a.json, "w") as f:
            json.dump(doc, f, indent=2)


if __name__ == "__main__":
    main()
