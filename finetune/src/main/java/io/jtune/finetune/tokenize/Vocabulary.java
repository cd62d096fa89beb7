package io.jtune.finetune.tokenize;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;

/**
 * The token strings of a {@code tokenizer.json}: the model's vocabulary (a token-to-id object for
 * BPE, WordPiece and WordLevel; a list of {@code [piece, score]} for Unigram) and the added tokens.
 */
final class Vocabulary {
    private final Map<String, Integer> ids = new HashMap<>();
    private final Map<Integer, String> tokens = new HashMap<>();
    private final Set<Integer> special = new HashSet<>();
    private final String modelType;
    private int size;

    /**
     * Reads the vocabulary of a parsed {@code tokenizer.json}.
     *
     * @throws IllegalArgumentException naming the file and field when they are not as expected
     */
    Vocabulary(Object json, Path file) {
        Map<?, ?> root = Config.object(json, file, "the top level");
        Map<?, ?> model = Config.object(root.get("model"), file, "model");
        this.modelType = model.get("type") instanceof String t ? t : "";
        Object vocab = model.get("vocab");
        if (vocab instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> e : map.entrySet()) {
                put((String) e.getKey(), Config.integer(e.getValue(), file, "model.vocab[\"" + e.getKey() + "\"]"));
            }
        } else if (vocab instanceof List<?> pieces) {
            for (int i = 0; i < pieces.size(); i++) {
                if (!(pieces.get(i) instanceof List<?> piece) || piece.isEmpty() || !(piece.get(0) instanceof String s)) {
                    throw new IllegalArgumentException(file + ": model.vocab[" + i + "] is not a [piece, score] pair");
                }
                put(s, i);
            }
        } else {
            throw new IllegalArgumentException(file + ": model.vocab is missing or not an object or list");
        }
        Object added = root.get("added_tokens");
        if (added != null) {
            if (!(added instanceof List<?> list)) {
                throw new IllegalArgumentException(file + ": added_tokens is not a list");
            }
            for (int i = 0; i < list.size(); i++) {
                Map<?, ?> token = Config.object(list.get(i), file, "added_tokens[" + i + "]");
                if (!(token.get("content") instanceof String content)) {
                    throw new IllegalArgumentException(file + ": added_tokens[" + i + "].content is not a string");
                }
                int id = Config.integer(token.get("id"), file, "added_tokens[" + i + "].id");
                put(content, id);
                if (Boolean.TRUE.equals(token.get("special"))) {
                    special.add(id);
                }
            }
        }
    }

    private void put(String token, int id) {
        ids.put(token, id);
        tokens.putIfAbsent(id, token);
        size = Math.max(size, id + 1);
    }

    /** One more than the largest id. */
    int size() {
        return size;
    }

    /** The model type: {@code BPE}, {@code WordPiece}, {@code WordLevel}, {@code Unigram}. */
    String modelType() {
        return modelType;
    }

    String token(int id) {
        return tokens.get(id);
    }

    OptionalInt id(String token) {
        Integer id = ids.get(token);
        return id == null ? OptionalInt.empty() : OptionalInt.of(id);
    }

    boolean isSpecial(int id) {
        return special.contains(id);
    }

    List<Integer> specialIds() {
        return special.stream().sorted().toList();
    }
}
