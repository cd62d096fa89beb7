package io.jtune.finetune.data.read;

import io.jtune.finetune.data.SourceRef;
import io.jtune.finetune.data.ValidationProblem;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads CSV (comma) and TSV (tab) files as RFC 4180 records: the first record is the header; a
 * field may be quoted with {@code "}, and a quoted field may hold delimiters, newlines and doubled
 * quotes ({@code ""}); a CRLF inside a quoted field is read as LF. Blank lines are ignored. Every
 * value is a string. The source line of a row is the physical 1-based line its record starts on,
 * also when a quoted field spans several lines. A file with bytes that are not UTF-8 or a line over
 * the limit is not read.
 */
final class CsvRecordReader {
    private CsvRecordReader() {
    }

    /** One parsed record, or the reason it could not be parsed. */
    private record Row(int line, List<String> fields, String error) {
    }

    static void read(InputStream in, String file, char delimiter, int maxLineBytes, List<RawRecord> out,
                     List<ValidationProblem> problems) throws IOException {
        String text = Utf8LineReader.readWhole(in, file, maxLineBytes, "file", problems);
        if (text == null) {
            return;
        }
        List<Row> rows = parse(text, delimiter);
        if (rows.isEmpty()) {
            return;
        }
        Row header = rows.get(0);
        if (header.error() != null) {
            problems.add(new ValidationProblem(new SourceRef(file, 0), "header", header.error()));
            return;
        }
        List<String> names = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (String raw : header.fields()) {
            String name = raw.strip();
            if (name.isEmpty() || !seen.add(name)) {
                problems.add(new ValidationProblem(new SourceRef(file, 0), "header", name.isEmpty()
                        ? "empty column name in the header (line 1)"
                        : "column '" + name + "' appears twice in the header (line 1)"));
                return;
            }
            names.add(name);
        }
        for (int r = 1; r < rows.size(); r++) {
            Row row = rows.get(r);
            SourceRef ref = new SourceRef(file, row.line());
            if (row.error() != null) {
                problems.add(new ValidationProblem(ref, "", row.error()));
            } else if (row.fields().size() != names.size()) {
                problems.add(new ValidationProblem(ref, "", "record has " + row.fields().size()
                        + " fields, the header has " + names.size()));
            } else {
                Map<String, Object> values = new LinkedHashMap<>();
                for (int i = 0; i < names.size(); i++) {
                    values.put(names.get(i), row.fields().get(i));
                }
                out.add(new RawRecord(ref, values));
            }
        }
    }

    private static List<Row> parse(CharSequence s, char delimiter) {
        List<Row> rows = new ArrayList<>();
        int i = 0;
        int line = 1;
        int n = s.length();
        while (i < n) {
            int startLine = line;
            List<String> fields = new ArrayList<>();
            StringBuilder field = new StringBuilder();
            String error = null;
            boolean endOfRecord = false;
            if (s.charAt(i) == '\n') {
                i++;
                line++;
                continue;
            }
            while (!endOfRecord && error == null) {
                if (i < n && s.charAt(i) == '"') {
                    i++;
                    boolean closed = false;
                    while (i < n) {
                        char c = s.charAt(i++);
                        if (c == '"') {
                            if (i < n && s.charAt(i) == '"') {
                                field.append('"');
                                i++;
                            } else {
                                closed = true;
                                break;
                            }
                        } else {
                            if (c == '\n') {
                                line++;
                            }
                            field.append(c);
                        }
                    }
                    if (!closed) {
                        error = "quoted field is never closed; the rest of the file was not read";
                        break;
                    }
                    if (i < n && s.charAt(i) != delimiter && s.charAt(i) != '\n') {
                        error = "unexpected character '" + s.charAt(i) + "' after a closing quote";
                        break;
                    }
                } else {
                    while (i < n && s.charAt(i) != delimiter && s.charAt(i) != '\n') {
                        field.append(s.charAt(i++));
                    }
                }
                fields.add(field.toString());
                field.setLength(0);
                if (i >= n) {
                    endOfRecord = true;
                } else if (s.charAt(i) == delimiter) {
                    i++;
                } else {
                    i++;
                    line++;
                    endOfRecord = true;
                }
            }
            if (error != null) {
                while (i < n && s.charAt(i) != '\n') {
                    i++;
                }
                rows.add(new Row(startLine, List.of(), error));
            } else {
                rows.add(new Row(startLine, fields, null));
            }
        }
        return rows;
    }
}
