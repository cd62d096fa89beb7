package io.jtune.finetune.data.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LegalVerdictTest {
    @Test
    void verdictLinesHaveTheFixedFormatAndParseBack() {
        assertEquals("Verdict: COMPLIANT", LegalVerdict.pass().line());
        LegalVerdict fail = LegalVerdict.fail("notice is too short");
        assertEquals("Verdict: NON-COMPLIANT \u2014 notice is too short", fail.line());
        assertEquals(Optional.of(fail), LegalVerdict.parse("Facts: x\nRule: y\n" + fail.line() + "\n"));
        assertEquals(Optional.of(LegalVerdict.pass()), LegalVerdict.parse("analysis\nVerdict: COMPLIANT"));
    }

    @Test
    void textWithoutAVerdictLineParsesToNothing() {
        assertTrue(LegalVerdict.parse("The clause looks fine to me.").isEmpty());
        assertTrue(LegalVerdict.parse("Verdict: NON-COMPLIANT").isEmpty());
    }

    @Test
    void aNonCompliantVerdictNeedsAReason() {
        assertThrows(IllegalArgumentException.class, () -> LegalVerdict.fail(" "));
    }

    @Test
    void theStandardPolicyAppliesItsThresholdsInclusively() {
        LegalPolicy p = LegalPolicy.standard();
        Map<String, String> base = Map.of(LegalFacts.CONTRACT_VALUE, "100000");
        assertTrue(p.evaluate(LegalClauseType.LIABILITY_CAP, with(base, LegalFacts.LIABILITY_CAP, "100000")).compliant());
        assertEquals(false, p.evaluate(LegalClauseType.LIABILITY_CAP, with(base, LegalFacts.LIABILITY_CAP, "99999")).compliant());
        assertTrue(p.evaluate(LegalClauseType.INDEMNITY, with(base, LegalFacts.INDEMNITY_CAP, "200000")).compliant());
        assertEquals(false, p.evaluate(LegalClauseType.INDEMNITY, with(base, LegalFacts.INDEMNITY_CAP, "150000")).compliant());
        assertTrue(p.evaluate(LegalClauseType.TERMINATION_NOTICE, Map.of(LegalFacts.NOTICE_DAYS, "30")).compliant());
        assertEquals(false, p.evaluate(LegalClauseType.TERMINATION_NOTICE, Map.of(LegalFacts.NOTICE_DAYS, "29")).compliant());
        assertTrue(p.evaluate(LegalClauseType.CONFIDENTIALITY_TERM, Map.of(LegalFacts.CONFIDENTIALITY_MONTHS, "36")).compliant());
        assertEquals(false, p.evaluate(LegalClauseType.CONFIDENTIALITY_TERM, Map.of(LegalFacts.CONFIDENTIALITY_MONTHS, "33")).compliant());
        assertTrue(p.evaluate(LegalClauseType.GOVERNING_LAW, Map.of(LegalFacts.JURISDICTION, "Delaware")).compliant());
        assertEquals(false, p.evaluate(LegalClauseType.GOVERNING_LAW, Map.of(LegalFacts.JURISDICTION, "Texas")).compliant());
        assertTrue(p.evaluate(LegalClauseType.PAYMENT_TERMS, Map.of(LegalFacts.PAYMENT_DAYS, "60")).compliant());
        assertEquals(false, p.evaluate(LegalClauseType.PAYMENT_TERMS, Map.of(LegalFacts.PAYMENT_DAYS, "65")).compliant());
        assertTrue(p.evaluate(LegalClauseType.AUTO_RENEWAL, Map.of(LegalFacts.RENEWAL_MONTHS, "12")).compliant());
        assertEquals(false, p.evaluate(LegalClauseType.AUTO_RENEWAL, Map.of(LegalFacts.RENEWAL_MONTHS, "13")).compliant());
        assertTrue(p.evaluate(LegalClauseType.DATA_PROTECTION, Map.of(LegalFacts.BREACH_HOURS, "72")).compliant());
        assertEquals(false, p.evaluate(LegalClauseType.DATA_PROTECTION, Map.of(LegalFacts.BREACH_HOURS, "78")).compliant());
    }

    private static Map<String, String> with(Map<String, String> base, String key, String value) {
        HashMap<String, String> m = new HashMap<>(base);
        m.put(key, value);
        return m;
    }
}
