package io.jtune.finetune.data.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jtune.finetune.data.Example;
import io.jtune.finetune.data.Message;
import java.util.Map;
import java.util.TreeMap;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The base model's pre-training text: seeded, every kind present, right answers, no policy. */
class LegalPretrainCorpusTest {
    private static final List<Example> CORPUS = new LegalPretrainCorpus().generate(4000, 7);

    @Test
    void theSameSeedGivesTheSameConversations() {
        assertEquals(CORPUS.subList(0, 50), new LegalPretrainCorpus().generate(50, 7));
        assertFalse(CORPUS.subList(0, 50).equals(new LegalPretrainCorpus().generate(50, 8)));
    }

    @Test
    void everyKindAppearsInRoughlyItsShare() {
        Map<String, Integer> counts = new TreeMap<>();
        for (Example e : CORPUS) {
            counts.merge(e.fields().get("kind"), 1, Integer::sum);
        }
        assertEquals(java.util.Set.of("compare", "define", "draft", "extract", "lines", "list", "multiply", "rule", "summary"),
                counts.keySet());
        assertTrue(counts.get("compare") > 650 && counts.get("multiply") > 200, counts.toString());
    }

    @Test
    void theCorpusNeverStatesThePolicyOrAVerdict() {
        LegalPolicy policy = LegalPolicy.standard();
        for (Example e : CORPUS) {
            for (Message m : e.messages()) {
                String text = m.content();
                assertTrue(LegalVerdict.parse(text).isEmpty(), text);
                assertFalse(text.contains("Verdict:"), text);
                for (LegalClauseType t : LegalClauseType.values()) {
                    assertFalse(text.contains(policy.ruleText(t)), text);
                }
            }
        }
    }

    @Test
    void ruleAnswersRestateTheRuleTheQuestionGives() {
        int checked = 0;
        for (Example e : CORPUS) {
            if (!e.fields().get("kind").equals("rule")) {
                continue;
            }
            String[] lines = e.fields().get("completion").split("\n");
            assertEquals(3, lines.length, e.fields().get("completion"));
            assertTrue(lines[0].startsWith("Facts: ") && lines[2].startsWith("Comparison: "), lines[0]);
            String rule = lines[1].substring("Rule: ".length());
            assertTrue(e.fields().get("prompt").contains(rule + " Answer with Facts, Rule and Comparison lines. "), rule);
            checked++;
        }
        assertTrue(checked > 700, "checked " + checked);
    }

    @Test
    void comparisonsAndProductsAreRight() {
        Pattern days = Pattern.compile("^(\\d+) days is (at least|fewer than) (\\d+) days\\.$");
        Pattern limit = Pattern.compile("^(\\d+) (days|hours) is (within|longer than) the (\\d+)-(day|hour) limit\\.$");
        Pattern money = Pattern.compile("^USD ([\\d,]+) is (at least|below) USD ([\\d,]+)\\.$");
        Pattern times = Pattern.compile("^(\\d) times USD ([\\d,]+) is USD ([\\d,]+)\\.$");
        int checked = 0;
        for (Example e : CORPUS) {
            String a = e.fields().get("completion");
            Matcher m;
            if ((m = days.matcher(a)).matches()) {
                assertEquals(n(m.group(1)) >= n(m.group(3)), m.group(2).equals("at least"), a);
            } else if ((m = limit.matcher(a)).matches()) {
                assertEquals(n(m.group(1)) <= n(m.group(4)), m.group(3).equals("within"), a);
            } else if ((m = money.matcher(a)).matches()) {
                assertEquals(n(m.group(1)) >= n(m.group(3)), m.group(2).equals("at least"), a);
            } else if ((m = times.matcher(a)).matches()) {
                assertEquals(n(m.group(1)) * n(m.group(2)), n(m.group(3)), a);
            } else {
                continue;
            }
            checked++;
        }
        assertTrue(checked > 600, "checked " + checked);
    }

    @Test
    void listAnswersSayWhetherTheNameIsListed() {
        Pattern q = Pattern.compile("^(?:Is (.+) one of these: (.+)\\?|Here is a list: (.+)\\. Is (.+) on it\\?"
                + "|Check whether (.+) is among (.+)\\.)$");
        int checked = 0;
        for (Example e : CORPUS) {
            if (!e.fields().get("kind").equals("list")) {
                continue;
            }
            Matcher m = q.matcher(e.fields().get("prompt"));
            assertTrue(m.matches(), e.fields().get("prompt"));
            String name = m.group(1) != null ? m.group(1) : m.group(4) != null ? m.group(4) : m.group(5);
            String list = m.group(2) != null ? m.group(2) : m.group(3) != null ? m.group(3) : m.group(6);
            boolean listed = List.of(list.split(", ")).contains(name);
            assertEquals(name + (listed ? " is " : " is not ") + "on the list.", e.fields().get("completion"));
            checked++;
        }
        assertTrue(checked > 200);
    }

    private static long n(String digits) {
        return Long.parseLong(digits.replace(",", ""));
    }
}
