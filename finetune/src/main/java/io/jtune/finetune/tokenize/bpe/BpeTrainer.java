package io.jtune.finetune.tokenize.bpe;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Learns byte-level BPE merges from a text, deterministically: the text is split into words with
 * GPT-2's pre-tokenization pattern, each word into bytes; then, again and again, the most frequent
 * adjacent pair of tokens (counted over all words, weighted by how often each word occurs) is
 * merged into a new token, ties going to the pair with the smaller left id, then the smaller right
 * id.
 */
final class BpeTrainer {
    /** GPT-2's pre-tokenization pattern, as the ByteLevel pre-tokenizer uses it. */
    static final Pattern GPT2_SPLIT = Pattern.compile(
            "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+",
            Pattern.UNICODE_CHARACTER_CLASS);

    /** One learned merge: {@code left + right} makes the token {@code id}. */
    record Merge(int left, int right, int id) {}

    private final List<String> tokens = new ArrayList<>();
    private final Map<String, Integer> ids = new HashMap<>();
    private final List<Merge> merges = new ArrayList<>();

    private BpeTrainer() {
        for (int id = 0; id < 256; id++) {
            String token = String.valueOf(ByteLevelAlphabet.charOf(ByteLevelAlphabet.byteOf(id)));
            tokens.add(token);
            ids.put(token, id);
        }
    }

    /**
     * Learns merges from {@code text} until the vocabulary holds {@code size} tokens (256 bytes
     * plus the merged tokens).
     *
     * @throws IllegalArgumentException when the text runs out of pairs to merge first
     */
    static BpeTrainer train(String text, int size) {
        BpeTrainer trainer = new BpeTrainer();
        List<int[]> words = new ArrayList<>();
        List<Integer> counts = new ArrayList<>();
        Map<String, Integer> index = new LinkedHashMap<>();
        Matcher m = GPT2_SPLIT.matcher(text);
        while (m.find()) {
            String word = m.group();
            Integer at = index.get(word);
            if (at != null) {
                counts.set(at, counts.get(at) + 1);
                continue;
            }
            index.put(word, words.size());
            byte[] bytes = word.getBytes(StandardCharsets.UTF_8);
            int[] symbols = new int[bytes.length];
            for (int i = 0; i < bytes.length; i++) {
                symbols[i] = ByteLevelAlphabet.idOf(bytes[i]);
            }
            words.add(symbols);
            counts.add(1);
        }
        while (trainer.tokens.size() < size) {
            long best = bestPair(words, counts);
            if (best < 0) {
                throw new IllegalArgumentException("the training text gives only " + (trainer.tokens.size() - 256)
                        + " merged tokens; " + (size - 256) + " were asked for");
            }
            int left = (int) (best >>> 32);
            int right = (int) best;
            int id = trainer.add(left, right);
            for (int w = 0; w < words.size(); w++) {
                words.set(w, merge(words.get(w), left, right, id));
            }
        }
        return trainer;
    }

    private int add(int left, int right) {
        String token = tokens.get(left) + tokens.get(right);
        Integer id = ids.get(token);
        if (id == null) {
            id = tokens.size();
            tokens.add(token);
            ids.put(token, id);
        }
        merges.add(new Merge(left, right, id));
        return id;
    }

    /** The most frequent pair as {@code left << 32 | right}, or -1 when no word has two tokens. */
    private static long bestPair(List<int[]> words, List<Integer> counts) {
        Map<Long, Long> pairs = new HashMap<>();
        for (int w = 0; w < words.size(); w++) {
            int[] s = words.get(w);
            for (int i = 0; i + 1 < s.length; i++) {
                pairs.merge(((long) s[i] << 32) | s[i + 1], (long) counts.get(w), Long::sum);
            }
        }
        long best = -1;
        long bestCount = 0;
        for (Map.Entry<Long, Long> e : pairs.entrySet()) {
            long pair = e.getKey();
            long count = e.getValue();
            if (count > bestCount || (count == bestCount && pair < best)) {
                best = pair;
                bestCount = count;
            }
        }
        return best;
    }

    private static int[] merge(int[] symbols, int left, int right, int id) {
        int[] out = new int[symbols.length];
        int n = 0;
        for (int i = 0; i < symbols.length; i++) {
            if (i + 1 < symbols.length && symbols[i] == left && symbols[i + 1] == right) {
                out[n++] = id;
                i++;
            } else {
                out[n++] = symbols[i];
            }
        }
        return n == symbols.length ? symbols : Arrays.copyOf(out, n);
    }

    /** The tokens by id: the 256 bytes, then the merged tokens. */
    List<String> tokens() {
        return List.copyOf(tokens);
    }

    /** The merges in the order learned (their rank). */
    List<Merge> merges() {
        return List.copyOf(merges);
    }
}
