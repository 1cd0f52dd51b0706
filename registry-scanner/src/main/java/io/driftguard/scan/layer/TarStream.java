package io.driftguard.scan.layer;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Reads a tar stream header by header (POSIX ustar, PAX 'x' records for path/linkpath/size, GNU
 * 'L'/'K' long names) without ever writing to disk. Written here rather than taken from a library
 * because every header must be bounded: an extended header larger than the limit, more entries than
 * the limit, a bad checksum or a path leaving the root ends reading with {@link HostileTarException}.
 * Sparse files are not expanded: only their stored bytes are skipped.
 */
public final class TarStream {
    private static final int BLOCK = 512;

    private final InputStream in;
    private final TarLimits limits;
    private final byte[] header = new byte[BLOCK];
    private long entries;
    private long remaining;
    private long padding;

    public TarStream(InputStream in, TarLimits limits) {
        this.in = in;
        this.limits = limits;
    }

    /** The next entry, or null at the end of the archive. Unread content of the previous one is skipped. */
    public TarEntry next() throws IOException {
        skip(remaining + padding);
        remaining = 0;
        padding = 0;
        String paxPath = null;
        String paxLink = null;
        Long paxSize = null;
        String longName = null;
        String longLink = null;
        while (true) {
            if (!readBlock()) {
                return null;
            }
            if (allZero(header)) {
                return null;
            }
            if (++entries > limits.maxEntries()) {
                throw new HostileTarException("more than " + limits.maxEntries() + " tar entries");
            }
            checkChecksum();
            char type = (char) header[156];
            long size = number(124, 12);
            if (size < 0) {
                throw new HostileTarException("negative size in the tar header of entry " + entries);
            }
            if (type == 'x' || type == 'g' || type == 'L' || type == 'K') {
                byte[] data = extension(size, type);
                if (type == 'x') {
                    for (String[] record : pax(data)) {
                        switch (record[0]) {
                            case "path" -> paxPath = record[1];
                            case "linkpath" -> paxLink = record[1];
                            case "size" -> paxSize = paxNumber(record[1]);
                            default -> {
                                // Times, owners and xattrs do not matter here.
                            }
                        }
                    }
                } else if (type == 'L') {
                    longName = cString(data, 0, data.length);
                } else if (type == 'K') {
                    longLink = cString(data, 0, data.length);
                }
                continue;
            }
            String name = paxPath != null ? paxPath : longName != null ? longName : ustarName();
            String link = paxLink != null ? paxLink : longLink != null ? longLink : cString(header, 157, 100);
            long stored = paxSize != null ? paxSize : size;
            remaining = stored;
            padding = (BLOCK - stored % BLOCK) % BLOCK;
            int mode = (int) (number(100, 8) & 07777);
            return new TarEntry(SafePath.of(name), typeOf(type), stored, mode, link);
        }
    }

    /** The content of the current entry, up to its size; closing it does not close the tar. */
    public InputStream content() {
        return new InputStream() {
            @Override
            public int read() throws IOException {
                if (remaining <= 0) {
                    return -1;
                }
                int b = in.read();
                if (b < 0) {
                    throw new EOFException("tar ends inside an entry");
                }
                remaining--;
                return b;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (remaining <= 0) {
                    return -1;
                }
                int n = in.read(b, off, (int) Math.min(len, remaining));
                if (n < 0) {
                    throw new EOFException("tar ends inside an entry");
                }
                remaining -= n;
                return n;
            }
        };
    }

    private static TarEntry.Type typeOf(char type) {
        return switch (type) {
            case '0', '\0', '7' -> TarEntry.Type.FILE;
            case '5' -> TarEntry.Type.DIRECTORY;
            case '2' -> TarEntry.Type.SYMLINK;
            case '1' -> TarEntry.Type.HARDLINK;
            default -> TarEntry.Type.OTHER;
        };
    }

    private String ustarName() {
        String name = cString(header, 0, 100);
        boolean ustar = header[257] == 'u' && header[258] == 's' && header[259] == 't' && header[260] == 'a' && header[261] == 'r';
        String prefix = ustar ? cString(header, 345, 155) : "";
        return prefix.isEmpty() ? name : prefix + "/" + name;
    }

    private byte[] extension(long size, char type) throws IOException {
        if (size > limits.maxHeaderBytes()) {
            throw new HostileTarException("extended tar header ('" + type + "') of " + size + " bytes, more than "
                    + limits.maxHeaderBytes());
        }
        byte[] data = in.readNBytes((int) size);
        if (data.length < size) {
            throw new EOFException("tar ends inside an extended header");
        }
        skip((BLOCK - size % BLOCK) % BLOCK);
        return data;
    }

    /** PAX records: "LEN key=value\n", LEN counting the whole record. */
    private static Deque<String[]> pax(byte[] data) throws HostileTarException {
        Deque<String[]> records = new ArrayDeque<>();
        int pos = 0;
        while (pos < data.length) {
            int space = pos;
            while (space < data.length && data[space] != ' ') {
                space++;
            }
            int len;
            try {
                len = Integer.parseInt(new String(data, pos, space - pos, StandardCharsets.US_ASCII));
            } catch (NumberFormatException e) {
                throw new HostileTarException("malformed PAX record length");
            }
            if (len <= space - pos + 1 || pos + len > data.length) {
                throw new HostileTarException("malformed PAX record");
            }
            String record = new String(data, space + 1, pos + len - space - 2, StandardCharsets.UTF_8);
            int eq = record.indexOf('=');
            if (eq > 0) {
                records.add(new String[] {record.substring(0, eq), record.substring(eq + 1)});
            }
            pos += len;
        }
        return records;
    }

    private static long paxNumber(String text) throws HostileTarException {
        try {
            long v = Long.parseLong(text.strip());
            if (v < 0) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw new HostileTarException("malformed PAX size '" + text + "'");
        }
    }

    private void checkChecksum() throws HostileTarException {
        long recorded = number(148, 8);
        long sum = 0;
        for (int i = 0; i < BLOCK; i++) {
            sum += (i >= 148 && i < 156) ? ' ' : header[i] & 0xff;
        }
        if (sum != recorded) {
            throw new HostileTarException("tar header checksum mismatch at entry " + entries + " (not a tar, or corrupt)");
        }
    }

    /** An octal field, or base-256 when the high bit of its first byte is set (GNU). */
    private long number(int offset, int length) throws HostileTarException {
        if ((header[offset] & 0x80) != 0) {
            if (length > 8 && (header[offset] & 0x7f) != 0) {
                throw new HostileTarException("tar number field out of range");
            }
            long v = 0;
            for (int i = 1; i < length; i++) {
                if ((v >>> 55) != 0) {
                    throw new HostileTarException("tar number field out of range");
                }
                v = (v << 8) | (header[offset + i] & 0xff);
            }
            return v;
        }
        long v = 0;
        for (int i = offset; i < offset + length; i++) {
            byte b = header[i];
            if (b == 0 || b == ' ') {
                if (v > 0 || i > offset + length - 2) {
                    break;
                }
                continue;
            }
            if (b < '0' || b > '7') {
                throw new HostileTarException("bad octal digit in the tar header of entry " + entries + " (not a tar, or corrupt)");
            }
            v = (v << 3) | (b - '0');
        }
        return v;
    }

    private static String cString(byte[] b, int offset, int length) {
        int end = offset;
        while (end < offset + length && b[end] != 0) {
            end++;
        }
        return new String(b, offset, end - offset, StandardCharsets.UTF_8);
    }

    private boolean readBlock() throws IOException {
        int n = in.readNBytes(header, 0, BLOCK);
        if (n == 0) {
            return false;
        }
        if (n < BLOCK) {
            throw new EOFException("tar ends inside a header");
        }
        return true;
    }

    private void skip(long n) throws IOException {
        long left = n;
        byte[] buffer = null;
        while (left > 0) {
            long s = in.skip(left);
            if (s <= 0) {
                buffer = buffer == null ? new byte[8192] : buffer;
                int r = in.read(buffer, 0, (int) Math.min(buffer.length, left));
                if (r < 0) {
                    throw new EOFException("tar ends inside an entry");
                }
                s = r;
            }
            left -= s;
        }
    }

    private static boolean allZero(byte[] b) {
        for (byte x : b) {
            if (x != 0) {
                return false;
            }
        }
        return true;
    }
}
