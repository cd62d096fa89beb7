package io.jtune.finetune.lora;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.jtune.finetune.model.CausalLm;
import io.jtune.finetune.model.DenseWeight;
import io.jtune.finetune.model.Linear;
import io.jtune.finetune.model.WeightStorage;

/**
 * A layer trained in full next to the adapter (PEFT's {@code modules_to_save}): a copy of the LM
 * head's weight or of the embedding, which replaces the original while the adapter is on. The
 * original stays untouched, so switching the adapter off gives the base model back, as PEFT's
 * {@code ModulesToSaveWrapper} does.
 */
final class SavedModule {
    private final String module;  // lm_head or embed_tokens
    private final CausalLm model;
    private final NDArray copy;
    private NDArray originalEmbedding;
    private WeightStorage originalHead;

    private SavedModule(String module, CausalLm model, NDArray copy) {
        this.module = module;
        this.model = model;
        this.copy = copy;
    }

    /** A copy of {@code module}'s current weight in {@code manager} (or {@code values}, when loading). */
    static SavedModule of(String module, CausalLm model, NDManager manager, NDArray values) {
        if (model.config().tieWordEmbeddings()) {
            throw new IllegalArgumentException("modules_to_save " + module + ": this model ties lm_head to"
                    + " embed_tokens, so one cannot be trained apart from the other here");
        }
        NDArray current = module.equals("lm_head") ? model.lmHead().weight().dense(manager) : model.embedding();
        if (!module.equals("lm_head") && !module.equals("embed_tokens")) {
            throw new IllegalArgumentException("modules_to_save " + module + " is not supported (lm_head, embed_tokens)");
        }
        if (values != null && !values.getShape().equals(current.getShape())) {
            throw new IllegalArgumentException("modules_to_save " + module + ": the saved tensor is "
                    + values.getShape() + " but the model's is " + current.getShape());
        }
        NDArray copy = values != null ? values : current.duplicate();
        copy.attach(manager);
        return new SavedModule(module, model, copy);
    }

    String module() {
        return module;
    }

    /** The tensor name in Hugging Face terms, e.g. {@code lm_head.weight}. */
    String tensorName() {
        return module.equals("lm_head") ? "lm_head.weight" : "model.embed_tokens.weight";
    }

    NDArray copy() {
        return copy;
    }

    /** Puts the trained copy in the model. */
    synchronized void swapIn() {
        if (module.equals("lm_head")) {
            if (originalHead == null) {
                Linear head = model.lmHead();
                originalHead = head.replaceWeight(new DenseWeight(copy));
            }
        } else if (originalEmbedding == null) {
            originalEmbedding = model.replaceEmbedding(copy);
        }
    }

    /** Puts the original back (the copy stays, for the next swapIn). */
    synchronized void swapOut() {
        if (originalHead != null) {
            model.lmHead().replaceWeight(originalHead); // the DenseWeight wrapper around copy owns nothing else
            originalHead = null;
        }
        if (originalEmbedding != null) {
            model.replaceEmbedding(originalEmbedding);
            originalEmbedding = null;
        }
    }

    /** Makes the copy the model's own weight for good (merge and unload): the original is closed. */
    synchronized void keep() {
        if (originalHead != null) {
            originalHead.close();
            originalHead = null;
        }
        if (originalEmbedding != null) {
            originalEmbedding.close();
            originalEmbedding = null;
        }
        copy.attach(model.manager());
    }
}
