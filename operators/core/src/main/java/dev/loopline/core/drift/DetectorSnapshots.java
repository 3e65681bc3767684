package dev.loopline.core.drift;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * The byte format of detector snapshots, version {@value #FORMAT_VERSION} (big-endian, {@code
 * DataOutput}): int magic {@code 0x4C4C4444} ("LLDD"), int format version, UTF detector name, then the
 * detector's own fields. A reader refuses another detector's snapshot, an unknown version and trailing
 * bytes, so a state written by one detector can never be read as another's.
 */
final class DetectorSnapshots {
    static final int MAGIC = 0x4C4C4444;
    static final int FORMAT_VERSION = 1;

    private DetectorSnapshots() {}

    interface Body {
        void write(DataOutputStream out) throws IOException;
    }

    interface Reader {
        void read(DataInputStream in) throws IOException;
    }

    static byte[] write(String name, Body body) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeInt(MAGIC);
            out.writeInt(FORMAT_VERSION);
            out.writeUTF(name);
            body.write(out);
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException("writing to memory failed", e);
        }
    }

    /** Checks the header and hands the body to {@code reader}, which must read all of it. */
    static void read(String name, byte[] snapshot, Reader reader) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(snapshot))) {
            if (in.readInt() != MAGIC) {
                throw new IllegalArgumentException("not a Loopline drift detector snapshot (bad magic)");
            }
            int version = in.readInt();
            if (version != FORMAT_VERSION) {
                throw new IllegalArgumentException("detector snapshot format " + version
                        + " is not supported; this build reads " + FORMAT_VERSION);
            }
            String written = in.readUTF();
            if (!written.equals(name)) {
                throw new IllegalArgumentException("a snapshot of detector " + written + " cannot restore a " + name);
            }
            reader.read(in);
            if (in.available() != 0) {
                throw new IllegalArgumentException(in.available() + " trailing bytes after the " + name + " state");
            }
        } catch (IOException e) {
            throw new IllegalArgumentException(name + " snapshot ends early: " + e.getMessage(), e);
        }
    }
}
