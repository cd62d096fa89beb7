"""Training throughput of a hand-written eager PyTorch Llama on the CPU: the third peer of
io.jtune.bench.TrainThroughput, next to pytorch_train_llama.py (transformers + PEFT). Same model,
data, LoRA, loss and optimizer as that script, written with plain torch ops only (no transformers,
no peft, no torch.compile), so the two PyTorch numbers separate framework overhead from the math.

    OMP_WAIT_POLICY=PASSIVE /work/venv-peft/bin/python bench/pytorch_eager_train.py --threads 2 --method lora
    /work/venv-peft/bin/python bench/pytorch_eager_train.py --check   # needs transformers + peft

The model: embed -> N x [x + attn(rms(x)); x + mlp(rms(x))] -> rms -> lm_head, with RMSNorm
(float32, eps 1e-5) and rotary embeddings (rotate-half, theta 10000) written out, attention through
F.scaled_dot_product_attention(is_causal=True) with the kv heads expanded by repeat_interleave, and
a SiLU-gated MLP. Default shape: hidden 512, 8 layers, 8 heads, 4 kv heads, intermediate 1536,
vocab 32000, untied (57.9M parameters); weights normal(0, 0.02), norms 1. --method lora adds
r=8 alpha=16 dropout 0.05 adapters on q_proj and v_proj (A kaiming-uniform, B zero, base frozen);
--method full trains every weight. Each step: --batch rows of --seq random tokens, labels = the ids
shifted by one (every token a target), mean cross-entropy, backward, clip_grad_norm_(1.0),
AdamW(lr 1e-4).step(), zero_grad. Prints tokens/s as the median of --steps steps after 2 warm-ups
and the peak resident memory (ru_maxrss), in pytorch_train_llama.py's format.

--check builds a tiny model (hidden 64, 2 layers, vocab 384, batch 2 x seq 32), loads the same
weights into transformers' LlamaForCausalLM (+ PEFT for lora), trains 3 steps of each method in
both, and prints PASS when every loss agrees within 1e-4 and every gradient within 1e-4 of the
largest one (FAIL otherwise, exit status 1).
"""

import argparse
import math
import resource
import statistics
import sys
import time

import torch
import torch.nn.functional as F
from torch import nn

LORA_R, LORA_ALPHA, LORA_DROPOUT = 8, 16, 0.05


class RmsNorm(nn.Module):
    def __init__(self, dim, eps):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(dim))
        self.eps = eps

    def forward(self, x):
        h = x.float()
        h = h * torch.rsqrt(h.pow(2).mean(-1, keepdim=True) + self.eps)
        return self.weight * h.to(x.dtype)


class LoraLinear(nn.Module):
    """A frozen linear layer plus scale * B(A(dropout(x))); parameter names follow the plain layer
    (weight) so the base weights load by transformers' names."""

    def __init__(self, base):
        super().__init__()
        self.weight = base.weight
        self.weight.requires_grad_(False)
        self.lora_A = nn.Parameter(torch.empty(LORA_R, base.in_features))
        self.lora_B = nn.Parameter(torch.zeros(base.out_features, LORA_R))
        nn.init.kaiming_uniform_(self.lora_A, a=math.sqrt(5))  # what nn.Linear (and so PEFT) does
        self.scale = LORA_ALPHA / LORA_R

    def forward(self, x):
        h = F.dropout(x, LORA_DROPOUT, self.training)
        return F.linear(x, self.weight) + F.linear(F.linear(h, self.lora_A), self.lora_B) * self.scale


def rotate_half(x):
    half = x.shape[-1] // 2
    return torch.cat((-x[..., half:], x[..., :half]), dim=-1)


class Attention(nn.Module):
    def __init__(self, hidden, heads, kv_heads):
        super().__init__()
        self.heads, self.kv_heads, self.head_dim = heads, kv_heads, hidden // heads
        self.q_proj = nn.Linear(hidden, heads * self.head_dim, bias=False)
        self.k_proj = nn.Linear(hidden, kv_heads * self.head_dim, bias=False)
        self.v_proj = nn.Linear(hidden, kv_heads * self.head_dim, bias=False)
        self.o_proj = nn.Linear(heads * self.head_dim, hidden, bias=False)

    def forward(self, x, cos, sin):
        b, s, _ = x.shape
        q = self.q_proj(x).view(b, s, self.heads, self.head_dim).transpose(1, 2)
        k = self.k_proj(x).view(b, s, self.kv_heads, self.head_dim).transpose(1, 2)
        v = self.v_proj(x).view(b, s, self.kv_heads, self.head_dim).transpose(1, 2)
        q = q * cos + rotate_half(q) * sin
        k = k * cos + rotate_half(k) * sin
        rep = self.heads // self.kv_heads  # kv head j serves query heads j*rep .. j*rep+rep-1
        k = k.repeat_interleave(rep, dim=1)
        v = v.repeat_interleave(rep, dim=1)
        out = F.scaled_dot_product_attention(q, k, v, is_causal=True)
        return self.o_proj(out.transpose(1, 2).reshape(b, s, self.heads * self.head_dim))


class Mlp(nn.Module):
    def __init__(self, hidden, intermediate):
        super().__init__()
        self.gate_proj = nn.Linear(hidden, intermediate, bias=False)
        self.up_proj = nn.Linear(hidden, intermediate, bias=False)
        self.down_proj = nn.Linear(intermediate, hidden, bias=False)

    def forward(self, x):
        return self.down_proj(F.silu(self.gate_proj(x)) * self.up_proj(x))


class Layer(nn.Module):
    def __init__(self, hidden, heads, kv_heads, intermediate, eps):
        super().__init__()
        self.input_layernorm = RmsNorm(hidden, eps)
        self.self_attn = Attention(hidden, heads, kv_heads)
        self.post_attention_layernorm = RmsNorm(hidden, eps)
        self.mlp = Mlp(hidden, intermediate)

    def forward(self, x, cos, sin):
        x = x + self.self_attn(self.input_layernorm(x), cos, sin)
        return x + self.mlp(self.post_attention_layernorm(x))


class Decoder(nn.Module):
    def __init__(self, vocab, hidden, layers, heads, kv_heads, intermediate, eps, theta):
        super().__init__()
        self.embed_tokens = nn.Embedding(vocab, hidden)
        self.layers = nn.ModuleList(Layer(hidden, heads, kv_heads, intermediate, eps) for _ in range(layers))
        self.norm = RmsNorm(hidden, eps)
        dim = hidden // heads
        self.register_buffer("inv_freq", 1.0 / theta ** (torch.arange(0, dim, 2).float() / dim), persistent=False)

    def forward(self, ids):
        freqs = torch.arange(ids.shape[1]).float()[:, None] * self.inv_freq[None, :]
        emb = torch.cat((freqs, freqs), dim=-1)
        cos, sin = emb.cos(), emb.sin()  # [S, head_dim], broadcast over batch and heads
        x = self.embed_tokens(ids)
        for layer in self.layers:
            x = layer(x, cos, sin)
        return self.norm(x)


class CausalLm(nn.Module):
    """Parameter names are those of transformers' LlamaForCausalLM (model.layers.0.self_attn.q_proj.weight, ...)."""

    def __init__(self, vocab, hidden, layers, heads, eps=1e-5, theta=10000.0):
        super().__init__()
        self.model = Decoder(vocab, hidden, layers, heads, heads // 2, 3 * hidden, eps, theta)
        self.lm_head = nn.Linear(hidden, vocab, bias=False)
        for m in self.modules():
            if isinstance(m, (nn.Linear, nn.Embedding)):
                nn.init.normal_(m.weight, std=0.02)

    def add_lora(self):
        """Freezes every weight and puts adapters on q_proj and v_proj."""
        for p in self.parameters():
            p.requires_grad_(False)
        for layer in self.model.layers:
            layer.self_attn.q_proj = LoraLinear(layer.self_attn.q_proj)
            layer.self_attn.v_proj = LoraLinear(layer.self_attn.v_proj)
        return self

    def loss(self, ids):
        logits = self.lm_head(self.model(ids)).float()
        return F.cross_entropy(logits[:, :-1].reshape(-1, logits.shape[-1]), ids[:, 1:].reshape(-1))


def train(model, loss_fn, batch, seq, vocab, steps, on_step=None):
    """Runs steps training steps; returns (seconds of each step, last loss)."""
    model.train()
    params = [q for q in model.parameters() if q.requires_grad]
    opt = torch.optim.AdamW(params, lr=1e-4)
    g = torch.Generator().manual_seed(7)
    times = []
    for step in range(steps):
        ids = torch.randint(3, vocab, (batch, seq), generator=g)
        t0 = time.perf_counter()
        loss = loss_fn(ids)
        loss.backward()
        if on_step is not None:
            on_step(step, loss)
        torch.nn.utils.clip_grad_norm_(params, 1.0)
        opt.step()
        opt.zero_grad(set_to_none=True)
        times.append(time.perf_counter() - t0)
    return times, loss


def hf_name(name):
    """transformers/PEFT parameter name -> ours (base_model.model.X.q_proj.lora_A.default.weight -> X.q_proj.lora_A)."""
    name = name.removeprefix("base_model.model.").replace(".base_layer.", ".")
    return name.replace(".lora_A.default.weight", ".lora_A").replace(".lora_B.default.weight", ".lora_B")


def check():
    """Trains the tiny model 3 steps here and in transformers (+ PEFT) from the same weights."""
    from transformers import LlamaConfig, LlamaForCausalLM
    vocab, hidden, layers, heads, batch, seq = 384, 64, 2, 8, 2, 32
    ok = True
    for method in ("lora", "full"):
        torch.manual_seed(0)
        mine = CausalLm(vocab, hidden, layers, heads)
        cfg = LlamaConfig(hidden_size=hidden, num_hidden_layers=layers, num_attention_heads=heads,
                          num_key_value_heads=heads // 2, intermediate_size=3 * hidden, vocab_size=vocab,
                          tie_word_embeddings=False, max_position_embeddings=2048, rms_norm_eps=1e-5,
                          attn_implementation="eager")
        hf = LlamaForCausalLM(cfg)
        hf.load_state_dict(mine.state_dict(), strict=True)
        if method == "lora":
            from peft import LoraConfig, get_peft_model
            mine.add_lora()
            hf = get_peft_model(hf, LoraConfig(task_type="CAUSAL_LM", r=LORA_R, lora_alpha=LORA_ALPHA,
                                               lora_dropout=LORA_DROPOUT, target_modules=["q_proj", "v_proj"]))
            for i, layer in enumerate(mine.model.layers):
                attn = hf.base_model.model.model.layers[i].self_attn
                for name in ("q_proj", "v_proj"):
                    ours, theirs = getattr(layer.self_attn, name), getattr(attn, name)
                    theirs.lora_A["default"].weight.data.copy_(ours.lora_A.data)
                    theirs.lora_B["default"].weight.data.copy_(ours.lora_B.data)
        # the same trained tensors, paired by name (PEFT's names map onto ours)
        ours = {n: p for n, p in mine.named_parameters() if p.requires_grad}
        theirs = {hf_name(n): p for n, p in hf.named_parameters() if p.requires_grad}
        assert ours.keys() == theirs.keys(), f"trainable parameters differ: {ours.keys() ^ theirs.keys()}"
        theirs = [theirs[n] for n in ours]
        ours = list(ours.values())
        losses, grads = {}, {}
        for who, model, fn in (("eager", mine, mine.loss),
                               ("transformers", hf, lambda ids, m=hf: m(input_ids=ids, labels=ids).loss)):
            params = ours if who == "eager" else theirs

            def seeded(ids, fn=fn):
                torch.manual_seed(100)  # the same LoRA dropout masks in both
                return fn(ids)

            def record(step, loss, who=who, params=params):
                losses.setdefault(who, []).append(loss.item())
                grads.setdefault(who, []).append([p.grad.clone() for p in params])

            train(model, seeded, batch, seq, vocab, 3, record)
        dl = max(abs(x - y) for x, y in zip(losses["eager"], losses["transformers"]))
        dg = max(max((a - b).abs().max().item() / max(b.abs().max().item(), 1e-12) for a, b in zip(ga, gb))
                 for ga, gb in zip(grads["eager"], grads["transformers"]))
        good = dl < 1e-4 and dg < 1e-4
        ok &= good
        print(f"check {method}: eager losses {[round(x, 6) for x in losses['eager']]}, transformers"
              f"{' + peft' if method == 'lora' else ''} {[round(x, 6) for x in losses['transformers']]}; "
              f"max loss diff {dl:.2e}, max relative grad diff {dg:.2e}: {'PASS' if good else 'FAIL'}")
    print("PASS" if ok else "FAIL")
    return ok


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--method", choices=["lora", "full"], default="lora")
    p.add_argument("--batch", type=int, default=4)
    p.add_argument("--seq", type=int, default=256)
    p.add_argument("--steps", type=int, default=4)
    p.add_argument("--hidden", type=int, default=512)
    p.add_argument("--layers", type=int, default=8)
    p.add_argument("--heads", type=int, default=8)
    p.add_argument("--vocab", type=int, default=32000)
    p.add_argument("--check", action="store_true", help="compare 3 steps with transformers (+ peft), tiny model")
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    if a.check:
        sys.exit(0 if check() else 1)
    torch.manual_seed(0)
    model = CausalLm(a.vocab, a.hidden, a.layers, a.heads)
    if a.method == "lora":
        model.add_lora()
    times, loss = train(model, model.loss, a.batch, a.seq, a.vocab, a.steps + 2)
    times = times[2:]
    tps = a.batch * a.seq / statistics.median(times)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3
    n = sum(q.numel() for q in model.parameters())
    print(f"eager pytorch ({a.method}), torch {torch.__version__}, {n:,} parameters, batch {a.batch} x seq "
          f"{a.seq}, {a.threads} threads: {tps:.1f} tokens/s (median of {len(times)} steps), peak RSS {peak:.1f} MB,"
          f" final loss {loss.item():.4f}")


if __name__ == "__main__":
    main()
