package io.jtune.finetune.data;

/** What the dataset loader ({@code data.read.DatasetLoader}) does with rows that fail validation. */
public enum LoadPolicy {
    /** Load nothing and throw a {@link DatasetException} listing every problem (the default). */
    STRICT,
    /** Leave bad rows out; each one is listed in {@link LoadReport#problems()}. */
    SKIP
}
