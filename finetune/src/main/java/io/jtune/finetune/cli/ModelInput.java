package io.jtune.finetune.cli;

import io.jtune.finetune.io.hub.DownloadListener;
import io.jtune.finetune.io.hub.ModelLocator;
import io.jtune.finetune.lora.LoraModel;
import io.jtune.finetune.model.CausalLm;
import io.jtune.finetune.model.ModelLoader;
import io.jtune.finetune.quant.MemoryReport;
import io.jtune.finetune.quant.Quantization;
import io.jtune.finetune.tokenize.Tokenizer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * What {@code generate} and {@code next-token} share: the MODEL (a folder, a Hugging Face cache
 * entry or a Hub id) and the prompt, as text ({@code --prompt}, optionally through the chat
 * template with {@code --chat}) or as token ids ({@code --ids}), and an optional LoRA adapter
 * ({@code --adapter}).
 */
final class ModelInput {
    @Parameters(paramLabel = "MODEL", description = "A model folder, a Hugging Face cache entry or a Hub id (org/name)")
    String model;

    static final class Prompt {
        @Option(names = "--prompt", paramLabel = "TEXT", required = true, description = "The prompt as text")
        String text;

        @Option(names = "--ids", paramLabel = "1,2,3", required = true, converter = TokenIds.Converter.class,
                description = "The prompt as token ids")
        TokenIds ids;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Prompt prompt;

    @Option(names = "--chat", description = "Wrap the --prompt text in the model's chat template as a user turn")
    boolean chat;

    @Option(names = "--adapter", paramLabel = "DIR", description = "Apply a PEFT LoRA adapter folder"
            + " (adapter_config.json, adapter_model.safetensors) to MODEL")
    Path adapter;

    @Option(names = "--quant", paramLabel = "none|nf4", defaultValue = "none", description = "Keep the decoder"
            + " projections as NF4 (4-bit, double-quantized, as bitsandbytes) instead of f32 (default: ${DEFAULT-VALUE})")
    String quant;

    /** The model in {@code dir}, quantized as --quant says, with the --adapter attached (the model's close frees it too). */
    CausalLm load(Path dir) throws Exception {
        CausalLm model = ModelLoader.load(dir, Quantization.parse(quant));
        if (!quant.equals("none")) {
            System.err.println(dir + ": " + MemoryReport.of(model));
        }
        if (adapter != null) {
            try {
                LoraModel lora = LoraModel.load(model, adapter);
                System.err.println("adapter " + adapter + ": " + lora);
            } catch (Exception e) {
                model.close();
                throw e;
            }
        }
        return model;
    }

    /** The model's folder, downloading it from the Hub when needed (progress on stderr). */
    Path locate() throws Exception {
        DownloadListener progress = (file, done, total) -> System.err.printf("\rdownloading %s: %,d of %s bytes",
                file, done, total < 0 ? "?" : String.format("%,d", total));
        return ModelLocator.fromEnvironment(progress).locate(model);
    }

    /** The prompt's token ids. */
    int[] ids(Tokenizer tokenizer) {
        if (prompt.ids != null) {
            return prompt.ids.values().clone();
        }
        if (chat) {
            String rendered = tokenizer.applyChatTemplate(List.of(Map.of("role", "user", "content", prompt.text)), true);
            return tokenizer.encode(rendered, false); // the template already holds the special tokens
        }
        return tokenizer.encode(prompt.text, true);
    }
}
