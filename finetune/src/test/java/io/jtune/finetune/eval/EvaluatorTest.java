package io.jtune.finetune.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import io.jtune.finetune.base.BuiltinBase;
import io.jtune.finetune.data.Example;
import io.jtune.finetune.data.Message;
import io.jtune.finetune.data.SourceRef;
import io.jtune.finetune.data.batch.Batcher;
import io.jtune.finetune.data.format.LabelMasker;
import io.jtune.finetune.data.format.PromptFormat;
import io.jtune.finetune.data.format.TokenizedExample;
import io.jtune.finetune.lora.LoraConfig;
import io.jtune.finetune.lora.LoraModel;
import io.jtune.finetune.lora.TargetModules;
import io.jtune.finetune.model.CausalLm;
import io.jtune.finetune.model.ForwardInput;
import io.jtune.finetune.model.GradMode;
import io.jtune.finetune.model.ModelLoader;
import io.jtune.finetune.model.TinyModels;
import io.jtune.finetune.tokenize.Tokenizer;
import io.jtune.finetune.train.LrSchedule;
import io.jtune.finetune.train.TokenLoss;
import io.jtune.finetune.train.TrainConfig;
import io.jtune.finetune.train.TrainListener;
import io.jtune.finetune.train.Trainer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The evaluator on a tiny random model and on the built-in base: batching, the reference loss, adapter off and on. */
class EvaluatorTest {
    @TempDir
    static Path dir;

    static final List<String[]> QA = List.of(
            new String[] {"Is a notice period of 30 days compliant?", "Verdict: COMPLIANT"},
            new String[] {"Is a notice period of 5 days compliant?", "Verdict: NON-COMPLIANT \u2014 the notice is too short"},
            new String[] {"Is a liability cap of $900 compliant?", "Verdict: NON-COMPLIANT \u2014 the cap is too low"},
            new String[] {"Is a liability cap of $5,000 compliant?", "Verdict: COMPLIANT"},
            new String[] {"Is governing law of Delaware compliant?", "Verdict: COMPLIANT"});

    static List<EvalCase> cases() {
        List<EvalCase> out = new ArrayList<>();
        for (int i = 0; i < QA.size(); i++) {
            out.add(EvalCase.of("case-" + (i + 1), new Example(List.of(new Message("user", QA.get(i)[0]),
                    new Message("assistant", QA.get(i)[1])), Map.of(), new SourceRef("cases.jsonl", i + 1))));
        }
        return out;
    }

    @BeforeAll
    static void writeModel() throws Exception {
        StringBuilder text = new StringBuilder(TinyModels.trainingText());
        for (String[] qa : QA) {
            text.append(qa[0]).append('\n').append(qa[1]).append('\n');
        }
        TinyModels.write(dir, TinyModels.TEST_LLAMA, 11, text.toString());
    }

    @Test
    void batchedAnswersAreTheAnswersOfOneAtATimeInCaseOrder() throws Exception {
        try (Tokenizer tok = Tokenizer.load(dir); CausalLm lm = ModelLoader.load(dir)) {
            EvalConfig config = EvalConfig.defaults().withMaxNewTokens(6);
            List<String> progress = new ArrayList<>();
            EvalResult batched = Evaluator.chat(lm, tok).run("base", cases(), config.withBatchSize(3),
                    (label, done, total, rate, eta) -> progress.add(label + " " + done + "/" + total));
            EvalResult single = Evaluator.chat(lm, tok).run("base", cases(), config.withBatchSize(1), EvalListener.NONE);
            assertEquals(List.of("base 3/5", "base 5/5"), progress);
            for (int i = 0; i < QA.size(); i++) {
                assertEquals(single.predictions().get(i).text(), batched.predictions().get(i).text(), "case " + i);
                assertEquals(single.predictions().get(i).referenceLoss(), batched.predictions().get(i).referenceLoss(), 1e-4);
            }
            assertEquals(List.of("exact_match", "token_f1", "rougeL", "loss", "latency_ms"),
                    batched.summary().stringColumn("metric").asList().subList(0, 5));
        }
    }

    @Test
    void theReferenceLossIsTheLossOfTheAnswerAlone() throws Exception {
        try (Tokenizer tok = Tokenizer.load(dir); CausalLm lm = ModelLoader.load(dir)) {
            EvalResult r = Evaluator.chat(lm, tok).run("base", cases(), EvalConfig.defaults().withMaxNewTokens(2)
                    .withBatchSize(5), EvalListener.NONE);
            LabelMasker masker = new LabelMasker(tok, 512);
            double weighted = 0;
            long tokens = 0;
            for (int i = 0; i < QA.size(); i++) {
                TokenizedExample e = masker.maskAll(List.of(cases().get(i).example()), PromptFormat.chat(tok)).examples().get(0);
                int[] ids = e.inputIds();
                double loss;
                try (GradMode off = GradMode.off(); NDManager scope = lm.manager().newSubManager()) {
                    TokenLoss.Sum s = TokenLoss.of(scope, lm.logits(scope, ForwardInput.of(new int[][] {ids}), null),
                            new int[][] {e.labels()});
                    loss = s.sum().getFloat() / s.count();
                    weighted += s.sum().getFloat();
                    tokens += s.count();
                }
                assertEquals(loss, r.predictions().get(i).referenceLoss(), 1e-4, "case " + i);
                assertEquals(loss, r.scores("loss")[i], 1e-4);
            }
            assertEquals(Math.exp(weighted / tokens), r.perplexity(), 1e-3);
            assertTrue(r.mean("loss") > 5, "a random model is near ln(vocab) = 5.95: " + r.mean("loss"));
        }
    }

    /** On the built-in base (a random model would need hundreds of steps to learn five answers). */
    @Test
    void adapterOffIsTheBaseAndTrainingShowsInTheComparison() throws Exception {
        Path builtin = Path.of("..", BuiltinBase.RELATIVE); // tests run in finetune/
        try (Tokenizer tok = Tokenizer.load(builtin); CausalLm lm = ModelLoader.load(builtin)) {
            EvalConfig config = EvalConfig.defaults().withMaxNewTokens(16).withMetrics("em,f1,verdict,loss");
            Evaluator ev = Evaluator.chat(lm, tok);
            EvalResult base = ev.run("base", cases(), config, EvalListener.NONE);
            List<Example> general = List.of(
                    new Example(List.of(new Message("user", "Summarise the clause."), new Message("assistant",
                            "The supplier keeps the data in the region for two years.")), Map.of(), new SourceRef("general", 1)),
                    new Example(List.of(new Message("user", "What is 12 times 3?"), new Message("assistant", "36")),
                            Map.of(), new SourceRef("general", 2)));
            LossReport plain = ev.loss("base", general, 1);
            try (LoraModel lora = LoraModel.attach(lm, LoraConfig.defaults().withRank(8, 16).withDropout(0)
                    .withTargets(TargetModules.parse("all-linear")), 5)) {
                List<TokenizedExample> train = new LabelMasker(tok, 512)
                        .maskAll(cases().stream().map(EvalCase::example).toList(), PromptFormat.chat(tok)).examples();
                TrainConfig tc = TrainConfig.defaults().withSteps(0, 40).withLearningRate(1e-2, LrSchedule.CONSTANT, 0, 0)
                        .withBatch(5, 1).withOrder(1, false);
                Trainer.lora(lora, tc).train(train, Batcher.forTokenizer(tok, 1).padId(), TrainListener.NONE);
                Comparison c = ev.compareAdapter(lora, cases(), config, EvalListener.NONE);
                for (int i = 0; i < QA.size(); i++) {
                    assertEquals(base.predictions().get(i).text(), c.before().predictions().get(i).text(),
                            "adapter off answers as the base did, case " + i);
                }
                assertTrue(lora.enabled(), "the adapter is on again after the comparison");
                ForgettingCheck forgetting = ev.forgetting(lora, general, 2);
                assertEquals(plain.loss(), forgetting.before().loss(), 1e-5, "adapter off is the base, batched or not");
                assertEquals(plain.tokens(), forgetting.before().tokens());
                assertTrue(Double.isFinite(forgetting.after().loss()) && forgetting.after().loss() != plain.loss(),
                        forgetting.toString());
                assertTrue(c.after().mean("token_f1") > c.before().mean("token_f1") + 0.5, c.table().print());
                assertTrue(c.after().mean("verdict_accuracy") >= 0.8, c.table().print());
                assertTrue(c.after().mean("loss") < c.before().mean("loss") - 2, c.table().print());
                Bootstrap.Interval f1 = c.difference("token_f1");
                assertTrue(f1.low() > 0 && f1.n() == 5, f1.toString());
                assertEquals(0, c.regressions("token_f1").rowCount(), c.perExample("token_f1").print());
                assertEquals(List.of("metric", "adapter off", "adapter on", "difference", "ci95_low", "ci95_high", "n"),
                        c.table().columnNames());
            }
        }
    }

    @Test
    void resultsSaveAsCsvAndJsonl() throws Exception {
        try (Tokenizer tok = Tokenizer.load(dir); CausalLm lm = ModelLoader.load(dir)) {
            EvalResult r = Evaluator.chat(lm, tok).run("base", cases(), EvalConfig.defaults().withMaxNewTokens(3)
                    .withMetrics("em,verdict"), EvalListener.NONE);
            Path csv = dir.resolve("out/results.csv");
            Path jsonl = dir.resolve("out/results.jsonl");
            r.saveCsv(csv);
            r.saveJsonl(jsonl);
            List<String> lines = Files.readAllLines(jsonl);
            assertEquals(5, lines.size());
            assertTrue(lines.get(0).startsWith("{\"id\":\"case-1\",\"model\":\"base\""), lines.get(0));
            assertTrue(lines.get(0).contains("\"reference_loss\":null") && lines.get(0).contains("\"verdict_accuracy\":"),
                    lines.get(0));
            assertTrue(Files.readString(csv).startsWith("id,question,expected,answer,exact_match,verdict_accuracy"));
            try (var left = Files.list(dir.resolve("out"))) {
                assertEquals(2, left.count(), "no temp file is left");
            }
        }
    }

    @Test
    void aPromptTooLongForTheAnswerAndAStopRequestAreReported() throws Exception {
        try (Tokenizer tok = Tokenizer.load(dir); CausalLm lm = ModelLoader.load(dir)) {
            Evaluator ev = Evaluator.chat(lm, tok);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> ev.run("base", cases(), EvalConfig.defaults().withMaxNewTokens(500), EvalListener.NONE));
            assertTrue(e.getMessage().startsWith("case case-1: its prompt has") && e.getMessage().contains("max_new_tokens"),
                    e.getMessage());
            Thread.currentThread().interrupt();
            try {
                CancellationException c = assertThrows(CancellationException.class,
                        () -> ev.run("base", cases(), EvalConfig.defaults().withMaxNewTokens(2), EvalListener.NONE));
                assertEquals("evaluation of base stopped after 0 of 5 cases", c.getMessage());
            } finally {
                Thread.interrupted();
            }
        }
    }
}
