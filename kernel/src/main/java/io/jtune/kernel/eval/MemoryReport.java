package io.jtune.kernel.eval;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.ArrayList;
import java.util.List;
import jdk.jshell.JShell;
import jdk.jshell.VarSnippet;

/**
 * The error a cell shows when it runs out of memory: which memory, how full the heap is after
 * garbage collection, the notebook variables that may hold it, and how to free it. Built from
 * what is cheap to know (memory pools after their last collection, JShell's variable list), so
 * that reporting does not itself need much memory.
 */
final class MemoryReport {
    static final String ENAME = "OutOfMemoryError";
    /** Variables named in the report, at most. */
    static final int MAX_VARIABLES = 12;

    private MemoryReport() {}

    /** The cell error for {@code oom}; {@code jshell} may be null (no variables are named then). */
    static CellError of(OutOfMemoryError oom, JShell jshell) {
        MemoryCushion.release();
        String what = String.valueOf(oom.getMessage());
        boolean direct = what.contains("irect buffer");
        StringBuilder text = new StringBuilder("The cell ran out of memory (").append(what).append("). ");
        text.append(heapLine()).append(' ');
        List<String> vars = variables(jshell);
        if (!vars.isEmpty()) {
            text.append("Notebook variables that may hold it: ").append(String.join(", ", vars)).append(". ");
        }
        String example = vars.isEmpty() ? "x" : vars.get(0).substring(vars.get(0).lastIndexOf(' ') + 1);
        text.append("To go on, free what you no longer need (").append(example).append(" = null;) and run the cell")
                .append(" again, or restart the kernel to start empty. For more memory, reinstall the kernelspec with")
                .append(direct ? " a larger -XX:MaxDirectMemorySize" : " a larger -Xmx")
                .append(": ./jtune install --java-opts \"... ").append(direct ? "-XX:MaxDirectMemorySize=16g" : "-Xmx16g")
                .append("\".");
        List<String> tb = new ArrayList<>();
        tb.add(ENAME + ": " + what);
        tb.add(text.toString());
        return new CellError(ENAME, text.toString(), tb);
    }

    /** "The heap holds 480 MB of its 512 MB limit after garbage collection." */
    static String heapLine() {
        long used = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.getCollectionUsage() != null) {
                used += pool.getCollectionUsage().getUsed();
            }
        }
        long max = Runtime.getRuntime().maxMemory();
        return "The heap holds " + mb(used) + " of its " + mb(max) + " limit after garbage collection.";
    }

    /** Types and names of the notebook's variables (declared in cells), the newest first. */
    static List<String> variables(JShell jshell) {
        List<String> out = new ArrayList<>();
        if (jshell == null) {
            return out;
        }
        try {
            List<VarSnippet> vars = jshell.variables().filter(v -> jshell.status(v).isActive()).toList();
            for (int i = vars.size() - 1; i >= 0 && out.size() < MAX_VARIABLES; i--) {
                VarSnippet v = vars.get(i);
                if (!isPrimitive(v.typeName())) {
                    out.add(v.typeName() + " " + v.name());
                }
            }
        } catch (RuntimeException | OutOfMemoryError e) {
            // the list is a help, not a must
        }
        return out;
    }

    private static boolean isPrimitive(String type) {
        return switch (type) {
            case "int", "long", "double", "float", "boolean", "char", "byte", "short" -> true;
            default -> false;
        };
    }

    private static String mb(long bytes) {
        return (bytes >> 20) + " MB";
    }
}
