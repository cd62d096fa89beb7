package io.jtune.kernel.magic;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code %load FILE.jsh...}: reads each file (UTF-8, relative to the working directory) and
 * evaluates it in the notebook as a cell would. Returns the value of the last file's last
 * expression.
 */
public final class LoadMagic implements LineMagic {
    public static final String DESCRIPTION = "Run the Java code of a .jsh file in the notebook";
    public static final String USAGE = "%load FILE.jsh [MORE.jsh...]";

    @Override
    public Object run(MagicArgs args, MagicContext context) throws Exception {
        if (args.positional().isEmpty()) {
            throw new MagicException("give the file to load, for example %load setup.jsh");
        }
        Object result = null;
        for (String name : args.positional()) {
            result = context.eval(read(context.workingDirectory(), name));
        }
        return result;
    }

    /** The text of {@code name} resolved against {@code dir}. */
    static String read(Path dir, String name) throws MagicException {
        Path file = dir.resolve(name).toAbsolutePath().normalize();
        if (!Files.exists(file)) {
            throw new MagicException("No such file: " + name + " (looked for " + file + ")");
        }
        if (Files.isDirectory(file)) {
            throw new MagicException(name + " is a folder, not a file (" + file + ")");
        }
        if (!Files.isRegularFile(file)) {
            // A FIFO would block the cell until a writer comes; a device reads empty or never ends.
            throw new MagicException(name + " is not a regular file but a FIFO, device or socket (" + file + ")");
        }
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (CharacterCodingException e) {
            throw new MagicException(name + " is not UTF-8 text (" + file + ")", e);
        } catch (IOException e) {
            throw new MagicException("Cannot read " + name + " (" + file + "): " + e, e);
        }
    }
}
