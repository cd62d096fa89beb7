package io.jtune.finetune.data;

/** An example that was removed because it repeats {@code original}, which was kept. */
public record Duplicate(SourceRef duplicate, SourceRef original) {
    @Override
    public String toString() {
        return duplicate + " duplicates " + original;
    }
}
