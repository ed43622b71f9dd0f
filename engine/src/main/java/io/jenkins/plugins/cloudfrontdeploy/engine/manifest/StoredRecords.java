package io.jenkins.plugins.cloudfrontdeploy.engine.manifest;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;

/**
 * Reads a stored manifest's records as its bytes arrive (see {@link StoredManifest} for the format), so that a
 * manifest read over SSH is matched against a listing without being held whole. File records are handed to a
 * visitor with the record's own buffer, valid only during the call: no string or array is made per record.
 */
final class StoredRecords extends OutputStream {
    /** One {@code F} record: its path is {@code buffer[pathFrom, pathTo)}, its hex hash at {@code hashAt}. */
    record FileRecord(byte[] buffer, int pathFrom, int pathTo, long size, long mtime, int hashAt) {}

    interface Visitor {
        void visit(FileRecord r) throws StoredManifest.Unreadable;
    }

    private final Visitor visitor;
    private final Map<String, Integer> marks;
    /** The fields of the record being read, each ended by its NUL. */
    private byte[] record = new byte[256];
    private int length;
    private int[] ends = new int[5];
    private int fields;
    /** Bytes of the records read whole: where the one being read starts. */
    private long recordAt;
    private boolean sawMarker;
    private int files;
    private StoredManifest.Unreadable failure;

    /** @param marks receives the marks of the last segment */
    StoredRecords(Visitor visitor, Map<String, Integer> marks) {
        this.visitor = visitor;
        this.marks = marks;
    }

    @Override
    public void write(int b) {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) {
        for (int i = off; i < off + len && failure == null; i++) {
            if (length == record.length) {
                record = Arrays.copyOf(record, record.length * 2);
            }
            record[length++] = b[i];
            if (b[i] == 0) {
                if (fields == ends.length) {
                    ends = Arrays.copyOf(ends, ends.length * 2);
                }
                ends[fields++] = length - 1;
                try {
                    fieldEnded();
                } catch (StoredManifest.Unreadable e) {
                    failure = e; // the first: what follows would only mislead
                }
            }
        }
    }

    /** Ends the input: throws what was wrong with it, if anything, or that it was cut short inside a record. */
    void finish() throws StoredManifest.Unreadable {
        if (failure != null) {
            throw failure;
        }
        if (length > 0) {
            throw new StoredManifest.Unreadable("cut short at byte " + recordAt);
        }
    }

    /** {@code F} records read. */
    int files() {
        return files;
    }

    private void fieldEnded() throws StoredManifest.Unreadable {
        boolean tagF = is("F");
        boolean tagK = is("K");
        if ((tagF && fields < 5) || (tagK && fields < 3)) {
            return; // the rest of the record is still to come
        }
        if (tagF && sawMarker) {
            long size = number(2);
            long mtime = number(3);
            int hashAt = start(4);
            checkSha256(hashAt, ends[4]);
            files++;
            visitor.visit(new FileRecord(record, start(1), ends[1], size, mtime, hashAt));
        } else if (tagK && sawMarker) {
            String path = new String(record, start(1), ends[1] - start(1), StandardCharsets.UTF_8);
            long age = number(2);
            if (age < -1 || age > Integer.MAX_VALUE) {
                throw new StoredManifest.Unreadable("'" + age + "' is not the age of a kept file");
            }
            marks.put(path, (int) age);
        } else if (text(0).equals(StoredManifest.MARKER)) {
            sawMarker = true;
            marks.clear(); // a release's marks are its own
        } else {
            throw new StoredManifest.Unreadable("unexpected record '" + text(0).replaceAll("\\p{Cntrl}", "?")
                    + "' at byte " + recordAt);
        }
        recordAt += length;
        length = 0;
        fields = 0;
    }

    private boolean is(String tag) {
        return ends[0] == tag.length() && record[0] == tag.charAt(0);
    }

    private int start(int field) {
        return field == 0 ? 0 : ends[field - 1] + 1;
    }

    private String text(int field) {
        return new String(record, start(field), ends[field] - start(field), StandardCharsets.ISO_8859_1);
    }

    /** A decimal number, as {@link Long#parseLong} reads it, without making a string of it. */
    private long number(int field) throws StoredManifest.Unreadable {
        int from = start(field);
        int end = ends[field];
        boolean negative = end > from && record[from] == '-';
        int i = negative || (end > from && record[from] == '+') ? from + 1 : from;
        long value = 0;
        boolean digits = i < end && end - i <= 19;
        for (; digits && i < end; i++) {
            int d = record[i] - '0';
            digits = d >= 0 && d <= 9;
            value = value * 10 + d;
        }
        if (!digits || value < 0 && !(negative && value == Long.MIN_VALUE)) {
            // the odd cases (out of range, not digits) are left to the JDK's parser
            try {
                return Long.parseLong(text(field));
            } catch (NumberFormatException e) {
                throw new StoredManifest.Unreadable("'" + text(field) + "' is not a number");
            }
        }
        return negative ? -value : value;
    }

    private void checkSha256(int from, int end) throws StoredManifest.Unreadable {
        boolean hex = end - from == 64;
        for (int i = from; hex && i < end; i++) {
            hex = Character.digit(record[i], 16) >= 0;
        }
        if (!hex) {
            throw new StoredManifest.Unreadable("'" + new String(record, from, end - from,
                    StandardCharsets.ISO_8859_1) + "' is not a SHA-256");
        }
    }
}
