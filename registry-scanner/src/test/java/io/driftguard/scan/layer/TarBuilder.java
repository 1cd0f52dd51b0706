package io.driftguard.scan.layer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPOutputStream;

/** Writes ustar archives for tests, including deliberately broken headers. */
final class TarBuilder {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    TarBuilder file(String name, String content) {
        return entry(name, '0', content.getBytes(StandardCharsets.UTF_8), 0644, "");
    }

    TarBuilder file(String name, byte[] content, int mode) {
        return entry(name, '0', content, mode, "");
    }

    TarBuilder symlink(String name, String target) {
        return entry(name, '2', new byte[0], 0777, target);
    }

    /** A header claiming {@code size} bytes of type {@code type} followed by {@code actual} bytes of content. */
    TarBuilder raw(String name, char type, long size, byte[] actual) {
        byte[] h = header(name, type, size, 0644, "");
        out.writeBytes(h);
        out.writeBytes(actual);
        pad(actual.length);
        return this;
    }

    TarBuilder entry(String name, char type, byte[] content, int mode, String link) {
        out.writeBytes(header(name, type, content.length, mode, link));
        out.writeBytes(content);
        pad(content.length);
        return this;
    }

    TarBuilder pax(String name, String key, String value) {
        String record = " " + key + "=" + value + "\n";
        int len = record.length() + 1;
        while (String.valueOf(len).length() + record.length() != len) {
            len++;
        }
        byte[] data = (len + record).getBytes(StandardCharsets.UTF_8);
        return entry(name, 'x', data, 0644, "");
    }

    byte[] tar() {
        ByteArrayOutputStream copy = new ByteArrayOutputStream();
        copy.writeBytes(out.toByteArray());
        copy.writeBytes(new byte[1024]);
        return copy.toByteArray();
    }

    byte[] gzip() throws IOException {
        ByteArrayOutputStream z = new ByteArrayOutputStream();
        try (GZIPOutputStream g = new GZIPOutputStream(z)) {
            g.write(tar());
        }
        return z.toByteArray();
    }

    /** This archive gzipped, followed inside the gzip by {@code zeros} zero bytes (content of a lying header). */
    byte[] gzipWithZeros(long zeros) throws IOException {
        ByteArrayOutputStream z = new ByteArrayOutputStream();
        try (GZIPOutputStream g = new GZIPOutputStream(z)) {
            g.write(out.toByteArray());
            byte[] block = new byte[1 << 16];
            for (long left = zeros; left > 0; left -= block.length) {
                g.write(block, 0, (int) Math.min(block.length, left));
            }
            g.write(new byte[1024]);
        }
        return z.toByteArray();
    }

    static byte[] header(String name, char type, long size, int mode, String link) {
        byte[] h = new byte[512];
        put(h, 0, 100, name);
        put(h, 100, 8, String.format("%07o", mode));
        put(h, 108, 8, "0000000");
        put(h, 116, 8, "0000000");
        put(h, 124, 12, String.format("%011o", size));
        put(h, 136, 12, "00000000000");
        h[156] = (byte) type;
        put(h, 157, 100, link);
        put(h, 257, 6, "ustar");
        put(h, 263, 2, "00");
        for (int i = 148; i < 156; i++) {
            h[i] = ' ';
        }
        long sum = 0;
        for (byte b : h) {
            sum += b & 0xff;
        }
        put(h, 148, 8, String.format("%06o", sum) + "\0 ");
        return h;
    }

    private static void put(byte[] h, int offset, int length, String value) {
        byte[] v = value.getBytes(StandardCharsets.UTF_8);
        System.arraycopy(v, 0, h, offset, Math.min(v.length, length));
    }

    private void pad(long length) {
        out.writeBytes(new byte[(int) ((512 - length % 512) % 512)]);
    }
}
