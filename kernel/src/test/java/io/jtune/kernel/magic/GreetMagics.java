package io.jtune.kernel.magic;

/** A provider in test sources: {@code %greet NAME} returns a greeting. */
public final class GreetMagics implements MagicProvider {
    public static final String DESCRIPTION = "Greet someone (a magic contributed by a test provider)";

    @Override
    public void register(MagicRegistry registry) {
        registry.registerLine("greet", DESCRIPTION, "%greet NAME",
                (args, context) -> "Hello, " + String.join(" ", args.positional()) + "!")
                .alias("hello", "greet");
    }
}
