package io.jtune.finetune.io.safetensors;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Parses and validates the JSON header of a safetensors file with a streaming parser, so that a
 * malformed header costs no more memory than the tensors it describes.
 */
final class SafetensorsHeader {
    static final String METADATA_KEY = "__metadata__";

    /**
     * Field names are not canonicalized: a header of many colliding names would otherwise fill
     * Jackson's symbol table and fail with an IllegalStateException. Duplicate keys are found here,
     * with messages that name them (inside fields this reader ignores, they do not matter).
     */
    private static final JsonFactory JSON = JsonFactory.builder()
            .disable(JsonFactory.Feature.CANONICALIZE_FIELD_NAMES)
            .build();

    final Map<String, TensorInfo> tensors;
    final Map<String, String> metadata;

    private SafetensorsHeader(Map<String, TensorInfo> tensors, Map<String, String> metadata) {
        this.tensors = tensors;
        this.metadata = metadata;
    }

    private record Entry(String name, DType dtype, long[] shape, long begin, long end, int order) {}

    /**
     * Parses {@code header}, the bytes after the 8-byte length.
     *
     * @param label the file name that starts every error message
     * @param dataStart the absolute position of the data buffer (8 + header length)
     * @param dataSize the number of bytes in the data buffer (the rest of the file)
     */
    static SafetensorsHeader parse(byte[] header, String label, long dataStart, long dataSize)
            throws SafetensorsException {
        if (header.length == 0 || header[0] != '{') {
            throw new SafetensorsException(label + ": header does not start with '{', so it is not a JSON object");
        }
        checkUtf8(header, label);
        List<Entry> entries = new ArrayList<>();
        Map<String, String> metadata = Map.of();
        try (JsonParser p = JSON.createParser(header)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new SafetensorsException(label + ": header is not a JSON object");
            }
            JsonToken t;
            Set<String> seen = new HashSet<>();
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                String key = p.currentName();
                if (!seen.add(key)) {
                    throw new SafetensorsException(label + ": header names '" + key + "' twice");
                }
                p.nextToken();
                if (METADATA_KEY.equals(key)) {
                    metadata = parseMetadata(p, label);
                } else {
                    entries.add(parseTensor(p, label, key, entries.size()));
                }
            }
            if (t != JsonToken.END_OBJECT) {
                throw new SafetensorsException(label + ": header JSON object is not closed");
            }
            if (p.nextToken() != null) {
                throw new SafetensorsException(label + ": header has more JSON after its object");
            }
        } catch (SafetensorsException e) {
            throw e;
        } catch (JsonProcessingException e) {
            long at = e.getLocation() == null ? -1 : e.getLocation().getByteOffset();
            throw new SafetensorsException(label + ": header is not valid JSON"
                    + (at >= 0 ? " (at header byte " + at + ")" : "") + ": " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new SafetensorsException(label + ": header cannot be parsed: " + e.getMessage(), e);
        }
        return new SafetensorsHeader(validate(entries, label, dataStart, dataSize), metadata);
    }

    /** The header must be UTF-8; Jackson does not check every byte of names. Decodes in small pieces. */
    private static void checkUtf8(byte[] header, String label) throws SafetensorsException {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(header);
        CharBuffer out = CharBuffer.allocate(8192);
        while (true) {
            CoderResult r = decoder.decode(in, out, true);
            if (r.isError()) {
                throw new SafetensorsException(label + ": header is not valid UTF-8 (at header byte " + in.position() + ")");
            }
            if (r.isUnderflow()) {
                break;
            }
            out.clear();
        }
        out.clear();
        if (decoder.flush(out).isError()) {
            throw new SafetensorsException(label + ": header is not valid UTF-8 (it ends inside a character)");
        }
    }

    private static Map<String, String> parseMetadata(JsonParser p, String label) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            throw new SafetensorsException(label + ": \"" + METADATA_KEY + "\" is " + describe(p.currentToken())
                    + ", not an object of strings");
        }
        Map<String, String> map = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            JsonToken v = p.nextToken();
            if (v != JsonToken.VALUE_STRING) {
                throw new SafetensorsException(label + ": \"" + METADATA_KEY + "\" value for '" + key + "' is "
                        + describe(v) + ", not a string");
            }
            if (map.put(key, p.getText()) != null) {
                throw new SafetensorsException(label + ": \"" + METADATA_KEY + "\" names '" + key + "' twice");
            }
        }
        return Collections.unmodifiableMap(map);
    }

    private static Entry parseTensor(JsonParser p, String label, String name, int order) throws IOException {
        String where = label + ": tensor '" + name + "'";
        if (p.currentToken() != JsonToken.START_OBJECT) {
            throw new SafetensorsException(where + ": entry is " + describe(p.currentToken()) + ", not an object");
        }
        String dtypeName = null;
        long[] shape = null;
        long[] offsets = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken v = p.nextToken();
            if ((field.equals("dtype") && dtypeName != null) || (field.equals("shape") && shape != null)
                    || (field.equals("data_offsets") && offsets != null)) {
                throw new SafetensorsException(where + ": \"" + field + "\" is given twice");
            }
            switch (field) {
                case "dtype" -> {
                    if (v != JsonToken.VALUE_STRING) {
                        throw new SafetensorsException(where + ": \"dtype\" is " + describe(v) + ", not a string");
                    }
                    dtypeName = p.getText();
                }
                case "shape" -> shape = parseLongs(p, where, "shape");
                case "data_offsets" -> offsets = parseLongs(p, where, "data_offsets");
                default -> p.skipChildren();
            }
        }
        if (dtypeName == null || shape == null || offsets == null) {
            String missing = dtypeName == null ? "dtype" : shape == null ? "shape" : "data_offsets";
            throw new SafetensorsException(where + ": \"" + missing + "\" is missing");
        }
        String dn = dtypeName;
        DType dtype = DType.fromSafetensorsName(dtypeName).orElseThrow(() -> new SafetensorsException(
                where + ": dtype \"" + dn + "\" is not one of " + DType.knownNames()));
        if (offsets.length != 2) {
            throw new SafetensorsException(where + ": data_offsets " + Arrays.toString(offsets)
                    + " has " + offsets.length + " numbers, not 2 [begin, end]");
        }
        return new Entry(name, dtype, shape, offsets[0], offsets[1], order);
    }

    /** An array of non-negative integers that fit in a long. */
    private static long[] parseLongs(JsonParser p, String where, String field) throws IOException {
        if (p.currentToken() != JsonToken.START_ARRAY) {
            throw new SafetensorsException(where + ": \"" + field + "\" is " + describe(p.currentToken())
                    + ", not an array of integers");
        }
        long[] values = new long[4];
        int n = 0;
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            if (t != JsonToken.VALUE_NUMBER_INT) {
                throw new SafetensorsException(where + ": \"" + field + "\" holds " + describe(t)
                        + ", not only integers");
            }
            // Checked on the text first: converting a number of millions of digits would take minutes.
            if (p.getTextLength() > 19 || p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
                String text = p.getText();
                throw new SafetensorsException(where + ": \"" + field + "\" holds "
                        + (text.length() > 40 ? "a number of " + text.length() + " digits" : text)
                        + ", which does not fit in 64 bits");
            }
            long v = p.getLongValue();
            if (v < 0) {
                throw new SafetensorsException(where + ": \"" + field + "\" holds the negative number " + v);
            }
            if (n == values.length) {
                values = Arrays.copyOf(values, n * 2);
            }
            values[n++] = v;
        }
        return Arrays.copyOf(values, n);
    }

    private static String describe(JsonToken t) {
        if (t == null) {
            return "missing";
        }
        return switch (t) {
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT -> "an integer";
            case VALUE_NUMBER_FLOAT -> "a non-integer number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> t.toString();
        };
    }

    private static Map<String, TensorInfo> validate(List<Entry> entries, String label, long dataStart,
            long dataSize) throws SafetensorsException {
        for (Entry e : entries) {
            String where = label + ": tensor '" + e.name + "'";
            String shapeText = Arrays.toString(e.shape);
            long numel = 1;
            boolean empty = false;
            for (long d : e.shape) {
                empty |= d == 0;
            }
            if (!empty) {
                try {
                    for (long d : e.shape) {
                        numel = Math.multiplyExact(numel, d);
                    }
                } catch (ArithmeticException overflow) {
                    throw new SafetensorsException(where + ": shape " + shapeText
                            + " has more elements than fit in 64 bits");
                }
            } else {
                numel = 0;
            }
            long needed;
            try {
                needed = Math.multiplyExact(numel, (long) e.dtype.byteSize());
            } catch (ArithmeticException overflow) {
                throw new SafetensorsException(where + ": shape " + shapeText + " of " + e.dtype.safetensorsName()
                        + " needs more bytes than fit in 64 bits");
            }
            String offsets = "data_offsets [" + e.begin + ", " + e.end + "]";
            if (e.begin > e.end) {
                throw new SafetensorsException(where + ": " + offsets + " end before they begin");
            }
            if (e.end > dataSize) {
                throw new SafetensorsException(where + ": " + offsets + " run past the end of the data buffer, which holds "
                        + dataSize + " bytes");
            }
            long held = e.end - e.begin;
            if (held != needed) {
                throw new SafetensorsException(where + ": " + offsets + " hold " + held + " bytes but shape "
                        + shapeText + " of " + e.dtype.safetensorsName() + " needs " + needed);
            }
        }
        List<Entry> sorted = new ArrayList<>(entries);
        sorted.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end)
                .thenComparingInt(Entry::order));
        Map<String, TensorInfo> result = new LinkedHashMap<>();
        Entry previous = null;
        for (Entry e : sorted) {
            if (previous != null && e.begin < previous.end) {
                throw new SafetensorsException(label + ": tensors '" + previous.name + "' (data_offsets ["
                        + previous.begin + ", " + previous.end + "]) and '" + e.name + "' (data_offsets ["
                        + e.begin + ", " + e.end + "]) overlap");
            }
            previous = e;
            result.put(e.name, new TensorInfo(e.name, e.dtype, e.shape, dataStart + e.begin, e.end - e.begin));
        }
        return Collections.unmodifiableMap(result);
    }
}
