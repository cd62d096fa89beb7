package io.jtune.finetune.data.format;

/**
 * A range {@code [start, end)} of Java {@code char} indexes of a {@link FormattedExample}'s text,
 * and whether it is response (trained on) or prompt (masked unless training on inputs).
 */
public record FormatSegment(int start, int end, boolean response) {
    public FormatSegment {
        if (start < 0 || end < start) {
            throw new IllegalArgumentException("bad segment [" + start + ", " + end + ")");
        }
    }
}
