package io.jtune.kernel.magic;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * The magics a notebook knows, by name, with aliases. Thread-safe; the register methods return
 * the registry so calls can be chained.
 *
 * <p>Registering a line form for a name that has a cell form (or the reverse) makes one
 * {@link MagicSpec} with both forms; its description is the first one given and its usage joins
 * both usages with {@code " | "}. Registering the same form again replaces it.
 */
public final class MagicRegistry {
    private final Map<String, MagicSpec> specs = new HashMap<>();
    private final Map<String, String> aliases = new HashMap<>();

    /** Registers (or replaces) the line form {@code %name}. */
    public MagicRegistry registerLine(String name, String description, String usage,
            LineMagic magic) {
        if (magic == null) {
            throw new IllegalArgumentException("%" + name + ": the line magic is null");
        }
        return register(new MagicSpec(name, description, usage, magic, null));
    }

    /** Registers (or replaces) the cell form {@code %%name}. */
    public MagicRegistry registerCell(String name, String description, String usage,
            CellMagic magic) {
        if (magic == null) {
            throw new IllegalArgumentException("%%" + name + ": the cell magic is null");
        }
        return register(new MagicSpec(name, description, usage, null, magic));
    }

    private synchronized MagicRegistry register(MagicSpec added) {
        String name = added.name();
        aliases.remove(name);
        MagicSpec old = specs.get(name);
        if (old == null) {
            specs.put(name, added);
            return this;
        }
        boolean keepOldLine = added.line() == null && old.line() != null;
        boolean keepOldCell = added.cell() == null && old.cell() != null;
        if (!keepOldLine && !keepOldCell) {
            specs.put(name, added);
            return this;
        }
        String description = old.description().isEmpty() ? added.description() : old.description();
        String usage = old.usage().equals(added.usage()) || old.usage().contains(added.usage())
                ? old.usage() : old.usage() + " | " + added.usage();
        specs.put(name, new MagicSpec(name, description, usage,
                keepOldLine ? old.line() : added.line(), keepOldCell ? old.cell() : added.cell()));
        return this;
    }

    /**
     * Makes {@code alias} another name of {@code target} (itself a name or an alias).
     *
     * @throws IllegalArgumentException when {@code target} is unknown or {@code alias} is the
     *     name of a registered magic
     */
    public synchronized MagicRegistry alias(String alias, String target) {
        MagicNames.check(alias);
        String resolved = aliases.getOrDefault(target, target);
        if (!specs.containsKey(resolved)) {
            throw new IllegalArgumentException(
                    "Cannot alias %" + alias + " to %" + target + ": no such magic");
        }
        if (specs.containsKey(alias)) {
            throw new IllegalArgumentException(
                    "%" + alias + " is a magic of its own, it cannot become an alias");
        }
        aliases.put(alias, resolved);
        return this;
    }

    /** The magic called {@code name} (a leading {@code %} or {@code %%} is ignored), aliases resolved. */
    public synchronized Optional<MagicSpec> find(String name) {
        String n = MagicNames.strip(name);
        return Optional.ofNullable(specs.get(aliases.getOrDefault(n, n)));
    }

    /** Every magic, sorted by name (aliases are not repeated; see {@link #aliases()}). */
    public synchronized Collection<MagicSpec> all() {
        return List.copyOf(new TreeMap<>(specs).values());
    }

    /** Alias to target name, sorted by alias. */
    public synchronized Map<String, String> aliases() {
        return Collections.unmodifiableMap(new TreeMap<>(aliases));
    }

    /** The aliases of the magic named {@code name}, sorted. */
    public synchronized List<String> aliasesOf(String name) {
        List<String> out = new ArrayList<>();
        aliases.forEach((a, t) -> {
            if (t.equals(name)) {
                out.add(a);
            }
        });
        out.sort(null);
        return out;
    }

    /** The registered name or alias closest to {@code name}, when one is close enough. */
    public Optional<String> suggest(String name) {
        return suggest(name, spec -> true);
    }

    /** Like {@link #suggest(String)}, among magics that pass {@code filter}. */
    synchronized Optional<String> suggest(String name, Predicate<MagicSpec> filter) {
        List<String> candidates = new ArrayList<>();
        specs.forEach((n, s) -> {
            if (filter.test(s)) {
                candidates.add(n);
            }
        });
        aliases.forEach((a, t) -> {
            if (filter.test(specs.get(t))) {
                candidates.add(a);
            }
        });
        return MagicNames.closest(MagicNames.strip(name), candidates);
    }

    /**
     * A registry with the magics of every {@link MagicProvider} on the class path (found with
     * {@link ServiceLoader}): the kernel's {@link GeneralMagics} and whatever other modules contribute.
     *
     * @throws IllegalStateException when two providers register the same name or alias
     */
    public static MagicRegistry discover() {
        List<MagicProvider> providers = new ArrayList<>();
        ServiceLoader.load(MagicProvider.class, MagicRegistry.class.getClassLoader()).forEach(providers::add);
        return of(providers);
    }

    /**
     * A registry with the magics of {@code providers}, each registered on its own and then joined.
     *
     * @throws IllegalStateException when two providers register the same name or alias
     */
    public static MagicRegistry of(List<? extends MagicProvider> providers) {
        MagicRegistry joined = new MagicRegistry();
        Map<String, String> owners = new HashMap<>();
        for (MagicProvider provider : providers) {
            MagicRegistry own = new MagicRegistry();
            provider.register(own);
            String owner = provider.getClass().getName();
            List<String> names = new ArrayList<>(own.specs.keySet());
            names.addAll(own.aliases.keySet());
            for (String name : names) {
                String other = owners.putIfAbsent(name, owner);
                if (other != null) {
                    throw new IllegalStateException("%" + name + " is registered by two magic providers, "
                            + other + " and " + owner + "; rename it in one of them");
                }
            }
            joined.specs.putAll(own.specs);
            joined.aliases.putAll(own.aliases);
        }
        return joined;
    }
}
