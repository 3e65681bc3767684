package dev.loopline.core.memory;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The byte formats of an {@link ErrorMemory}, version {@value ErrorMemory#FORMAT_VERSION} (big-endian,
 * {@code DataOutput}): the whole-memory snapshot (int magic "LLEM", byte version, long seed, int tables, int
 * bits, byte similarity, int dimension, int count, long next sequence number, the entries oldest first with
 * their hash codes, the statistics), and for state kept an entry at a time, one entry (byte version, long
 * seq, long time, double residual, int dimension, the representation) and the progress record (byte version,
 * long next sequence number, the statistics).
 */
final class ErrorMemoryFormat {
    private ErrorMemoryFormat() {}

    static byte[] snapshot(ErrorMemory m) {
        int tables = m.config.tables();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + m.count * (28 + 8 * m.dimension + 4 * tables));
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(ErrorMemory.MAGIC);
            out.writeByte(ErrorMemory.FORMAT_VERSION);
            out.writeLong(m.config.seed());
            out.writeInt(tables);
            out.writeInt(m.config.bits());
            out.writeByte(m.config.similarity().ordinal());
            out.writeInt(m.dimension);
            out.writeInt(m.count);
            out.writeLong(m.nextSeq);
            for (int i = 0; i < m.count; i++) {
                int s = m.slot(i);
                out.writeLong(m.seqs[s]);
                out.writeLong(m.times[s]);
                out.writeDouble(m.residuals[s]);
                for (int j = 0; j < m.dimension; j++) {
                    out.writeDouble(m.reps[s * m.dimension + j]);
                }
                for (int t = 0; t < tables; t++) {
                    out.writeInt(m.codes[s * tables + t]);
                }
            }
            m.statistics.write(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static ErrorMemory restore(ErrorMemoryConfig config, byte[] snapshot, Hyperplanes shared) {
        if (snapshot == null) {
            throw new IllegalArgumentException("error memory snapshot is missing; start from new ErrorMemory(config)");
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(snapshot))) {
            if (snapshot.length < 5 || in.readInt() != ErrorMemory.MAGIC) {
                throw new IllegalArgumentException("these " + snapshot.length
                        + " bytes are not an error memory snapshot (bad magic)");
            }
            int version = in.readUnsignedByte();
            if (version != ErrorMemory.FORMAT_VERSION) {
                throw new IllegalArgumentException("error memory snapshot format " + version
                        + " is not readable by this build (reads " + ErrorMemory.FORMAT_VERSION + "); restore it with the build that wrote it");
            }
            long seed = in.readLong();
            int tables = in.readInt();
            int bits = in.readInt();
            int similarity = in.readUnsignedByte();
            int dimension = in.readInt();
            int stored = in.readInt();
            long nextSeq = in.readLong();
            boolean sameHashing = seed == config.seed() && tables == config.tables() && bits == config.bits()
                    && similarity == config.similarity().ordinal();
            Hyperplanes planes = null;
            if (dimension > 0) {
                planes = shared != null && shared.dimension() == dimension ? shared : new Hyperplanes(config, dimension);
            }
            ErrorMemory m = new ErrorMemory(config, planes);
            int skip = Math.max(0, stored - config.capacity());
            int kept = stored - skip;
            if (dimension > 0) {
                m.allocate(Math.min(config.capacity(), Math.max(ErrorMemory.MIN_ALLOCATION, kept)));
            }
            int[] storedCodes = new int[tables];
            for (int i = 0; i < stored; i++) {
                long seq = in.readLong();
                long time = in.readLong();
                double residual = in.readDouble();
                int slot = i - skip;
                for (int j = 0; j < dimension; j++) {
                    double v = in.readDouble();
                    if (slot >= 0) {
                        m.reps[slot * dimension + j] = v;
                    }
                }
                for (int t = 0; t < tables; t++) {
                    storedCodes[t] = in.readInt();
                }
                if (slot < 0) {
                    continue;
                }
                m.seqs[slot] = seq;
                m.times[slot] = time;
                m.residuals[slot] = residual;
                m.norms[slot] = m.norm(m.reps, slot * dimension);
                if (sameHashing) {
                    System.arraycopy(storedCodes, 0, m.codes, slot * tables, tables);
                } else {
                    planes.hash(m.reps, slot * dimension, m.codes, slot * config.tables());
                }
            }
            m.count = kept;
            m.nextSeq = nextSeq;
            m.reindex();
            m.statistics.read(in);
            if (in.read() != -1) {
                throw new IllegalArgumentException("error memory snapshot has trailing bytes; it is corrupt");
            }
            return m;
        } catch (IOException e) {
            throw new IllegalArgumentException("error memory snapshot is truncated or corrupt: " + e, e);
        }
    }

    static byte[] encode(ErrorMemory.Entry entry) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(29 + 8 * entry.representation().length);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(ErrorMemory.FORMAT_VERSION);
            out.writeLong(entry.seq());
            out.writeLong(entry.time());
            out.writeDouble(entry.residual());
            out.writeInt(entry.representation().length);
            for (double v : entry.representation()) {
                out.writeDouble(v);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static ErrorMemory.Entry decode(byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            int version = in.readUnsignedByte();
            if (version != ErrorMemory.FORMAT_VERSION) {
                throw new IllegalArgumentException("error memory entry format " + version + " is not readable by this build");
            }
            long seq = in.readLong();
            long time = in.readLong();
            double residual = in.readDouble();
            int d = in.readInt();
            if (d < 1 || d > (bytes.length - 29) / 8) {
                throw new IllegalArgumentException("error memory entry of dimension " + d + " in " + bytes.length + " bytes is corrupt");
            }
            double[] x = new double[d];
            for (int j = 0; j < d; j++) {
                x[j] = in.readDouble();
            }
            return new ErrorMemory.Entry(seq, time, residual, x);
        } catch (IOException e) {
            throw new IllegalArgumentException("error memory entry is truncated: " + e, e);
        }
    }

    static byte[] progress(ErrorMemory m) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(80);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(ErrorMemory.FORMAT_VERSION);
            out.writeLong(m.nextSeq);
            m.statistics.write(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static ErrorMemory fromEntries(ErrorMemoryConfig config, java.util.Collection<ErrorMemory.Entry> entries, byte[] progress,
            Hyperplanes shared) {
        java.util.List<ErrorMemory.Entry> sorted = new java.util.ArrayList<>(entries);
        sorted.sort(java.util.Comparator.comparingLong(ErrorMemory.Entry::seq));
        java.util.List<ErrorMemory.Entry> kept = sorted.subList(Math.max(0, sorted.size() - config.capacity()), sorted.size());
        int d = kept.isEmpty() ? 0 : kept.get(0).representation().length;
        Hyperplanes planes = d == 0 ? shared
                : shared != null && shared.dimension() == d ? shared : new Hyperplanes(config, d);
        ErrorMemory m = new ErrorMemory(config, planes);
        if (d > 0) {
            m.allocate(Math.min(config.capacity(), Math.max(ErrorMemory.MIN_ALLOCATION, kept.size())));
            for (int slot = 0; slot < kept.size(); slot++) {
                ErrorMemory.Entry e = kept.get(slot);
                if (e.representation().length != d) {
                    throw new IllegalArgumentException("error memory entries of dimensions " + d + " and "
                            + e.representation().length + " cannot share a memory");
                }
                System.arraycopy(e.representation(), 0, m.reps, slot * d, d);
                m.seqs[slot] = e.seq();
                m.times[slot] = e.time();
                m.residuals[slot] = e.residual();
                m.norms[slot] = m.norm(m.reps, slot * d);
                planes.hash(m.reps, slot * d, m.codes, slot * config.tables());
            }
            m.count = kept.size();
            m.nextSeq = kept.get(kept.size() - 1).seq() + 1;
            m.reindex();
        }
        if (progress != null) {
            try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(progress))) {
                if (in.readUnsignedByte() != ErrorMemory.FORMAT_VERSION) {
                    throw new IllegalArgumentException("error memory progress record has an unknown format");
                }
                m.nextSeq = Math.max(m.nextSeq, in.readLong());
                m.statistics.read(in);
            } catch (IOException e) {
                throw new IllegalArgumentException("error memory progress record is truncated: " + e, e);
            }
        }
        return m;
    }
}
