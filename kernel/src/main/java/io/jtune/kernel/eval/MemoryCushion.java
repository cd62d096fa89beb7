package io.jtune.kernel.eval;

import io.jtune.kernel.log.Log;

/**
 * A block of heap held back for the kernel's own work. When a cell runs out of memory while a
 * notebook variable still holds the data, the heap stays full; released at that moment, the
 * cushion leaves room to report the error, answer completion and compile the cell that frees the
 * data ({@code x = null;}). It is taken again at the start of a later cell once the heap has room.
 */
final class MemoryCushion {
    /**
     * The cushion: 1/8 of the heap limit, between 8 and 64 MB. (1/16 of a 256 MB heap, 16 MB, was
     * too little for JDK 25's compiler: ParallelGC gave up on the compile of {@code hoard = null;}.)
     */
    static final long BYTES = Math.max(8L << 20, Math.min(64L << 20, Runtime.getRuntime().maxMemory() / 8));
    private static volatile byte[] cushion = take();

    private MemoryCushion() {}

    /** Frees the cushion (after an OutOfMemoryError); returns whether there was one to free. */
    static boolean release() {
        boolean had = cushion != null;
        cushion = null;
        return had;
    }

    /** Takes the cushion again if it was released and the heap has room for it and as much again. */
    static void restore() {
        if (cushion != null) {
            return;
        }
        Runtime rt = Runtime.getRuntime();
        long free = rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
        if (free > 3 * BYTES) {
            cushion = take();
        }
    }

    static boolean held() {
        return cushion != null;
    }

    private static byte[] take() {
        try {
            return new byte[(int) BYTES];
        } catch (OutOfMemoryError e) {
            Log.debug("no room for the memory cushion of " + BYTES + " bytes");
            return null;
        }
    }
}
