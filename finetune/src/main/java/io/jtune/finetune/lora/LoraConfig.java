package io.jtune.finetune.lora;

import java.util.List;
import java.util.Objects;

/**
 * A LoRA adapter's settings (Hu et al. 2021), each under the name Hugging Face PEFT's
 * {@code LoraConfig} gives it, so that an {@code adapter_config.json} maps onto this one for one.
 *
 * @param r {@code r}: the rank of A [r, in] and B [out, r]
 * @param alpha {@code lora_alpha}: the update B·A·x is scaled by alpha/r (or alpha/sqrt(r) with rslora)
 * @param dropout {@code lora_dropout}: dropout on the adapter's input, in training only, in [0, 1)
 * @param targets {@code target_modules}: which linear layers get an adapter
 * @param rslora {@code use_rslora}: scale by alpha/sqrt(r) (Kalajdzievski 2023) instead of alpha/r
 * @param bias {@code bias}: only {@code "none"} (biases stay frozen), PEFT's default
 * @param init {@code init_lora_weights}
 * @param modulesToSave {@code modules_to_save}: layers trained in full next to the adapter, e.g.
 *     {@code lm_head} or {@code embed_tokens}, saved under PEFT's names
 * @param baseModel {@code base_model_name_or_path}: recorded in the saved adapter; may be empty
 */
public record LoraConfig(int r, double alpha, double dropout, TargetModules targets, boolean rslora, String bias,
        LoraInit init, List<String> modulesToSave, String baseModel) {

    public LoraConfig {
        Objects.requireNonNull(targets, "targets");
        Objects.requireNonNull(init, "init");
        bias = bias == null ? "none" : bias;
        modulesToSave = List.copyOf(modulesToSave == null ? List.of() : modulesToSave);
        baseModel = baseModel == null ? "" : baseModel;
        if (r < 1) {
            throw new IllegalArgumentException("r (lora rank) must be at least 1, got " + r);
        }
        if (!(alpha > 0) || Double.isInfinite(alpha)) {
            throw new IllegalArgumentException("alpha (lora_alpha) must be a positive number, got " + alpha);
        }
        if (!(dropout >= 0 && dropout < 1)) {
            throw new IllegalArgumentException("dropout (lora_dropout) must be in [0, 1), got " + dropout);
        }
        if (!bias.equals("none")) {
            throw new IllegalArgumentException("bias '" + bias + "' is not supported: jtune trains LoRA with "
                    + "bias=none (biases stay frozen), PEFT's default");
        }
        for (String m : modulesToSave) {
            if (!m.equals("lm_head") && !m.equals("embed_tokens")) {
                throw new IllegalArgumentException("modules_to_save '" + m + "' is not supported: jtune trains "
                        + "lm_head and embed_tokens in full");
            }
        }
    }

    /**
     * The common recipe: r 8, alpha 16, dropout 0.05 on {@code q_proj,v_proj}, Kaiming init.
     * (PEFT's own defaults are r 8, alpha 8, dropout 0, and the same targets for Llama-family models.)
     */
    public static LoraConfig defaults() {
        return new LoraConfig(8, 16, 0.05, TargetModules.parse("q_proj,v_proj"), false, "none", LoraInit.KAIMING,
                List.of(), "");
    }

    /** The factor B·A·x is multiplied by: alpha/r, or alpha/sqrt(r) with rslora. */
    public double scale() {
        return rslora ? alpha / Math.sqrt(r) : alpha / r;
    }

    public LoraConfig withRank(int r, double alpha) {
        return new LoraConfig(r, alpha, dropout, targets, rslora, bias, init, modulesToSave, baseModel);
    }

    public LoraConfig withDropout(double dropout) {
        return new LoraConfig(r, alpha, dropout, targets, rslora, bias, init, modulesToSave, baseModel);
    }

    public LoraConfig withTargets(TargetModules targets) {
        return new LoraConfig(r, alpha, dropout, targets, rslora, bias, init, modulesToSave, baseModel);
    }

    public LoraConfig withRslora(boolean rslora) {
        return new LoraConfig(r, alpha, dropout, targets, rslora, bias, init, modulesToSave, baseModel);
    }

    public LoraConfig withInit(LoraInit init) {
        return new LoraConfig(r, alpha, dropout, targets, rslora, bias, init, modulesToSave, baseModel);
    }

    public LoraConfig withModulesToSave(List<String> modules) {
        return new LoraConfig(r, alpha, dropout, targets, rslora, bias, init, modules, baseModel);
    }

    public LoraConfig withBaseModel(String baseModel) {
        return new LoraConfig(r, alpha, dropout, targets, rslora, bias, init, modulesToSave, baseModel);
    }
}
