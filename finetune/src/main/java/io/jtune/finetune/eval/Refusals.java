package io.jtune.finetune.eval;

import java.util.regex.Pattern;

/**
 * Whether an answer declines: the phrases with which assistants say that they cannot answer or that
 * what they need is missing, matched case-insensitively anywhere in the answer's first 300
 * characters (a long answer that mentions "cannot" in its reasoning is not a refusal).
 */
public final class Refusals {
    private static final Pattern DECLINES = Pattern.compile(String.join("|",
            "\\bI (?:cannot|can ?not|can't|am unable to|'m unable to|am not able to|won't|will not)\\b",
            "\\b(?:cannot|can't|unable to) (?:be )?(?:determine|determined|answer|tell|assess|decide|say)\\b",
            "\\bnot enough (?:information|context|detail)",
            "\\b(?:insufficient|missing) (?:information|context|details?)\\b",
            "\\bno (?:clause|contract|context|text) (?:was|is|has been) (?:given|provided|included)",
            "\\b(?:is|was) not (?:provided|given|included)\\b",
            "\\bI (?:do not|don't) (?:know|have)\\b",
            "\\bplease (?:provide|share|paste)\\b"), Pattern.CASE_INSENSITIVE);
    private static final int WINDOW = 300;

    private Refusals() {
    }

    public static boolean isRefusal(String answer) {
        String head = answer.length() > WINDOW ? answer.substring(0, WINDOW) : answer;
        return DECLINES.matcher(head).find();
    }
}
