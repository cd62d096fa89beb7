package io.jtune.finetune.data.format;

import io.jtune.finetune.data.SourceRef;
import java.util.ArrayList;
import java.util.List;

/**
 * An example rendered as text by a {@link PromptFormat}: the text, its segments in order (they
 * cover the text without gaps), and where the example came from.
 */
public record FormattedExample(String text, List<FormatSegment> segments, SourceRef source) {
    public FormattedExample {
        segments = List.copyOf(segments);
        int at = 0;
        for (FormatSegment s : segments) {
            if (s.start() != at) {
                throw new IllegalArgumentException("segments must cover the text in order; gap or overlap at " + at);
            }
            at = s.end();
        }
        if (at != text.length()) {
            throw new IllegalArgumentException("segments end at " + at + " but the text has " + text.length() + " chars");
        }
    }

    /** The response segments, in order. */
    public List<FormatSegment> responses() {
        List<FormatSegment> out = new ArrayList<>();
        for (FormatSegment s : segments) {
            if (s.response()) {
                out.add(s);
            }
        }
        return out;
    }

    /** The text of one segment. */
    public String text(FormatSegment segment) {
        return text.substring(segment.start(), segment.end());
    }

    /** Builds a formatted example piece by piece; empty pieces are dropped, neighbours of the same role merged. */
    public static final class Builder {
        private final StringBuilder text = new StringBuilder();
        private final List<FormatSegment> segments = new ArrayList<>();

        /** Appends prompt text. */
        public Builder prompt(String s) {
            return add(s, false);
        }

        /** Appends response text. */
        public Builder response(String s) {
            return add(s, true);
        }

        private Builder add(String s, boolean response) {
            if (s.isEmpty()) {
                return this;
            }
            int start = text.length();
            text.append(s);
            int last = segments.size() - 1;
            if (last >= 0 && segments.get(last).response() == response) {
                segments.set(last, new FormatSegment(segments.get(last).start(), text.length(), response));
            } else {
                segments.add(new FormatSegment(start, text.length(), response));
            }
            return this;
        }

        /** The formatted example. */
        public FormattedExample build(SourceRef source) {
            return new FormattedExample(text.toString(), segments, source);
        }
    }

    /** A new, empty builder. */
    public static Builder builder() {
        return new Builder();
    }
}
