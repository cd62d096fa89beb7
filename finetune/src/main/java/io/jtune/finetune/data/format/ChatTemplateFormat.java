package io.jtune.finetune.data.format;

import io.jtune.finetune.data.Example;
import io.jtune.finetune.data.Message;
import io.jtune.finetune.tokenize.Tokenizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The model's chat template. Every assistant turn is a response segment; the rest (system and user
 * turns, the template's role headers) is prompt.
 *
 * <p>Turn boundaries are found by rendering prefixes of the conversation: for assistant turn
 * {@code i}, the text rendered for turns {@code 0..i-1} with the generation prompt ends where the
 * response starts. The response runs through the first end-of-turn token the template writes
 * after the turn's content (any of {@link Tokenizer#eosIds()}, e.g. {@code <|im_end|>}), so that
 * the model learns to stop; what follows it (a newline) is prompt. When the template writes no
 * such token, the response ends with the content and {@link LabelMasker} appends the eos token.
 * Templates whose renderings of growing prefixes are not prefixes of each other are refused.
 */
public final class ChatTemplateFormat implements PromptFormat {
    private final Tokenizer tokenizer;
    private final List<String> endTexts = new ArrayList<>();

    ChatTemplateFormat(Tokenizer tokenizer) {
        this.tokenizer = tokenizer;
        for (int id : tokenizer.eosIds()) {
            String t = tokenizer.tokenText(id);
            if (t != null && !t.isEmpty()) {
                endTexts.add(t);
            }
        }
    }

    @Override
    public FormattedExample format(Example example) {
        List<Map<String, String>> turns = new ArrayList<>();
        for (Message m : example.messages()) {
            turns.add(Map.of("role", m.role(), "content", m.content()));
        }
        String full = tokenizer.applyChatTemplate(turns, false);
        FormattedExample.Builder b = FormattedExample.builder();
        int at = 0;
        for (int i = 0; i < turns.size(); i++) {
            if (!example.messages().get(i).role().equals("assistant")) {
                continue;
            }
            String before = tokenizer.applyChatTemplate(turns.subList(0, i), true);
            String through = tokenizer.applyChatTemplate(turns.subList(0, i + 1), false);
            if (!through.startsWith(before) || !full.startsWith(through) || before.length() < at) {
                throw new IllegalArgumentException(example.source() + ": the chat template does not render the"
                        + " conversation turn by turn (turn " + (i + 1) + "), so assistant turns cannot be located");
            }
            String content = example.messages().get(i).content();
            int contentAt = through.indexOf(content, before.length());
            int searchFrom = contentAt >= 0 ? contentAt + content.length() : before.length();
            int end = contentAt >= 0 ? searchFrom : through.length();
            int endToken = Integer.MAX_VALUE;
            String endText = null;
            for (String t : endTexts) {
                int p = through.indexOf(t, searchFrom);
                if (p >= 0 && p < endToken) {
                    endToken = p;
                    endText = t;
                }
            }
            if (endText != null) {
                end = endToken + endText.length();
            }
            b.prompt(full.substring(at, before.length()));
            b.response(full.substring(before.length(), end));
            at = end;
        }
        b.prompt(full.substring(at));
        return b.build(example.source());
    }

    /** {@code chat:} and the SHA-256 of the chat template's text, so a changed template shows in the metadata. */
    @Override
    public String describe() {
        String template = tokenizer.chatTemplate().orElse("");
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(template.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return "chat:" + java.util.HexFormat.of().formatHex(digest);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
