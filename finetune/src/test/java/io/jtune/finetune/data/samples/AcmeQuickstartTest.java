package io.jtune.finetune.data.samples;

import io.jtune.finetune.data.Example;
import io.jtune.finetune.data.Message;
import io.jtune.finetune.data.SourceRef;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AcmeQuickstartTest {
    @TempDir
    Path dir;

    @Test
    void theQuickstartHasBetweenFifteenAndTwentyFiveDistinctQuestions() {
        List<Example> examples = AcmeQuickstart.examples();
        assertTrue(examples.size() >= 15 && examples.size() <= 25, "size " + examples.size());
        assertEquals(examples.size(),
                examples.stream().map(e -> e.fields().get("instruction")).distinct().count());
    }

    @Test
    void theFirstExampleSaysWhatAcmeBuilds() {
        Example first = AcmeQuickstart.examples().get(0);
        assertEquals("What does Acme build?", first.fields().get("instruction"));
        assertTrue(first.fields().get("output").contains("parcel-sorting robots"));
        assertEquals(new SourceRef(AcmeQuickstart.SOURCE, 1), first.source());
    }

    @Test
    void everyExampleIsAUserQuestionAnsweredByTheAssistant() {
        for (Example e : AcmeQuickstart.examples()) {
            assertEquals(List.of(Message.user(e.fields().get("instruction")),
                    Message.assistant(e.fields().get("output"))), e.messages());
            assertEquals("", e.fields().get("input"));
        }
    }

    @Test
    void theQuickstartWrittenAsJsonlReadsBackUnchanged() {
        Path file = dir.resolve("acme.jsonl");
        AcmeQuickstart.writeJsonl(file, AcmeQuickstart.examples());
        assertEquals(AcmeQuickstart.examples().stream().map(Example::fields).toList(), LegalAlpacaJsonl.read(file));
    }
}
