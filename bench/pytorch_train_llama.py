"""Training throughput of Hugging Face transformers + PEFT on the CPU: the peer of
io.jtune.bench.TrainThroughput (same model shapes, batch, sequence length, LoRA targets, AdamW).

    python3 -m venv /tmp/venv-peft && /tmp/venv-peft/bin/pip install torch transformers peft
    OMP_WAIT_POLICY=PASSIVE /tmp/venv-peft/bin/python bench/pytorch_train_llama.py --threads 2 --method lora

Builds LlamaForCausalLM (hidden 512, 8 layers, 8 heads, 4 kv heads, intermediate 1536, vocab 32000,
untied: 57.9M parameters) with transformers' random init and eager attention; --method lora attaches
PEFT LoRA r=8 alpha=16 dropout 0.05 on q_proj,v_proj, --method full trains every weight. Each step:
a micro-batch of --batch rows of --seq random tokens, labels = the ids (every token a target after
the shift), loss.backward(), clip_grad_norm_(1.0), AdamW(lr 1e-4).step(), zero_grad. Prints tokens/s
as the median of --steps steps after 2 warm-ups, and the peak resident memory (ru_maxrss).
"""

import argparse
import resource
import statistics
import time

import torch
from transformers import LlamaConfig, LlamaForCausalLM


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--method", choices=["lora", "full"], default="lora")
    p.add_argument("--batch", type=int, default=4)
    p.add_argument("--seq", type=int, default=256)
    p.add_argument("--steps", type=int, default=4)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    cfg = LlamaConfig(hidden_size=512, num_hidden_layers=8, num_attention_heads=8, num_key_value_heads=4,
                      intermediate_size=1536, vocab_size=32000, tie_word_embeddings=False,
                      max_position_embeddings=2048, attn_implementation="eager")
    model = LlamaForCausalLM(cfg)
    if a.method == "lora":
        from peft import LoraConfig, get_peft_model
        model = get_peft_model(model, LoraConfig(task_type="CAUSAL_LM", r=8, lora_alpha=16, lora_dropout=0.05,
                                                 target_modules=["q_proj", "v_proj"]))
    model.train()
    params = [q for q in model.parameters() if q.requires_grad]
    opt = torch.optim.AdamW(params, lr=1e-4)
    g = torch.Generator().manual_seed(7)
    times = []
    for step in range(a.steps + 2):
        ids = torch.randint(3, cfg.vocab_size, (a.batch, a.seq), generator=g)
        t0 = time.perf_counter()
        loss = model(input_ids=ids, labels=ids).loss
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, 1.0)
        opt.step()
        opt.zero_grad(set_to_none=True)
        if step >= 2:
            times.append(time.perf_counter() - t0)
    tps = a.batch * a.seq / statistics.median(times)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3
    n = sum(q.numel() for q in model.parameters())
    print(f"transformers + peft ({a.method}), torch {torch.__version__}, {n:,} parameters, batch {a.batch} x seq "
          f"{a.seq}, {a.threads} threads: {tps:.1f} tokens/s (median of {len(times)} steps), peak RSS {peak:.1f} MB,"
          f" final loss {loss.item():.4f}")


if __name__ == "__main__":
    main()
