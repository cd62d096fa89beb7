package io.jtune.finetune.base;

import io.jtune.finetune.model.TinyModels;
import java.util.Locale;

/** The model card (README.md) of the built-in base model, in the Hugging Face layout. */
final class BaseModelCard {
    private BaseModelCard() {}

    static String text(BaseModelRecipe recipe, BaseModelBuilder.Result r) {
        TinyModels.Spec s = recipe.spec();
        return String.format(Locale.ROOT, """
                ---
                license: apache-2.0
                language: en
                library_name: transformers
                pipeline_tag: text-generation
                tags: [llama, jtune, tiny, teaching]
                ---
                # %1$s

                The built-in base model of jtune: a Llama-architecture causal language model of %2$,d parameters,
                pre-trained from random weights by jtune's own trainer (full fine-tuning, `io.jtune.finetune.train`)
                on generated conversations in the Legal Audit domain. It exists so that notebooks, the course and
                the demo can show a real fine-tuning lift offline on a laptop CPU in minutes.

                ## What it knows, and what it does not
                - It has read contract clauses of eight kinds (liability cap, indemnity, termination notice,
                  confidentiality term, governing law, payment terms, automatic renewal, data protection), drafted
                  them from their facts, summarised their facts and extracted single facts.
                - It compares quantities in the wordings of contract analysis (days, months, hours, US dollar
                  amounts), multiplies amounts by small factors, and checks whether a name is on a list.
                - Given a rule in the question, it writes the Facts, Rule and Comparison lines of an audit. The
                  rules it read come from random policies that share no threshold and no list of jurisdictions
                  with the company's contracting policy.
                - It has never seen the company's contracting policy, its thresholds, or a verdict line. That is
                  what the LoRA step on `LegalAuditGenerator`'s data teaches, and the base's verdict accuracy before
                  that step is the baseline the notebooks report.
                - It is a teaching model: it knows nothing outside this small domain.

                ## Shape
                | | |
                |---|---|
                | architecture | LlamaForCausalLM |
                | hidden size | %3$d |
                | intermediate size | %4$d |
                | layers | %5$d |
                | attention heads / key-value heads | %6$d / %7$d |
                | vocabulary | %8$d (byte-level BPE learned from the corpus, ChatML tokens) |
                | tied embeddings | %9$s |
                | context | %10$d tokens |
                | weights | float32, model.safetensors |

                The chat template is ChatML (`<|im_start|>role ... <|im_end|>`), without a default system prompt.

                ## How it was made
                Rebuild it with the command below: the same recipe and seed give the same model bit for bit on
                the same CPU and libtorch; on another CPU, float rounding moves the last digits of the losses.

                    ./jtune base-model build

                - Corpus: %11$,d conversations from `LegalPretrainCorpus` (seed %12$d); the tokenizer's merges
                  are learned from the first %13$,d of them.
                - Training: every weight, loss on every token, examples packed into rows of %14$d tokens with a
                  block-diagonal mask, %15$d rows per step, %16$s epoch(s), AdamW (betas 0.9/0.95, weight decay
                  %17$s), peak learning rate %18$s with a cosine schedule and %19$s%% warmup, gradient clipping at 1.0.
                - Result: %20$,d steps over %21$,d tokens, %22$.0f tokens/s; loss %23$.3f at the first step and
                  %24$.3f at the last; the whole build took %25$.0f s. The step-by-step log is `training-log.txt`.

                ## Use
                    %%load_model base            (in a jtune notebook)
                    ./jtune generate models/jtune-base-1m --chat --prompt "What is 2 times USD 40,000?"

                Transformers loads the folder as it is (`AutoModelForCausalLM.from_pretrained`).
                """, s.name(), r.parameters(), s.hiddenSize(), s.intermediateSize(), s.layers(), s.heads(), s.kvHeads(),
                s.vocabSize(), s.tied() ? "yes" : "no", s.maxPositions(), recipe.conversations(), recipe.seed(),
                recipe.tokenizerConversations(), recipe.seqLen(), recipe.batch(), trim(recipe.epochs()),
                trim(recipe.weightDecay()), trim(recipe.learningRate()), trim(recipe.warmupRatio() * 100), r.steps(),
                r.tokens(), r.tokensPerSecond(), r.firstLoss(), r.finalLoss(), r.seconds());
    }

    private static String trim(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }
}
