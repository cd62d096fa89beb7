package io.jtune.finetune.data.read;

import io.jtune.finetune.data.SourceRef;
import io.jtune.finetune.data.ValidationProblem;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Holds each file to one {@link RowFormat}: the one given, or else the format of the file's first
 * valid row. Rows built in a notebook (a list or a table) may mix formats unless one is given. A recognised row of another format becomes a problem naming both
 * formats and where the file's format came from; rows that were not recognised keep their own
 * problems.
 */
final class OneFormatPerFile {
    private OneFormatPerFile() {
    }

    /**
     * The outcomes, in the same order, with rows of another format turned into problems; without a
     * {@code given} format, each file's is detected only when {@code detect} is set.
     */
    static List<RecordNormalizer.Outcome> check(List<RecordNormalizer.Outcome> outcomes, RowFormat given,
                                                boolean detect) {
        Map<String, RecordNormalizer.Outcome> firstValid = new HashMap<>();
        if (given == null && detect) {
            for (RecordNormalizer.Outcome o : outcomes) {
                if (o.example() != null) {
                    firstValid.putIfAbsent(o.example().source().file(), o);
                }
            }
        }
        List<RecordNormalizer.Outcome> checked = new ArrayList<>(outcomes.size());
        for (RecordNormalizer.Outcome o : outcomes) {
            SourceRef ref = o.example() != null ? o.example().source()
                    : o.problems().isEmpty() ? null : o.problems().get(0).source();
            RecordNormalizer.Outcome first = ref == null ? null : firstValid.get(ref.file());
            RowFormat expected = given != null ? given : first == null ? null : first.format();
            if (o.format() == null || expected == null || o.format() == expected) {
                checked.add(o);
                continue;
            }
            String why = given != null ? "the format given to the loader"
                    : "the format of its first valid row, line " + first.example().source().line();
            checked.add(new RecordNormalizer.Outcome(null, List.of(new ValidationProblem(ref, "",
                    o.format().label() + " row in a file of " + expected.label() + " rows (" + why
                            + "); a file holds one format: convert the row or move it to a file of its own")),
                    o.format()));
        }
        return checked;
    }
}
