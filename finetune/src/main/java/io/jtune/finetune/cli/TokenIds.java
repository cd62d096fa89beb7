package io.jtune.finetune.cli;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** One token id of {@code --ids 1,2,3} (picocli splits the list at the commas). */
final class TokenIds implements ITypeConverter<Integer> {
    @Override
    public Integer convert(String id) {
        try {
            return Integer.valueOf(id.strip());
        } catch (NumberFormatException e) {
            throw new TypeConversionException("'" + id + "' is not a token id (give a comma-separated list: 1,2,3)");
        }
    }
}
