package io.jtune.finetune.eval.behave;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * Runs a JUnit 5 test class of behavioural assertions once per model through the JUnit Platform
 * Launcher, with {@link ModelUnderTest#get()} answering each model in turn, and collects a
 * pass/fail table: one row per test, one column per model.
 */
public final class BehaviourRunner {
    private BehaviourRunner() {
    }

    /** One test's outcome on one model: PASSED, FAILED or SKIPPED, and the failure message. */
    public record Outcome(String test, String model, String status, String message) {}

    /** The outcomes of a run, in test order. */
    public record Report(List<String> models, List<Outcome> outcomes) {
        public long failures(String model) {
            return outcomes.stream().filter(o -> o.model().equals(model) && o.status().equals("FAILED")).count();
        }

        /** Rows: tests; columns: models (PASSED / FAILED / SKIPPED). */
        public Table table() {
            Map<String, Map<String, String>> rows = new LinkedHashMap<>();
            for (Outcome o : outcomes) {
                rows.computeIfAbsent(o.test(), t -> new LinkedHashMap<>()).put(o.model(), o.status());
            }
            Table t = Table.create("behaviour", StringColumn.create("test"));
            for (String m : models) {
                t.addColumns(StringColumn.create(m));
            }
            rows.forEach((test, byModel) -> {
                t.stringColumn("test").append(test);
                for (String m : models) {
                    t.stringColumn(m).append(byModel.getOrDefault(m, ""));
                }
            });
            return t;
        }

        /** The failure messages, model by model. */
        public String failuresText() {
            StringBuilder b = new StringBuilder();
            for (Outcome o : outcomes) {
                if (o.status().equals("FAILED")) {
                    b.append(o.model()).append(" / ").append(o.test()).append(":\n  ").append(o.message()
                            .replace("\n", "\n  ")).append('\n');
                }
            }
            return b.toString();
        }
    }

    public static Report run(Class<?> testClass, List<ModelAssertions> models) {
        Launcher launcher = LauncherFactory.create();
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request().selectors(selectClass(testClass))
                .build();
        List<Outcome> outcomes = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (ModelAssertions m : models) {
            names.add(m.name());
            ModelAssertions before = ModelUnderTest.set(m);
            try {
                launcher.execute(request, new TestExecutionListener() {
                    @Override
                    public void executionFinished(TestIdentifier id, TestExecutionResult result) {
                        if (id.isTest()) {
                            String message = result.getThrowable().map(t -> t.getMessage() == null ? t.toString()
                                    : t.getMessage()).orElse("");
                            outcomes.add(new Outcome(id.getDisplayName(), m.name(), result.getStatus().name()
                                    .replace("SUCCESSFUL", "PASSED").replace("ABORTED", "SKIPPED"), message));
                        }
                    }

                    @Override
                    public void executionSkipped(TestIdentifier id, String reason) {
                        if (id.isTest()) {
                            outcomes.add(new Outcome(id.getDisplayName(), m.name(), "SKIPPED", reason));
                        }
                    }
                });
            } finally {
                ModelUnderTest.set(before);
            }
        }
        return new Report(names, outcomes);
    }
}
