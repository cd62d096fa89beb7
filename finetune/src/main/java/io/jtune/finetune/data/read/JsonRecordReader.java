package io.jtune.finetune.data.read;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import io.jtune.finetune.data.SourceRef;
import io.jtune.finetune.data.ValidationProblem;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;

/**
 * Reads JSON Lines (one object per line; blank lines are ignored) and JSON arrays of objects. The
 * source line is always the physical 1-based line: of the object in JSON Lines, of the element's
 * first character in an array (as Jackson's token location counts lines). A JSON array
 * file with bytes that are not UTF-8 or a line over the limit is not read at all, since its
 * elements cannot be told apart reliably.
 */
final class JsonRecordReader {
    /** Jackson's own limit on one string value, in characters, unless the line limit is higher. */
    static final int JACKSON_MAX_STRING_LENGTH = StreamReadConstraints.DEFAULT_MAX_STRING_LEN;

    private static final Parsing DEFAULT = new Parsing(JACKSON_MAX_STRING_LENGTH);

    private JsonRecordReader() {
    }

    /**
     * The mapper for a line limit: a JSON string cannot span lines, so a line of
     * {@code maxLineBytes} bytes holds no string longer than that many characters, and Jackson's
     * own string limit is raised to match (it would otherwise refuse strings over 20 million
     * characters on lines the limit lets through).
     */
    private record Parsing(ObjectMapper mapper, ObjectReader element) {
        Parsing(int maxStringLength) {
            this(new ObjectMapper(JsonFactory.builder().streamReadConstraints(StreamReadConstraints.builder()
                            .maxStringLength(maxStringLength).build()).build())
                    .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                    .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION));
        }

        private Parsing(ObjectMapper mapper) {
            this(mapper, mapper.readerFor(Object.class).without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS));
        }

        static Parsing forLines(int maxLineBytes) {
            return maxLineBytes <= JACKSON_MAX_STRING_LENGTH ? DEFAULT : new Parsing(maxLineBytes);
        }
    }

    static void readLines(InputStream in, String file, int maxLineBytes, List<RawRecord> out,
                          List<ValidationProblem> problems) throws IOException {
        ObjectMapper mapper = Parsing.forLines(maxLineBytes).mapper();
        try (Utf8LineReader reader = new Utf8LineReader(in, file, maxLineBytes)) {
            for (Utf8LineReader.Line line = reader.next(); line != null; line = reader.next()) {
                if (line.problem() != null) {
                    problems.add(line.problem());
                    continue;
                }
                if (line.text().isBlank()) {
                    continue;
                }
                SourceRef ref = new SourceRef(file, line.number());
                Object value;
                try {
                    value = mapper.readValue(line.text(), Object.class);
                } catch (JsonProcessingException e) {
                    JsonLocation loc = e.getLocation();
                    String col = loc == null ? "" : " at column " + loc.getColumnNr();
                    problems.add(new ValidationProblem(ref, "", "invalid JSON" + col + ": " + jacksonMessage(e)));
                    continue;
                }
                addObject(ref, value, out, problems);
            }
        }
    }

    static void readArray(InputStream in, String file, int maxLineBytes, List<RawRecord> out,
                          List<ValidationProblem> problems) throws IOException {
        String text = Utf8LineReader.readWhole(in, file, maxLineBytes, "JSON array", problems);
        if (text == null) {
            return;
        }
        int elementLine = 0;
        Parsing parsing = Parsing.forLines(maxLineBytes);
        try (JsonParser parser = parsing.mapper().createParser(text)) {
            if (parser.nextToken() != JsonToken.START_ARRAY) {
                problems.add(ValidationProblem.ofFile(file,
                        "expected a JSON array of objects, or one JSON object per line (.jsonl)"));
                return;
            }
            while (true) {
                JsonToken token;
                try {
                    token = parser.nextToken();
                    if (token == JsonToken.END_ARRAY || token == null) {
                        break;
                    }
                    elementLine = parser.currentTokenLocation().getLineNr();
                    Object value = parsing.element().readValue(parser);
                    addObject(new SourceRef(file, elementLine), value, out, problems);
                } catch (JsonProcessingException e) {
                    JsonLocation loc = e.getLocation();
                    String where = loc == null ? "" : " at line " + loc.getLineNr() + ", column " + loc.getColumnNr();
                    int line = elementLine > 0 ? elementLine : loc == null ? 1 : Math.max(loc.getLineNr(), 1);
                    problems.add(new ValidationProblem(new SourceRef(file, line), "",
                            "invalid JSON" + where + ": " + jacksonMessage(e)
                                    + "; the rest of the file was not read"));
                    return;
                }
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static void addObject(SourceRef ref, Object value, List<RawRecord> out, List<ValidationProblem> problems) {
        if (value instanceof Map<?, ?> map) {
            out.add(new RawRecord(ref, (Map<String, Object>) map));
        } else {
            problems.add(new ValidationProblem(ref, "", "expected a JSON object, got " + Values.typeName(value)));
        }
    }

    /** Jackson's own message without its source-location trailer, which names no useful source here. */
    static String jacksonMessage(JsonProcessingException e) {
        String m = String.valueOf(e.getOriginalMessage());
        int cut = m.indexOf(" (start marker at [Source");
        if (cut < 0) {
            cut = m.indexOf("\n at [Source");
        }
        return (cut < 0 ? m : m.substring(0, cut)).strip();
    }
}
