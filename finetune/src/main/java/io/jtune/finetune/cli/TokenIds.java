package io.jtune.finetune.cli;

import java.util.Arrays;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** A prompt given as token ids, {@code --ids 1,2,3}. */
record TokenIds(int[] values) {
    /** Reads {@code 1,2,3} (blanks around the ids are allowed). */
    static final class Converter implements ITypeConverter<TokenIds> {
        @Override
        public TokenIds convert(String csv) {
            try {
                return new TokenIds(Arrays.stream(csv.split(",")).map(String::strip).filter(s -> !s.isEmpty())
                        .mapToInt(Integer::parseInt).toArray());
            } catch (NumberFormatException e) {
                throw new TypeConversionException("'" + csv + "' is not a comma-separated list of token ids");
            }
        }
    }
}
