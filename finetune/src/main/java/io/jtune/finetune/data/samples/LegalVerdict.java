package io.jtune.finetune.data.samples;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The outcome of auditing one clause: compliant, or not with a short reason. {@link #line()} is the
 * fixed last line of every analysis and {@link #parse(String)} reads it back, for evaluation.
 */
public record LegalVerdict(boolean compliant, String reason) {
    private static final Pattern LINE =
            Pattern.compile("(?m)^Verdict: (COMPLIANT|NON-COMPLIANT)(?: \u2014 (.+?))?\\s*$");

    public LegalVerdict {
        reason = reason == null ? "" : reason;
        if (!compliant && reason.isBlank()) {
            throw new IllegalArgumentException("a non-compliant verdict needs a reason");
        }
    }

    /** A compliant verdict. */
    public static LegalVerdict pass() {
        return new LegalVerdict(true, "");
    }

    /** A non-compliant verdict for {@code reason}. */
    public static LegalVerdict fail(String reason) {
        return new LegalVerdict(false, reason);
    }

    /** {@code Verdict: COMPLIANT} or {@code Verdict: NON-COMPLIANT — <reason>}. */
    public String line() {
        return compliant ? "Verdict: COMPLIANT" : "Verdict: NON-COMPLIANT \u2014 " + reason;
    }

    /** The last verdict line in {@code text}, if it has one. */
    public static Optional<LegalVerdict> parse(String text) {
        Matcher m = LINE.matcher(text);
        LegalVerdict found = null;
        while (m.find()) {
            boolean ok = m.group(1).equals("COMPLIANT");
            String reason = m.group(2) == null ? "" : m.group(2);
            if (ok || !reason.isBlank()) {
                found = new LegalVerdict(ok, reason);
            }
        }
        return Optional.ofNullable(found);
    }
}
