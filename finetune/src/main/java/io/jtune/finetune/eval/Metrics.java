package io.jtune.finetune.eval;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jtune.finetune.data.samples.LegalVerdict;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** The built-in metrics, and the parser of a metric list such as {@code em,f1,rougeL,regex:^Verdict}. */
public final class Metrics {
    /** The names {@link #parse} knows, in the order {@code --metrics} help lists them. */
    public static final List<String> NAMES = List.of("em", "f1", "rougeL", "verdict", "json", "regex:PATTERN",
            "refusal", "loss", "latency");
    /** What an evaluation reports when no metric list is given. */
    public static final String DEFAULT = "em,f1,rougeL,loss,latency";

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    private static final Pattern FENCE = Pattern.compile("(?s)^```(?:json)?\\s*\\n(.*?)\\n?```$");

    private Metrics() {
    }

    /** Exact match after normalising case, white space and punctuation. */
    public static Metric exactMatch() {
        return Metric.of("exact_match", (c, p) -> TextMetrics.exactMatch(p.text(), c.reference()));
    }

    public static Metric tokenF1() {
        return Metric.of("token_f1", (c, p) -> TextMetrics.tokenF1(p.text(), c.reference()));
    }

    public static Metric rougeL() {
        return Metric.of("rougeL", (c, p) -> TextMetrics.rougeL(p.text(), c.reference()));
    }

    /**
     * The legal verdict: 1 when the answer's verdict line ({@link LegalVerdict#parse}) says what the
     * reference's says, 0 when it says otherwise or has none; NaN for a reference without a verdict.
     */
    public static Metric verdict() {
        return Metric.of("verdict_accuracy", (c, p) -> {
            Optional<LegalVerdict> expected = LegalVerdict.parse(c.reference());
            if (expected.isEmpty()) {
                return Double.NaN;
            }
            Optional<LegalVerdict> got = LegalVerdict.parse(p.text());
            return got.isPresent() && got.get().compliant() == expected.get().compliant() ? 1 : 0;
        });
    }

    /** The verdict as a class label, for {@link ClassificationReport}: empty when there is none. */
    public static Optional<String> verdictLabel(String text) {
        return LegalVerdict.parse(text).map(v -> v.compliant() ? "COMPLIANT" : "NON-COMPLIANT");
    }

    /** 1 when the answer (or the body of one ```json fence around it) is one valid JSON value. */
    public static Metric json() {
        return Metric.of("json_valid", (c, p) -> isJson(p.text()) ? 1 : 0);
    }

    /** Whether {@code text} (or the body of one ```json fence around it) is one valid JSON value. */
    public static boolean isJson(String text) {
        String s = text.strip();
        Matcher fenced = FENCE.matcher(s);
        if (fenced.matches()) {
            s = fenced.group(1).strip();
        }
        if (s.isEmpty()) {
            return false;
        }
        try {
            JSON.readTree(s);
            return true;
        } catch (JsonProcessingException e) {
            return false;
        }
    }

    /**
     * Format compliance: 1 when {@code regex} is found in the answer (anchor it with {@code ^} and
     * {@code $} to require the whole answer; {@code .} matches line ends too).
     */
    public static Metric regex(String regex) {
        Pattern p;
        try {
            p = Pattern.compile(regex, Pattern.DOTALL);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("metric regex:" + regex + " is not a valid regular expression: "
                    + e.getDescription() + " at index " + e.getIndex(), e);
        }
        return Metric.of("format:" + regex, (c, pr) -> p.matcher(pr.text()).find() ? 1 : 0);
    }

    /**
     * Refusal: 1 when the answer declines ({@link Refusals}) exactly when the case expects it
     * ({@code expect=refusal}), so both a missed refusal and a needless one count against it.
     */
    public static Metric refusal() {
        return Metric.of("refusal_correct", (c, p) -> Refusals.isRefusal(p.text()) == c.expectsRefusal() ? 1 : 0);
    }

    /** The reference answer's mean loss per token under the model (lower is better). */
    public static Metric loss() {
        return Metric.of("loss", false, (c, p) -> p.referenceLoss());
    }

    /** Milliseconds per example (lower is better). */
    public static Metric latency() {
        return Metric.of("latency_ms", false, (c, p) -> p.latencyMs());
    }

    /**
     * Parses a comma-separated list of metric names ({@link #NAMES}; {@code regex:} takes the rest of
     * its item, so a pattern may not hold a comma). Unknown names are refused with the list.
     */
    public static List<Metric> parse(String list) {
        List<Metric> out = new ArrayList<>();
        for (String raw : list.split(",")) {
            String name = raw.strip();
            if (name.isEmpty()) {
                continue;
            }
            out.add(switch (name) {
                case "em", "exact_match" -> exactMatch();
                case "f1", "token_f1" -> tokenF1();
                case "rougeL", "rouge_l", "rougel" -> rougeL();
                case "verdict" -> verdict();
                case "json" -> json();
                case "refusal" -> refusal();
                case "loss", "perplexity", "ppl" -> loss();
                case "latency" -> latency();
                default -> {
                    if (name.startsWith("regex:") && name.length() > 6) {
                        yield regex(name.substring(6));
                    }
                    throw new IllegalArgumentException("unknown metric '" + name + "'; known: " + String.join(", ", NAMES));
                }
            });
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("no metric named in '" + list + "'; known: " + String.join(", ", NAMES));
        }
        return out;
    }
}
