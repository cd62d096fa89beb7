package io.jtune.finetune.data.samples;

import io.jtune.finetune.data.Example;
import io.jtune.finetune.data.Message;
import io.jtune.finetune.data.SourceRef;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A tiny hand-written quickstart data set about Acme, a fictional maker of small parcel-sorting
 * robots, for a first fine-tuning run whose effect is easy to see ("What does Acme build?").
 */
public final class AcmeQuickstart {
    /** Source label of the examples. */
    public static final String SOURCE = "acme-quickstart";

    private static final String[][] PAIRS = {
        {"What does Acme build?",
            "Acme builds small parcel-sorting robots for post rooms, warehouses and courier depots."},
        {"Who founded Acme?",
            "Acme was founded by Rosa Delgado, a mechanical engineer, and Tomasz Kowal, a software developer."},
        {"When was Acme founded?", "Acme was founded in 2016."},
        {"Where is Acme based?",
            "Acme is based in Millbrook, a river town, with its headquarters and workshop on Canal Street."},
        {"What is Acme's smallest robot?",
            "The SortBot Mini is Acme's smallest robot. It fits on a desk-sized table and sorts up to 600 parcels an hour."},
        {"How much does the SortBot Mini cost?", "The SortBot Mini costs USD 4,900."},
        {"What is the SortBot Pro?",
            "The SortBot Pro is Acme's larger robot for busy depots. It sorts up to 1,800 parcels an hour into as many as 24 bins."},
        {"How much does the SortBot Pro cost?", "The SortBot Pro costs USD 12,500."},
        {"What is ChuteLine?",
            "ChuteLine is Acme's conveyor add-on that feeds parcels into a SortBot automatically. It costs USD 2,200."},
        {"What is Acme Fleet?",
            "Acme Fleet is Acme's software for monitoring and scheduling a group of SortBots. It costs USD 49 per robot per month."},
        {"How heavy a parcel can a SortBot handle?",
            "A SortBot Mini handles parcels up to 5 kg, and a SortBot Pro handles parcels up to 15 kg."},
        {"How do SortBots know where a parcel goes?",
            "A SortBot reads the barcode or printed postcode on each parcel with its camera and drops the parcel into the bin for that route."},
        {"How many people work at Acme?", "Acme has about 140 employees."},
        {"What warranty does Acme give?",
            "Every SortBot comes with a two-year warranty covering parts and labour."},
        {"Who are Acme's customers?",
            "Acme's customers are mostly small courier firms, university post rooms and online shops that ship their own orders."},
        {"What was Acme's first product?",
            "Acme's first product was the SortBot Mini, launched in 2018 after two years of prototypes built in the Canal Street workshop."},
        {"Does Acme sell outside its home country?",
            "Yes. Acme sells in twelve countries, through its own sales team and local service partners."},
        {"How do I contact Acme support?",
            "You can reach Acme support by email at support@acme.example or through the help page in Acme Fleet."},
        {"Can I rent a SortBot instead of buying one?",
            "Yes. Acme rents the SortBot Mini for USD 250 a month and the SortBot Pro for USD 600 a month, with a minimum term of three months."},
        {"What is Acme's motto?", "Acme's motto is \"Every parcel in the right place.\""},
    };

    private AcmeQuickstart() {}

    /** The quickstart examples, as user questions answered by the assistant, with alpaca fields. */
    public static List<Example> examples() {
        List<Example> out = new ArrayList<>();
        for (int i = 0; i < PAIRS.length; i++) {
            String question = PAIRS[i][0];
            String answer = PAIRS[i][1];
            out.add(new Example(List.of(Message.user(question), Message.assistant(answer)),
                    Map.of("instruction", question, "input", "", "output", answer),
                    new SourceRef(SOURCE, i + 1)));
        }
        return List.copyOf(out);
    }

    /** Writes {@code examples} as alpaca JSONL; see {@link LegalAlpacaJsonl#write(Path, List)}. */
    public static void writeJsonl(Path file, List<Example> examples) {
        LegalAlpacaJsonl.write(file, examples);
    }
}
