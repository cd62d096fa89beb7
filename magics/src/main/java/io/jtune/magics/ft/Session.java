package io.jtune.magics.ft;

import io.jtune.finetune.model.LoadedModel;
import io.jtune.kernel.magic.MagicContext;
import io.jtune.kernel.magic.MagicException;
import java.util.Optional;

/**
 * What the fine-tuning magics remember between cells: the last model loaded, which is what
 * {@code model=} means when it is not given. Everything else lives in notebook variables, which
 * the magics read by name ({@code data=ds}, {@code model=m}).
 */
public final class Session {
    private static volatile LoadedModel last;

    private Session() {
    }

    /** Forgets the last model (tests). */
    static void reset() {
        last = null;
    }

    static void loaded(LoadedModel m) {
        last = m;
    }

    /** The model named by {@code model=} (a notebook variable), or the last one loaded. */
    static LoadedModel model(Opts o, MagicContext ctx, String magic) throws Exception {
        Optional<String> name = Optional.ofNullable(o.str("model", null));
        if (name.isPresent()) {
            return variable(ctx, name.get(), LoadedModel.class, "model", magic);
        }
        if (last == null) {
            throw new MagicException("%" + magic + " needs a model and none is loaded: run %load_model base as model"
                    + " (or a folder or Hub id) first");
        }
        return last;
    }

    /**
     * {@code value}, shown in the cell as well when it is bound with {@code as NAME} (a bound result
     * is not displayed by the kernel, and these summaries are what the magic is for).
     */
    public static io.jtune.kernel.magic.LineMagic showingBound(io.jtune.kernel.magic.LineMagic magic) {
        return (args, ctx) -> shown(args, ctx, magic.run(args, ctx));
    }

    static <T> T shown(io.jtune.kernel.magic.MagicArgs args, MagicContext ctx, T value) {
        if (args.bindName().isPresent() && value != null) {
            ctx.display().display(io.jtune.kernel.display.Renderers.render(value), null, false);
        }
        return value;
    }

    /** The notebook variable {@code name}, which must hold a {@code type}. */
    static <T> T variable(MagicContext ctx, String name, Class<T> type, String key, String magic) throws Exception {
        if (!name.matches("[A-Za-z_$][A-Za-z0-9_$]*")) {
            throw new MagicException("%" + magic + ": " + key + "=" + name + " must name a notebook variable");
        }
        Object v;
        try {
            v = ctx.eval(name);
        } catch (Exception e) {
            throw new MagicException("%" + magic + ": " + key + "=" + name + ": no such variable in the notebook", e);
        }
        if (!type.isInstance(v)) {
            throw new MagicException("%" + magic + ": " + key + "=" + name + " holds "
                    + (v == null ? "null" : "a " + v.getClass().getSimpleName()) + ", not a " + type.getSimpleName());
        }
        return type.cast(v);
    }
}
