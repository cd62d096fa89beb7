package io.jtune.finetune.model;

import ai.djl.ndarray.NDArray;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * What {@link CausalLm#parameters()} reports: the model's parameters walked in Hugging Face's
 * order, read afresh each time (a projection's storage may have been replaced), plus which of them
 * a trainer should leave alone.
 */
final class ParameterTable {
    private final Supplier<NDArray> embedding;
    private final boolean tied;
    private final List<DecoderLayer> layers;
    private final RmsNorm norm;
    private final Linear lmHead;
    private final Set<String> frozen = ConcurrentHashMap.newKeySet();

    ParameterTable(Supplier<NDArray> embedding, boolean tied, List<DecoderLayer> layers, RmsNorm norm, Linear lmHead) {
        this.embedding = embedding;
        this.tied = tied;
        this.layers = layers;
        this.norm = norm;
        this.lmHead = lmHead;
    }

    long bytes() {
        long bytes = 0;
        for (Slot s : slots()) {
            bytes += s.bytes;
        }
        return bytes;
    }

    List<Parameter> list() {
        List<Parameter> out = new ArrayList<>();
        for (Slot s : slots()) {
            out.add(new Parameter(s.name, s.shape, s.kind, s.bytes, s.differentiable && !frozen.contains(s.name),
                    s.tied));
        }
        return Collections.unmodifiableList(out);
    }

    /** The arrays of the parameters marked trainable, by name, in order (a tied parameter once). */
    Map<String, NDArray> trainableArrays() {
        return arrays(name -> !frozen.contains(name));
    }

    /** The arrays of every dense parameter, by name, in order (a tied parameter once). */
    Map<String, NDArray> denseArrays() {
        return arrays(name -> true);
    }

    private Map<String, NDArray> arrays(Predicate<String> wanted) {
        Map<String, NDArray> out = new LinkedHashMap<>();
        put(out, wanted, "model.embed_tokens.weight", embedding.get());
        for (DecoderLayer layer : layers) {
            Attention a = layer.attention();
            for (Linear l : List.of(a.qProj(), a.kProj(), a.vProj(), a.oProj(),
                    layer.mlp().gateProj(), layer.mlp().upProj(), layer.mlp().downProj())) {
                putLinear(out, wanted, l);
            }
            String p = "model.layers." + layer.index() + ".";
            put(out, wanted, p + "input_layernorm.weight", layer.inputNorm().weight());
            put(out, wanted, p + "post_attention_layernorm.weight", layer.postAttentionNorm().weight());
        }
        put(out, wanted, "model.norm.weight", norm.weight());
        if (lmHead.tiedTo().isEmpty()) {
            putLinear(out, wanted, lmHead);
        }
        return out;
    }

    private static void putLinear(Map<String, NDArray> out, Predicate<String> wanted, Linear l) {
        WeightStorage w = l.weight();
        if (w instanceof DenseWeight && w.differentiable()) {
            put(out, wanted, l.name() + ".weight", w.dense(null));
        }
        if (l.bias() != null) {
            put(out, wanted, l.name() + ".bias", l.bias());
        }
    }

    private static void put(Map<String, NDArray> out, Predicate<String> wanted, String name, NDArray a) {
        if (wanted.test(name) && a.getDataType().isFloating()) {
            out.put(name, a);
        }
    }

    int setTrainable(Predicate<String> names, boolean trainable) {
        List<Slot> matched = slots().stream()
                .filter(s -> names.test(s.name) || s.tied.stream().anyMatch(names))
                .toList();
        if (trainable) {
            for (Slot s : matched) {
                if (!s.differentiable) {
                    throw new IllegalArgumentException(s.name + " is held as " + s.kind
                            + " and cannot be trained in place; attach an adapter to it instead");
                }
            }
        }
        for (Slot s : matched) {
            if (trainable) {
                frozen.remove(s.name);
            } else {
                frozen.add(s.name);
            }
        }
        return matched.size();
    }

    /** A parameter as the model holds it, before the trainable flag is applied. */
    private record Slot(String name, long[] shape, String kind, long bytes, boolean differentiable, List<String> tied) {
        static Slot of(String name, NDArray a, List<String> tied) {
            return new Slot(name, a.getShape().getShape(), a.getDataType().name().toLowerCase(),
                    a.size() * a.getDataType().getNumOfBytes(), a.getDataType().isFloating(), tied);
        }
    }

    private List<Slot> slots() {
        List<Slot> out = new ArrayList<>();
        out.add(Slot.of("model.embed_tokens.weight", embedding.get(), tied ? List.of("lm_head.weight") : List.of()));
        for (DecoderLayer layer : layers) {
            Attention a = layer.attention();
            for (Linear l : List.of(a.qProj(), a.kProj(), a.vProj(), a.oProj(),
                    layer.mlp().gateProj(), layer.mlp().upProj(), layer.mlp().downProj())) {
                addLinear(out, l);
            }
            String p = "model.layers." + layer.index() + ".";
            out.add(Slot.of(p + "input_layernorm.weight", layer.inputNorm().weight(), List.of()));
            out.add(Slot.of(p + "post_attention_layernorm.weight", layer.postAttentionNorm().weight(), List.of()));
        }
        out.add(Slot.of("model.norm.weight", norm.weight(), List.of()));
        if (lmHead.tiedTo().isEmpty()) {
            addLinear(out, lmHead);
        }
        return out;
    }

    private static void addLinear(List<Slot> out, Linear l) {
        WeightStorage w = l.weight();
        out.add(new Slot(l.name() + ".weight", w.shape(), w.kind(), w.bytes(), w.differentiable(), List.of()));
        if (l.bias() != null) {
            out.add(Slot.of(l.name() + ".bias", l.bias(), List.of()));
        }
    }
}
