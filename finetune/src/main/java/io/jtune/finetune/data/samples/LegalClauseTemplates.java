package io.jtune.finetune.data.samples;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Clause wordings and audit requests, several per clause type, with {@code {factKey}} placeholders.
 * The wording is drawn by the seeded random, so the model has to read the facts, not the phrasing.
 */
public final class LegalClauseTemplates {
    private static final Map<LegalClauseType, List<String>> CLAUSES = Map.of(
            LegalClauseType.LIABILITY_CAP, List.of(
                    "Limitation of Liability. The aggregate liability of {supplier} to {customer} arising out of or in connection with this Agreement, whether in contract, tort or otherwise, shall not exceed {liabilityCap}.",
                    "Except for liability that cannot be limited by law, {supplier}'s total liability under this Agreement shall be limited to {liabilityCap} in the aggregate.",
                    "In no event shall {supplier} be liable to {customer} for any amount exceeding {liabilityCap} in total for all claims made under or in relation to this Agreement."),
            LegalClauseType.INDEMNITY, List.of(
                    "Indemnity. {supplier} shall defend, indemnify and hold harmless {customer} against all third-party claims alleging that the Services infringe any intellectual property right, up to a maximum of {indemnityCap}.",
                    "{supplier} agrees to indemnify {customer} for losses, damages and costs resulting from third-party claims arising from {supplier}'s breach of this Agreement; {supplier}'s obligations under this clause are capped at {indemnityCap}.",
                    "Subject to a total cap of {indemnityCap}, {supplier} shall indemnify {customer} and its affiliates against any claim brought by a third party in connection with the Deliverables."),
            LegalClauseType.TERMINATION_NOTICE, List.of(
                    "Termination for Convenience. Either party may terminate this Agreement for any reason by giving the other party not less than {noticeDays}' prior written notice.",
                    "{customer} or {supplier} may end this Agreement at any time upon {noticeDays}' written notice to the other party, without liability for such termination.",
                    "This Agreement may be terminated by either party without cause, effective {noticeDays} after delivery of written notice of termination."),
            LegalClauseType.CONFIDENTIALITY_TERM, List.of(
                    "Confidentiality. Each party shall keep the other party's Confidential Information secret during the term of this Agreement and for a period of {confidentialityMonths} after its expiry or termination.",
                    "The obligations of confidentiality set out in this clause shall survive termination of this Agreement for {confidentialityMonths}.",
                    "{supplier} and {customer} shall not disclose any Confidential Information received under this Agreement for {confidentialityMonths} following the end of the Agreement."),
            LegalClauseType.GOVERNING_LAW, List.of(
                    "Governing Law. This Agreement and any dispute arising from it shall be governed by and construed in accordance with the laws of {jurisdiction}.",
                    "The parties agree that this Agreement is subject to the law of {jurisdiction}, and the courts of {jurisdiction} shall have exclusive jurisdiction over any dispute.",
                    "All matters relating to this Agreement between {supplier} and {customer} shall be governed by the laws of {jurisdiction}, without regard to its conflict of laws rules."),
            LegalClauseType.PAYMENT_TERMS, List.of(
                    "Payment. {customer} shall pay each undisputed invoice issued by {supplier} within {paymentDays} of the date of receipt.",
                    "Invoices are payable in full within {paymentDays} from the invoice date by bank transfer to the account nominated by {supplier}.",
                    "All fees due under this Agreement shall be paid by {customer} no later than {paymentDays} after {supplier} issues the relevant invoice."),
            LegalClauseType.AUTO_RENEWAL, List.of(
                    "Renewal. This Agreement shall renew automatically for successive terms of {renewalMonths} each unless either party gives notice of non-renewal at least {optOutDays} before the end of the then-current term.",
                    "At the end of the initial term, this Agreement renews automatically for a further {renewalMonths}, unless {customer} notifies {supplier} in writing {optOutDays} or more before the renewal date.",
                    "Unless cancelled by written notice given not less than {optOutDays} before expiry, the subscription shall be extended automatically by renewal periods of {renewalMonths}."),
            LegalClauseType.DATA_PROTECTION, List.of(
                    "Data Protection. {supplier} shall notify {customer} of any personal data breach affecting {customer}'s data without undue delay and in any event within {breachHours} of becoming aware of it.",
                    "Where {supplier} becomes aware of a personal data breach, it shall inform {customer} within {breachHours} and provide all information reasonably required to assess the breach.",
                    "In the event of a security incident involving personal data processed under this Agreement, {supplier} shall give {customer} written notice within {breachHours}."));

    private static final List<String> REQUESTS = List.of(
            "Audit the following {clauseType} clause against our contracting policy.",
            "Review this {clauseType} clause and tell me whether it complies with the contracting policy.",
            "Check the {clauseType} clause below for policy compliance and give your verdict.",
            "Does this {clauseType} clause meet our contract policy? Analyse it and conclude with a verdict.",
            "Please assess the {clauseType} provision below against the company's contracting policy.");

    private static final List<String> CONTEXTS = List.of(
            " The agreement is between {supplier} (supplier) and {customer} (customer) and has a total contract value of {contractValue}.",
            " Supplier: {supplier}. Customer: {customer}. Total contract value: {contractValue}.",
            " It comes from a contract worth {contractValue} in total, under which {supplier} supplies services to {customer}.");

    private LegalClauseTemplates() {}

    /** The clause text for {@code type} with {@code facts} filled in, in a randomly drawn wording. */
    public static String clause(LegalClauseType type, Map<String, String> facts, Random random) {
        List<String> wordings = CLAUSES.get(type);
        return LegalFacts.fill(wordings.get(random.nextInt(wordings.size())), LegalFacts.display(facts));
    }

    /** A sentence naming the parties and the contract value, in a randomly drawn wording, with a leading space. */
    public static String context(Map<String, String> facts, Random random) {
        return LegalFacts.fill(CONTEXTS.get(random.nextInt(CONTEXTS.size())), LegalFacts.display(facts));
    }

    /** The audit request for a {@code type} clause, naming the parties and contract value. */
    public static String request(LegalClauseType type, Map<String, String> facts, Random random) {
        Map<String, String> vars = new LinkedHashMap<>(LegalFacts.display(facts));
        vars.put("clauseType", type.label());
        String template = REQUESTS.get(random.nextInt(REQUESTS.size()))
                + CONTEXTS.get(random.nextInt(CONTEXTS.size()));
        return LegalFacts.fill(template, vars);
    }
}
