package io.jtune.kernel.magic;

import io.jtune.kernel.display.DisplaySink;
import io.jtune.kernel.display.MimeBundle;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A test double for the evaluator: records what magics ask of the notebook. {@code eval} returns
 * the canned value given with {@link #answer} for that exact code (null otherwise), or throws
 * the exception given with {@link #fail}.
 */
class RecordingContext implements MagicContext {
    final List<String> evaluated = new ArrayList<>();
    final List<Path> classpath = new ArrayList<>();
    final List<List<Path>> classpathCalls = new ArrayList<>();
    final Map<String, Object> bindings = new LinkedHashMap<>();
    final List<MimeBundle> displayed = new ArrayList<>();
    private final Map<String, Object> answers = new LinkedHashMap<>();
    private final Map<String, Exception> failures = new LinkedHashMap<>();
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    private final MagicRegistry registry;
    private final Path workingDirectory;
    long evalSleepMillis;

    RecordingContext(MagicRegistry registry, Path workingDirectory) {
        this.registry = registry;
        this.workingDirectory = workingDirectory;
    }

    RecordingContext answer(String code, Object value) {
        answers.put(code, value);
        return this;
    }

    RecordingContext fail(String code, Exception e) {
        failures.put(code, e);
        return this;
    }

    String printed() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Override
    public Object eval(String code) throws Exception {
        evaluated.add(code);
        if (evalSleepMillis > 0) {
            Thread.sleep(evalSleepMillis);
        }
        if (failures.containsKey(code)) {
            throw failures.get(code);
        }
        return answers.get(code);
    }

    @Override
    public void addToClasspath(List<Path> entries) {
        classpathCalls.add(List.copyOf(entries));
        classpath.addAll(entries);
    }

    @Override
    public List<Path> classpath() {
        return List.copyOf(classpath);
    }

    @Override
    public void bind(String name, Object value) {
        bindings.put(name, value);
    }

    @Override
    public PrintStream out() {
        return out;
    }

    @Override
    public DisplaySink display() {
        return new DisplaySink() {
            @Override
            public void display(MimeBundle bundle, String displayId, boolean update) {
                displayed.add(bundle);
            }

            @Override
            public void clearOutput(boolean wait) {
                displayed.clear();
            }
        };
    }

    @Override
    public MagicRegistry registry() {
        return registry;
    }

    @Override
    public Path workingDirectory() {
        return workingDirectory;
    }
}
