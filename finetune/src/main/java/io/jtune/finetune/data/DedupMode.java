package io.jtune.finetune.data;

/** How {@link Deduplicator} decides that two examples are the same conversation. */
public enum DedupMode {
    /** Keep every example. */
    NONE,
    /** Same roles and byte-identical contents. */
    EXACT,
    /** Same roles and contents after collapsing runs of whitespace, trimming and lower-casing. */
    NORMALIZED
}
