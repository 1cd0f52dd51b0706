package io.driftguard.scan.layer;

import io.driftguard.scan.packages.ApkInstalled;
import io.driftguard.scan.packages.DpkgStatus;
import io.driftguard.scan.packages.InstalledPackage;
import io.driftguard.scan.packages.RpmDatabase;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads one layer blob as it streams by (gzip or plain tar; the format is told by its first bytes,
 * not by the media type the registry claims) and keeps what {@link LayerContent} holds. Always reads
 * the blob to its end, also after a problem, so that the caller's hash of it completes.
 */
public final class LayerReader {
    static final String DPKG_STATUS = "var/lib/dpkg/status";
    static final String DPKG_STATUS_D = "var/lib/dpkg/status.d/";
    static final String APK_INSTALLED = "lib/apk/db/installed";
    static final Set<String> RPM_SQLITE = Set.of("var/lib/rpm/rpmdb.sqlite", "usr/lib/sysimage/rpm/rpmdb.sqlite");
    static final Set<String> RPM_BERKELEY = Set.of("var/lib/rpm/Packages", "usr/lib/sysimage/rpm/Packages");
    static final Set<String> TEXTS = Set.of("etc/os-release", "usr/lib/os-release", "etc/passwd", "etc/shadow");
    private static final String WHITEOUT = ".wh.";
    private static final String OPAQUE = ".wh..wh..opq";

    private final TarLimits limits;

    public LayerReader(TarLimits limits) {
        this.limits = limits;
    }

    public LayerContent read(InputStream blob) throws IOException {
        Collector c = new Collector();
        BufferedInputStream raw = new BufferedInputStream(blob, 1 << 16);
        try {
            walk(decompressed(raw), c);
        } catch (HostileTarException e) {
            c.problems.add(e.getMessage());
        } catch (EOFException | ZipException e) {
            c.problems.add("layer is not a complete tar: " + e.getMessage());
        } finally {
            raw.transferTo(java.io.OutputStream.nullOutputStream());
        }
        return new LayerContent(c.databases, c.texts, c.links, c.whiteouts, c.opaque, c.setuid, c.secrets, c.problems,
                c.entries, c.bytes.count);
    }

    private InputStream decompressed(BufferedInputStream raw) throws IOException {
        raw.mark(4);
        byte[] magic = raw.readNBytes(4);
        raw.reset();
        InputStream tar;
        if (magic.length >= 2 && (magic[0] & 0xff) == 0x1f && (magic[1] & 0xff) == 0x8b) {
            tar = new GZIPInputStream(new NonClosing(raw), 1 << 16);
        } else if (magic.length == 4 && (magic[0] & 0xff) == 0x28 && (magic[1] & 0xff) == 0xb5
                && (magic[2] & 0xff) == 0x2f && (magic[3] & 0xff) == 0xfd) {
            throw new HostileTarException("zstd-compressed layers are not read yet");
        } else {
            tar = new NonClosing(raw);
        }
        return new Counting(tar, limits.maxLayerBytes());
    }

    private void walk(InputStream in, Collector c) throws IOException {
        c.bytes = (Counting) in;
        TarStream tar = new TarStream(in, limits);
        TarEntry entry;
        while ((entry = tar.next()) != null) {
            c.entries++;
            String path = entry.path();
            String name = path.substring(path.lastIndexOf('/') + 1);
            String dir = path.contains("/") ? path.substring(0, path.lastIndexOf('/') + 1) : "";
            if (name.equals(OPAQUE)) {
                c.opaque.add(dir.isEmpty() ? "" : dir.substring(0, dir.length() - 1));
                continue;
            }
            if (name.startsWith(WHITEOUT)) {
                c.whiteouts.add(dir + name.substring(WHITEOUT.length()));
                continue;
            }
            if (entry.setuidOrSetgid()) {
                c.setuid.add(path + " " + String.format("%04o", entry.mode()));
            }
            if (entry.type() == TarEntry.Type.SYMLINK && tracked(path)) {
                c.links.put(path, SafePath.resolveLink(path, entry.link()));
            }
            if (entry.type() != TarEntry.Type.FILE) {
                continue;
            }
            if (RPM_BERKELEY.contains(path)) {
                c.problems.add(path + " is an rpm BerkeleyDB database, which is not read (only rpmdb.sqlite is)");
            }
            boolean wanted = tracked(path);
            boolean secretScan = entry.size() <= limits.maxSecretScanBytes();
            if (!wanted && !secretScan) {
                continue;
            }
            if (wanted && entry.size() > limits.maxFileBytes()) {
                c.problems.add(path + " is " + entry.size() + " bytes, more than " + limits.maxFileBytes() + "; not read");
                continue;
            }
            byte[] data = tar.content().readNBytes((int) entry.size());
            if (wanted) {
                keep(path, data, c);
            }
            if (secretScan) {
                c.secrets.addAll(Secrets.find(path, new String(data, StandardCharsets.ISO_8859_1)));
            }
        }
    }

    private static boolean tracked(String path) {
        return path.equals(DPKG_STATUS) || path.startsWith(DPKG_STATUS_D) || path.equals(APK_INSTALLED)
                || RPM_SQLITE.contains(path) || TEXTS.contains(path);
    }

    private static void keep(String path, byte[] data, Collector c) throws IOException {
        if (TEXTS.contains(path)) {
            c.texts.put(path, new String(data, 0, Math.min(data.length, 1 << 20), StandardCharsets.UTF_8));
        } else if (RPM_SQLITE.contains(path)) {
            try {
                c.databases.put(path, RpmDatabase.read(data));
            } catch (IOException e) {
                c.problems.add(path + ": " + e.getMessage());
            }
        } else if (path.equals(APK_INSTALLED)) {
            c.databases.put(path, ApkInstalled.parse(new String(data, StandardCharsets.UTF_8)));
        } else {
            c.databases.put(path, DpkgStatus.parse(new String(data, StandardCharsets.UTF_8)));
        }
    }

    private static final class Collector {
        final Map<String, List<InstalledPackage>> databases = new LinkedHashMap<>();
        final Map<String, String> texts = new LinkedHashMap<>();
        final Map<String, String> links = new LinkedHashMap<>();
        final List<String> whiteouts = new ArrayList<>();
        final List<String> opaque = new ArrayList<>();
        final List<String> setuid = new ArrayList<>();
        final List<SecretHit> secrets = new ArrayList<>();
        final List<String> problems = new ArrayList<>();
        long entries;
        Counting bytes = new Counting(InputStream.nullInputStream(), 0);
    }

    /** Counts decompressed bytes and stops a tar bomb at the limit. */
    private static final class Counting extends FilterInputStream {
        private final long limit;
        long count;

        Counting(InputStream in, long limit) {
            super(in);
            this.limit = limit;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            counted(b < 0 ? 0 : 1);
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            counted(Math.max(n, 0));
            return n;
        }

        private void counted(int n) throws HostileTarException {
            count += n;
            if (count > limit) {
                throw new HostileTarException("layer decompresses to more than " + limit + " bytes (tar bomb?)");
            }
        }

        @Override
        public long skip(long n) throws IOException {
            byte[] buffer = new byte[(int) Math.min(n, 1 << 16)];
            int r = read(buffer, 0, buffer.length);
            return Math.max(r, 0);
        }
    }

    /** Keeps the decompressor from closing the blob stream, which must still be drained. */
    private static final class NonClosing extends FilterInputStream {
        NonClosing(InputStream in) {
            super(in);
        }

        @Override
        public void close() {
            // The caller drains and closes the underlying stream.
        }
    }
}
