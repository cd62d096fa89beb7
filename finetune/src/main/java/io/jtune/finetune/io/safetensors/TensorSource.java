package io.jtune.finetune.io.safetensors;

import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.util.Map;

/**
 * Named tensors that can be read one at a time: a single safetensors file ({@link
 * SafetensorsReader}) or a model folder whose weights may be split over several files ({@link
 * ShardedSafetensors}).
 *
 * <p>Every failure is a {@link SafetensorsException} whose message names the file (and, for a
 * sharded checkpoint, the index) and the tensor. Reading converts on the way:
 *
 * <ul>
 *   <li>{@link #readAsF32} and {@link #readFloats} accept F32, F16, BF16 (widened exactly) and F64
 *       (rounded to the nearest float);
 *   <li>{@link #readLongs} accepts I64, I32, I16, I8, U8 and BOOL;
 *   <li>{@link #readInts} accepts I32, I16, I8, U8 and BOOL, and I64 when every value fits in an
 *       int.
 * </ul>
 *
 * A single Java array or buffer holds fewer than 2<sup>31</sup> elements; read a larger tensor in
 * pieces with {@link #read(String, long, ByteBuffer)}.
 *
 * <p>Reads are positional, so several threads may read at once; closing while another thread reads
 * makes that read fail.
 */
public interface TensorSource extends AutoCloseable {

    /** Every tensor by name, in the order the source lists them. */
    Map<String, TensorInfo> tensors() throws SafetensorsException;

    /** The {@code __metadata__} of the file (for a sharded checkpoint, of its first shard). */
    Map<String, String> metadata() throws SafetensorsException;

    /** Whether a tensor of this name exists. */
    boolean contains(String name) throws SafetensorsException;

    /** Where the named tensor lies; an unknown name fails with a message listing a few known names. */
    TensorInfo info(String name) throws SafetensorsException;

    /** A new direct little-endian buffer holding the tensor's bytes, position 0, limit its length. */
    ByteBuffer readRaw(String name) throws SafetensorsException;

    /**
     * Reads {@code dst.remaining()} bytes of the tensor, starting {@code offset} bytes into it,
     * into {@code dst}, advancing its position.
     */
    void read(String name, long offset, ByteBuffer dst) throws SafetensorsException;

    /**
     * Writes the tensor's {@code numel()} values, converted to float, into {@code dst} at its
     * position, advancing it; {@code dst} needs at least that many elements remaining.
     */
    void readAsF32(String name, FloatBuffer dst) throws SafetensorsException;

    /** The tensor's values as floats, row-major. */
    float[] readFloats(String name) throws SafetensorsException;

    /** The tensor's values as longs, row-major. */
    long[] readLongs(String name) throws SafetensorsException;

    /** The tensor's values as ints, row-major. */
    int[] readInts(String name) throws SafetensorsException;

    /** Closes the files. Closing files that are only read loses nothing, so this does not throw. */
    @Override
    void close();
}
