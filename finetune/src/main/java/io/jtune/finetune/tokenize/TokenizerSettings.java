package io.jtune.finetune.tokenize;

import io.jtune.finetune.io.FileKinds;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a model folder says about its tokenizer besides {@code tokenizer.json}: the special tokens
 * ({@code tokenizer_config.json}, with {@code special_tokens_map.json} filling gaps), the token ids
 * that end generation ({@code generation_config.json}, {@code config.json}), the chat template ({@code chat_template.jinja}, else {@code tokenizer_config.json}'s
 * {@code chat_template}) and whether decoding cleans up spaces.
 */
final class TokenizerSettings {
    /** The special-token names Hugging Face passes to chat templates, in its order. */
    static final List<String> TOKEN_NAMES =
            List.of("bos_token", "eos_token", "unk_token", "sep_token", "pad_token", "cls_token", "mask_token");

    final Map<String, String> tokens = new LinkedHashMap<>();
    final List<Integer> generationEosIds = new ArrayList<>();
    final List<Integer> configEosIds = new ArrayList<>();
    Integer bosIdFromConfigs;
    Integer padIdFromConfigs;
    String chatTemplate;
    /** Where {@link #chatTemplate} was read: the file, and the field when it is tokenizer_config.json. */
    String chatTemplateOrigin;
    boolean cleanUpSpaces;
    boolean cleanUpSpacesEvenForBpe;

    /**
     * Reads the files present in {@code dir}.
     *
     * @throws IOException naming the file when one is unreadable, not JSON, or has a field of the
     *     wrong kind
     */
    static TokenizerSettings read(Path dir) throws IOException {
        TokenizerSettings s = new TokenizerSettings();
        Path configFile = dir.resolve("tokenizer_config.json");
        Path mapFile = dir.resolve("special_tokens_map.json");
        Path generationFile = dir.resolve("generation_config.json");
        Path modelConfigFile = dir.resolve("config.json");
        Path templateFile = dir.resolve("chat_template.jinja");
        try {
            Map<?, ?> config = Config.readObjectIfPresent(configFile);
            Map<?, ?> map = Config.readObjectIfPresent(mapFile);
            for (String name : TOKEN_NAMES) {
                String token = config == null ? null : Config.token(config, name, configFile);
                if (token == null && map != null) {
                    token = Config.token(map, name, mapFile);
                }
                if (token != null) {
                    s.tokens.put(name, token);
                }
            }
            if (config != null) {
                s.chatTemplate = chatTemplate(config, configFile);
                s.chatTemplateOrigin = configFile + " (chat_template)";
                s.cleanUpSpaces = Boolean.TRUE.equals(Config.flag(config, "clean_up_tokenization_spaces", configFile));
                s.cleanUpSpacesEvenForBpe = Boolean.TRUE.equals(Config.flag(config,
                        "clean_up_tokenization_spaces_for_bpe_even_though_it_will_corrupt_output", configFile));
            }
            Map<?, ?> generation = Config.readObjectIfPresent(generationFile);
            Map<?, ?> modelConfig = Config.readObjectIfPresent(modelConfigFile);
            if (generation != null) {
                s.generationEosIds.addAll(Config.ids(generation, "eos_token_id", generationFile));
                s.bosIdFromConfigs = first(Config.ids(generation, "bos_token_id", generationFile));
                s.padIdFromConfigs = first(Config.ids(generation, "pad_token_id", generationFile));
            }
            if (modelConfig != null) {
                s.configEosIds.addAll(Config.ids(modelConfig, "eos_token_id", modelConfigFile));
                if (s.bosIdFromConfigs == null) {
                    s.bosIdFromConfigs = first(Config.ids(modelConfig, "bos_token_id", modelConfigFile));
                }
                if (s.padIdFromConfigs == null) {
                    s.padIdFromConfigs = first(Config.ids(modelConfig, "pad_token_id", modelConfigFile));
                }
            }
        } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage(), e);
        }
        if (FileKinds.existsButNotRegular(templateFile)) {
            throw new IOException(templateFile + ": " + FileKinds.notRegular(templateFile));
        }
        if (Files.exists(templateFile)) {
            s.chatTemplate = Files.readString(templateFile, StandardCharsets.UTF_8);
            s.chatTemplateOrigin = templateFile.toString();
        }
        return s;
    }

    private static Integer first(List<Integer> ids) {
        return ids.isEmpty() ? null : ids.get(0);
    }

    /** {@code chat_template}: a string, or a list of {@code {"name", "template"}} (the one named "default"). */
    private static String chatTemplate(Map<?, ?> config, Path file) {
        Object value = config.get("chat_template");
        if (value == null || value instanceof String) {
            return (String) value;
        }
        if (value instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                Map<?, ?> entry = Config.object(list.get(i), file, "chat_template[" + i + "]");
                if ("default".equals(entry.get("name"))) {
                    if (!(entry.get("template") instanceof String template)) {
                        throw new IllegalArgumentException(file + ": chat_template[" + i + "].template is not a string");
                    }
                    return template;
                }
            }
            return null;
        }
        throw new IllegalArgumentException(file + ": chat_template is neither a string nor a list of named templates");
    }
}
