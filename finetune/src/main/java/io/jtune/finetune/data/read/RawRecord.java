package io.jtune.finetune.data.read;

import io.jtune.finetune.data.SourceRef;
import java.util.Map;

/** One row as read from a file, list or table, before it is recognised and validated. */
record RawRecord(SourceRef source, Map<String, Object> values) {
}
