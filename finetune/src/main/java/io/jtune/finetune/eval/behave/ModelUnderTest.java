package io.jtune.finetune.eval.behave;

import io.jtune.finetune.lora.LoraModel;
import io.jtune.finetune.model.CausalLm;
import io.jtune.finetune.model.ModelLoader;
import io.jtune.finetune.tokenize.Tokenizer;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The model a behavioural test class asserts on. {@link BehaviourRunner} sets it for each model it
 * runs the class against (the base, then the tuned model, in a notebook); under a plain
 * {@code mvn test} it is loaded once from system properties, so that the same class gates a model
 * in a user's CI: {@code -Djtune.test.model=DIR} (required), {@code -Djtune.test.adapter=DIR},
 * {@code -Djtune.test.system="..."} (a system prompt), {@code -Djtune.test.max_new_tokens=128}.
 */
public final class ModelUnderTest {
    private static volatile ModelAssertions current;
    private static ModelAssertions fromProperties;

    private ModelUnderTest() {
    }

    public static ModelAssertions get() {
        ModelAssertions m = current;
        return m != null ? m : loaded();
    }

    /** Sets the model for the tests that run next; null goes back to the properties. Returns the previous one. */
    static ModelAssertions set(ModelAssertions m) {
        ModelAssertions before = current;
        current = m;
        return before;
    }

    /** Drops the model loaded from the properties (tests that change them). */
    static synchronized void forget() {
        fromProperties = null;
    }

    private static synchronized ModelAssertions loaded() {
        if (fromProperties != null) {
            return fromProperties;
        }
        String dir = System.getProperty("jtune.test.model");
        if (dir == null || dir.isBlank()) {
            throw new IllegalStateException("no model under test: run the class through BehaviourRunner (the %%test"
                    + " magic), or give -Djtune.test.model=DIR [-Djtune.test.adapter=DIR]");
        }
        try {
            Path p = Path.of(dir);
            CausalLm lm = ModelLoader.load(p);
            Tokenizer tok = Tokenizer.load(p);
            String adapter = System.getProperty("jtune.test.adapter");
            if (adapter != null && !adapter.isBlank()) {
                LoraModel.load(lm, Path.of(adapter)); // lives as long as the model: the test JVM
            }
            int max = Integer.getInteger("jtune.test.max_new_tokens", 128);
            fromProperties = new ModelAssertions(adapter != null ? "tuned" : p.getFileName().toString(), lm, tok,
                    Optional.ofNullable(System.getProperty("jtune.test.system")), max);
            return fromProperties;
        } catch (Exception e) {
            throw new IllegalStateException("cannot load the model under test from " + dir + ": " + e.getMessage(), e);
        }
    }
}
