"""Plain-PyTorch reference of the Hugging Face Llama-family decoder (llama, mistral, qwen2).

This is the independent oracle for jtune's Java decoder (finetune/.../model/). It needs only torch
(Debian's python3-torch 1.13 is enough) and the standard library: no transformers, no safetensors
package. It reads a Hugging Face model folder (config.json + model.safetensors, or a sharded
model.safetensors.index.json) and reproduces the math of transformers' eager implementation:

  embed_tokens -> N x [x + attn(rms(x)); x + mlp(rms(x))] -> rms -> lm_head

* RMSNorm in float32:  w * (x * rsqrt(mean(x^2, -1) + eps))   (cast back to the input dtype first)
* RoPE, "rotate_half" (NOT interleaved): the head dimension is split into two halves [x1 | x2];
  rot(x) = x * cos + cat(-x2, x1) * sin, with cos/sin = cos/sin(cat(freqs, freqs)),
  freqs[p, i] = p * inv_freq[i], inv_freq[i] = 1 / theta^(2i / head_dim), i = 0 .. head_dim/2-1.
  rope_scaling: None / "default", "linear", and "llama3" (exactly transformers' formula).
* attention: q, k, v projections (q/k/v bias for qwen2, q/k/v/o bias for llama attention_bias=true),
  grouped-query attention: query head h uses kv head h // (heads / kv_heads) (repeat_kv order),
  scores = (q k^T) * head_dim^-0.5 + mask, mask = 0 where allowed and float32 min where masked
  (causal, and padded keys); softmax in float32; o_proj.
  A query row that can see no key at all (a left-padding position) gets all-min scores, hence
  uniform attention over every key: this is what transformers' eager attention does; those
  positions' outputs are meaningless and only compared to show the implementations agree.
* position ids with an attention mask (left padding): cumsum(mask) - 1, clamped at 0 (HF generate).
* MLP (SwiGLU): down(silu(gate(x)) * up(x)).
* lm_head tied to embed_tokens when tie_word_embeddings (lm_head.weight then absent from the file).

Both config formats are read: transformers 4.x (rope_theta + rope_scaling, torch_dtype) and
transformers 5.x (rope_parameters = {rope_type, rope_theta, ...}, dtype).

Usage as a library:
    model = load_model("path/to/folder")               # float32 by default
    logits = model.forward(input_ids, attention_mask)  # [B, S, vocab]
    new = greedy_generate(model, [ids...], 8)           # no KV cache, recomputes everything
    new = greedy_generate(model, [ids...], 8, use_cache=True)

Usage from the command line (prints last-position top-5 and a greedy continuation):
    /usr/bin/python3 reference_llama.py FOLDER 5 17 42 [--new 8]
"""

import json
import math
import os
import struct
import sys

import torch
import torch.nn.functional as F

# ----------------------------------------------------------------------------------------------
# safetensors (format: u64 little-endian header length N, N bytes of JSON header, raw data;
# header = {name: {"dtype", "shape", "data_offsets": [begin, end]}, "__metadata__": {...}},
# offsets relative to the first byte after the header, data little-endian, row-major).
# ----------------------------------------------------------------------------------------------

_ST_DTYPES = {
    "F64": torch.float64, "F32": torch.float32, "F16": torch.float16, "BF16": torch.bfloat16,
    "I64": torch.int64, "I32": torch.int32, "I16": torch.int16, "I8": torch.int8,
    "U8": torch.uint8, "BOOL": torch.bool,
}
_ST_NAMES = {v: k for k, v in _ST_DTYPES.items()}


def _check_little_endian():
    if sys.byteorder != "little":
        raise RuntimeError("this safetensors reader/writer assumes a little-endian host")


def read_safetensors(path):
    """Returns (dict name -> tensor, metadata dict or None). Tensors own their memory."""
    _check_little_endian()
    with open(path, "rb") as f:
        data = f.read()
    if len(data) < 8:
        raise ValueError(f"{path}: too short for a safetensors file")
    (n,) = struct.unpack("<Q", data[:8])
    if 8 + n > len(data):
        raise ValueError(f"{path}: header length {n} past the end of the file")
    header = json.loads(data[8:8 + n].decode("utf-8"))
    base = 8 + n
    metadata = header.pop("__metadata__", None)
    tensors = {}
    for name, info in header.items():
        dtype = _ST_DTYPES[info["dtype"]]
        begin, end = info["data_offsets"]
        shape = list(info["shape"])
        numel = 1
        for s in shape:
            numel *= s
        itemsize = torch.empty(0, dtype=dtype).element_size()
        if end - begin != numel * itemsize or base + end > len(data):
            raise ValueError(f"{path}: tensor {name} has inconsistent offsets {begin}..{end}")
        if numel == 0:
            tensors[name] = torch.empty(shape, dtype=dtype)
        else:
            buf = bytearray(data[base + begin:base + end])
            tensors[name] = torch.frombuffer(buf, dtype=dtype).reshape(shape)
    return tensors, metadata


def write_safetensors(path, tensors, metadata=None):
    """Writes tensors (dict name -> tensor) as safetensors, names sorted, data 8-byte aligned."""
    _check_little_endian()
    header = {}
    if metadata is not None:
        header["__metadata__"] = {str(k): str(v) for k, v in metadata.items()}
    blobs = []
    offset = 0
    for name in sorted(tensors):
        t = tensors[name].detach().cpu().contiguous()
        raw = t.reshape(-1).view(torch.uint8).numpy().tobytes() if t.numel() else b""
        header[name] = {"dtype": _ST_NAMES[t.dtype], "shape": list(t.shape),
                        "data_offsets": [offset, offset + len(raw)]}
        blobs.append(raw)
        offset += len(raw)
    hjson = json.dumps(header, separators=(",", ":")).encode("utf-8")
    hjson += b" " * ((8 - len(hjson) % 8) % 8)  # pad with spaces so the data starts aligned
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(hjson)))
        f.write(hjson)
        for raw in blobs:
            f.write(raw)


def read_model_weights(folder):
    single = os.path.join(folder, "model.safetensors")
    if os.path.exists(single):
        return read_safetensors(single)[0]
    index = os.path.join(folder, "model.safetensors.index.json")
    if os.path.exists(index):
        with open(index) as f:
            weight_map = json.load(f)["weight_map"]
        out = {}
        for shard in sorted(set(weight_map.values())):
            out.update(read_safetensors(os.path.join(folder, shard))[0])
        return out
    raise FileNotFoundError(f"no model.safetensors(.index.json) in {folder}")


# ----------------------------------------------------------------------------------------------
# config
# ----------------------------------------------------------------------------------------------

SUPPORTED_MODEL_TYPES = ("llama", "mistral", "qwen2")


class Config:
    def __init__(self, d):
        self.raw = dict(d)
        self.model_type = d.get("model_type")
        if self.model_type not in SUPPORTED_MODEL_TYPES:
            raise ValueError(f"model_type {self.model_type!r} not in {SUPPORTED_MODEL_TYPES}")
        act = d.get("hidden_act", "silu")
        if act != "silu":
            raise ValueError(f"hidden_act {act!r}: only silu is supported")
        self.vocab_size = int(d["vocab_size"])
        self.hidden_size = int(d["hidden_size"])
        self.intermediate_size = int(d["intermediate_size"])
        self.num_hidden_layers = int(d["num_hidden_layers"])
        self.num_attention_heads = int(d["num_attention_heads"])
        kv = d.get("num_key_value_heads")
        self.num_key_value_heads = int(kv) if kv is not None else self.num_attention_heads
        if self.num_attention_heads % self.num_key_value_heads:
            raise ValueError("num_attention_heads must be a multiple of num_key_value_heads")
        hd = d.get("head_dim")
        self.head_dim = int(hd) if hd is not None else self.hidden_size // self.num_attention_heads
        if self.head_dim % 2:
            raise ValueError("head_dim must be even for rotary embeddings")
        self.rms_norm_eps = float(d.get("rms_norm_eps", 1e-6))
        # tie_word_embeddings: LlamaConfig / MistralConfig / Qwen2Config all default to False.
        self.tie_word_embeddings = bool(d.get("tie_word_embeddings", False))
        # rope: transformers 5 writes rope_parameters (with rope_theta inside), 4.x rope_theta + rope_scaling
        rp = d.get("rope_parameters")
        if rp is not None:
            self.rope_theta = float(rp.get("rope_theta", d.get("rope_theta", 10000.0)))
            self.rope_scaling = {k: v for k, v in rp.items() if k != "rope_theta"}
        else:
            self.rope_theta = float(d.get("rope_theta", 10000.0))
            self.rope_scaling = dict(d["rope_scaling"]) if d.get("rope_scaling") else None
        if self.rope_scaling is not None:
            rtype = self.rope_scaling.get("rope_type", self.rope_scaling.get("type", "default"))
            self.rope_type = rtype
        else:
            self.rope_type = "default"
        if self.rope_type not in ("default", "linear", "llama3"):
            raise NotImplementedError(f"rope_type {self.rope_type!r}")
        if float(d.get("partial_rotary_factor", 1.0)) != 1.0:
            raise NotImplementedError("partial_rotary_factor")
        self.max_position_embeddings = int(d.get("max_position_embeddings", 2048))
        if self.model_type == "qwen2":
            self.qkv_bias, self.o_bias = True, False
        elif self.model_type == "llama":
            b = bool(d.get("attention_bias", False))
            self.qkv_bias, self.o_bias = b, b
        else:  # mistral
            self.qkv_bias, self.o_bias = False, False
        self.mlp_bias = self.model_type == "llama" and bool(d.get("mlp_bias", False))
        # Sliding windows are not implemented: fail loudly if one could matter.
        self.sliding_window = d.get("sliding_window")
        if self.model_type == "qwen2" and not d.get("use_sliding_window", False):
            self.sliding_window = None

    @staticmethod
    def load(folder):
        with open(os.path.join(folder, "config.json")) as f:
            return Config(json.load(f))


# ----------------------------------------------------------------------------------------------
# math
# ----------------------------------------------------------------------------------------------

def rope_inv_freq(cfg):
    """inv_freq [head_dim/2] float32, exactly as transformers computes it (incl. llama3 scaling)."""
    dim = cfg.head_dim
    base = cfg.rope_theta
    inv_freq = 1.0 / (base ** (torch.arange(0, dim, 2, dtype=torch.int64).float() / dim))
    if cfg.rope_type == "linear":
        inv_freq = inv_freq / float(cfg.rope_scaling["factor"])
    elif cfg.rope_type == "llama3":
        rs = cfg.rope_scaling
        factor = rs["factor"]
        low_freq_factor = rs["low_freq_factor"]
        high_freq_factor = rs["high_freq_factor"]
        old_context_len = rs["original_max_position_embeddings"]
        low_freq_wavelen = old_context_len / low_freq_factor
        high_freq_wavelen = old_context_len / high_freq_factor
        wavelen = 2 * math.pi / inv_freq
        # wavelen < high_freq_wavelen: unchanged; wavelen > low_freq_wavelen: divided by factor
        inv_freq_llama = torch.where(wavelen > low_freq_wavelen, inv_freq / factor, inv_freq)
        # in between: interpolate with a smooth factor
        smooth_factor = (old_context_len / wavelen - low_freq_factor) / (high_freq_factor - low_freq_factor)
        smoothed = (1 - smooth_factor) * inv_freq_llama / factor + smooth_factor * inv_freq_llama
        is_medium = ~(wavelen < high_freq_wavelen) * ~(wavelen > low_freq_wavelen)
        inv_freq = torch.where(is_medium, smoothed, inv_freq_llama)
    return inv_freq


def rope_cos_sin(inv_freq, position_ids):
    """position_ids [B, S] -> cos, sin [B, S, head_dim] (float32), cat(freqs, freqs) layout."""
    freqs = position_ids[:, :, None].float() * inv_freq[None, None, :].float()
    emb = torch.cat((freqs, freqs), dim=-1)
    return emb.cos(), emb.sin()


def rotate_half(x):
    half = x.shape[-1] // 2
    return torch.cat((-x[..., half:], x[..., :half]), dim=-1)


def apply_rope(x, cos, sin):
    """x [B, H, S, D]; cos/sin [B, S, D]."""
    cos = cos[:, None, :, :].to(x.dtype)
    sin = sin[:, None, :, :].to(x.dtype)
    return x * cos + rotate_half(x) * sin


def rms_norm(x, weight, eps):
    dtype = x.dtype
    h = x.float()
    h = h * torch.rsqrt(h.pow(2).mean(-1, keepdim=True) + eps)
    return weight * h.to(dtype)


def repeat_kv(x, n_rep):
    """[B, KV, T, D] -> [B, KV*n_rep, T, D]; kv head j serves query heads j*n_rep .. j*n_rep+n_rep-1."""
    if n_rep == 1:
        return x
    b, kv, t, d = x.shape
    return x[:, :, None, :, :].expand(b, kv, n_rep, t, d).reshape(b, kv * n_rep, t, d)


def positions_from_mask(attention_mask):
    """HF generate: cumsum(mask) - 1, padded positions set to 0."""
    pos = attention_mask.long().cumsum(-1) - 1
    return pos.masked_fill(attention_mask == 0, 0)


def additive_mask(attention_mask, q_len, past_len, dtype):
    """[B, 1, q_len, past_len+q_len] with 0 where allowed, finfo(dtype).min where masked.

    Query i (absolute position past_len+i) may see key j iff j <= past_len+i and attention_mask[b, j].
    """
    b, t = attention_mask.shape
    assert t == past_len + q_len, (t, past_len, q_len)
    q_abs = torch.arange(past_len, past_len + q_len)[:, None]
    k_abs = torch.arange(t)[None, :]
    allowed = (k_abs <= q_abs)[None, :, :] & attention_mask.bool()[:, None, :]
    mask = torch.zeros(b, 1, q_len, t, dtype=dtype)
    return mask.masked_fill(~allowed[:, None, :, :], torch.finfo(dtype).min)


class KVCache:
    """Per layer (k, v) with k/v [B, KV, T, D] after RoPE."""

    def __init__(self, num_layers):
        self.layers = [None] * num_layers

    @property
    def length(self):
        return 0 if self.layers[0] is None else self.layers[0][0].shape[2]


def expected_shapes(c):
    """HF tensor name -> shape ([out_features, in_features] for linear weights) for a Config."""
    h, hd, nh, nkv, inter = c.hidden_size, c.head_dim, c.num_attention_heads, c.num_key_value_heads, c.intermediate_size
    exp = {"model.embed_tokens.weight": [c.vocab_size, h], "model.norm.weight": [h]}
    if not c.tie_word_embeddings:
        exp["lm_head.weight"] = [c.vocab_size, h]
    for i in range(c.num_hidden_layers):
        p = f"model.layers.{i}."
        exp[p + "self_attn.q_proj.weight"] = [nh * hd, h]
        exp[p + "self_attn.k_proj.weight"] = [nkv * hd, h]
        exp[p + "self_attn.v_proj.weight"] = [nkv * hd, h]
        exp[p + "self_attn.o_proj.weight"] = [h, nh * hd]
        if c.qkv_bias:
            exp[p + "self_attn.q_proj.bias"] = [nh * hd]
            exp[p + "self_attn.k_proj.bias"] = [nkv * hd]
            exp[p + "self_attn.v_proj.bias"] = [nkv * hd]
        if c.o_bias:
            exp[p + "self_attn.o_proj.bias"] = [h]
        exp[p + "mlp.gate_proj.weight"] = [inter, h]
        exp[p + "mlp.up_proj.weight"] = [inter, h]
        exp[p + "mlp.down_proj.weight"] = [h, inter]
        if c.mlp_bias:
            exp[p + "mlp.gate_proj.bias"] = [inter]
            exp[p + "mlp.up_proj.bias"] = [inter]
            exp[p + "mlp.down_proj.bias"] = [h]
        exp[p + "input_layernorm.weight"] = [h]
        exp[p + "post_attention_layernorm.weight"] = [h]
    return exp


class Model:
    def __init__(self, cfg, weights, dtype=torch.float32):
        self.cfg = cfg
        self.dtype = dtype
        w = {k: v.to(dtype) for k, v in weights.items()}
        self.w = w
        self._check_weights()
        self.inv_freq = rope_inv_freq(cfg)
        self.lm_head = w["model.embed_tokens.weight"] if cfg.tie_word_embeddings else w["lm_head.weight"]

    def _expected_shapes(self):
        return expected_shapes(self.cfg)

    def _check_weights(self):
        exp = self._expected_shapes()
        missing = [k for k in exp if k not in self.w]
        if missing:
            raise ValueError(f"missing tensors: {missing[:5]}{' ...' if len(missing) > 5 else ''}")
        for k, shape in exp.items():
            if list(self.w[k].shape) != shape:
                raise ValueError(f"{k}: shape {list(self.w[k].shape)}, expected {shape}")
        extra = [k for k in self.w if k not in exp and not k.endswith("rotary_emb.inv_freq")
                 and not (k == "lm_head.weight" and self.cfg.tie_word_embeddings)]
        if extra:
            raise ValueError(f"unexpected tensors: {extra[:5]}")

    def _linear(self, x, name):
        return F.linear(x, self.w[name + ".weight"], self.w.get(name + ".bias"))

    def _attention(self, i, x, cos, sin, mask, cache):
        c = self.cfg
        p = f"model.layers.{i}.self_attn."
        b, s, _ = x.shape
        q = self._linear(x, p + "q_proj").view(b, s, c.num_attention_heads, c.head_dim).transpose(1, 2)
        k = self._linear(x, p + "k_proj").view(b, s, c.num_key_value_heads, c.head_dim).transpose(1, 2)
        v = self._linear(x, p + "v_proj").view(b, s, c.num_key_value_heads, c.head_dim).transpose(1, 2)
        q = apply_rope(q, cos, sin)
        k = apply_rope(k, cos, sin)
        if cache is not None:
            if cache.layers[i] is not None:
                pk, pv = cache.layers[i]
                k = torch.cat((pk, k), dim=2)
                v = torch.cat((pv, v), dim=2)
            cache.layers[i] = (k, v)
        n_rep = c.num_attention_heads // c.num_key_value_heads
        k = repeat_kv(k, n_rep)
        v = repeat_kv(v, n_rep)
        scores = torch.matmul(q, k.transpose(2, 3)) * (c.head_dim ** -0.5)
        scores = scores + mask
        probs = torch.softmax(scores, dim=-1, dtype=torch.float32).to(q.dtype)
        out = torch.matmul(probs, v).transpose(1, 2).reshape(b, s, c.num_attention_heads * c.head_dim)
        return self._linear(out, p + "o_proj")

    def _mlp(self, i, x):
        p = f"model.layers.{i}.mlp."
        return self._linear(F.silu(self._linear(x, p + "gate_proj")) * self._linear(x, p + "up_proj"), p + "down_proj")

    @torch.no_grad()
    def forward(self, input_ids, attention_mask=None, position_ids=None, cache=None, last_only=False):
        """input_ids [B, S] (long); attention_mask [B, past+S] (1 real, 0 pad) or None;
        position_ids [B, S] or None (derived from the mask, or past..past+S-1);
        cache: a KVCache to read and extend, or None. Returns logits [B, S, vocab] (float32),
        or [B, 1, vocab] when last_only."""
        c = self.cfg
        input_ids = torch.as_tensor(input_ids, dtype=torch.long)
        b, s = input_ids.shape
        past = cache.length if cache is not None else 0
        if attention_mask is None:
            attention_mask = torch.ones(b, past + s, dtype=torch.long)
        else:
            attention_mask = torch.as_tensor(attention_mask, dtype=torch.long)
        if position_ids is None:
            position_ids = positions_from_mask(attention_mask)[:, past:]
        else:
            position_ids = torch.as_tensor(position_ids, dtype=torch.long)
        if c.sliding_window is not None and past + s > int(c.sliding_window):
            raise NotImplementedError("sequence longer than sliding_window")
        x = F.embedding(input_ids, self.w["model.embed_tokens.weight"])
        cos, sin = rope_cos_sin(self.inv_freq, position_ids)
        mask = additive_mask(attention_mask, s, past, x.dtype)
        for i in range(c.num_hidden_layers):
            p = f"model.layers.{i}."
            x = x + self._attention(i, rms_norm(x, self.w[p + "input_layernorm.weight"], c.rms_norm_eps),
                                    cos, sin, mask, cache)
            x = x + self._mlp(i, rms_norm(x, self.w[p + "post_attention_layernorm.weight"], c.rms_norm_eps))
        if last_only:
            x = x[:, -1:, :]
        x = rms_norm(x, self.w["model.norm.weight"], c.rms_norm_eps)
        return F.linear(x, self.lm_head).float()


def load_model(folder, dtype=torch.float32):
    return Model(Config.load(folder), read_model_weights(folder), dtype=dtype)


@torch.no_grad()
def greedy_generate(model, prompts, max_new_tokens, use_cache=False, return_logits=False):
    """Greedy (argmax) continuation of max_new_tokens tokens, never stopping at eos.

    prompts: [B, S] ids (all rows the same length, no padding). Without a cache the whole sequence
    is recomputed at every step. Returns new tokens [B, max_new_tokens] (and, with return_logits,
    the last-position logits of every step [B, max_new_tokens, vocab])."""
    ids = torch.as_tensor(prompts, dtype=torch.long)
    if ids.dim() == 1:
        ids = ids[None, :]
    new, step_logits = [], []
    cache = KVCache(model.cfg.num_hidden_layers) if use_cache else None
    step_input = ids
    for _ in range(max_new_tokens):
        if use_cache:
            logits = model.forward(step_input, cache=cache, last_only=True)[:, -1, :]
        else:
            logits = model.forward(ids, last_only=True)[:, -1, :]
        nxt = torch.argmax(logits, dim=-1)
        new.append(nxt)
        step_logits.append(logits)
        ids = torch.cat((ids, nxt[:, None]), dim=1)
        step_input = nxt[:, None]
    out = torch.stack(new, dim=1)
    if return_logits:
        return out, torch.stack(step_logits, dim=1)
    return out


def main(argv):
    import argparse
    ap = argparse.ArgumentParser(description="run the reference decoder on a model folder")
    ap.add_argument("folder")
    ap.add_argument("ids", nargs="+", type=int)
    ap.add_argument("--new", type=int, default=8)
    a = ap.parse_args(argv)
    model = load_model(a.folder)
    logits = model.forward([a.ids])[0, -1]
    top = torch.topk(logits, min(5, logits.numel()))
    print("last-position top-5:", [(int(i), float(v)) for v, i in zip(top.values, top.indices)])
    print("greedy:", greedy_generate(model, [a.ids], a.new)[0].tolist())


if __name__ == "__main__":
    main(sys.argv[1:])
