package io.driftguard.scan.packages;

import io.driftguard.scan.version.VersionScheme;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads rpm's SQLite database ({@code rpmdb.sqlite}, rpm 4.16 and later): each row of
 * {@code Packages} is a header blob (rpm's lib/header.c layout: index count, data size, 16-byte
 * index entries of tag, type, offset, count, then the data). The old BerkeleyDB {@code Packages}
 * file is not read. SQLite needs a file: the bytes go to a private temporary file, deleted at once.
 */
public final class RpmDatabase {
    private static final int NAME = 1000;
    private static final int VERSION = 1001;
    private static final int RELEASE = 1002;
    private static final int EPOCH = 1003;
    private static final int ARCH = 1022;
    private static final int SOURCERPM = 1044;
    private static final int TYPE_INT32 = 4;
    private static final int TYPE_STRING = 6;
    private static final int MAX_INDEX = 100_000;

    private RpmDatabase() {
    }

    public static List<InstalledPackage> read(byte[] sqlite) throws IOException {
        Path dir = Files.createTempDirectory("driftguard-rpmdb-", PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwx------")));
        Path file = dir.resolve("rpmdb.sqlite");
        try {
            Files.write(file, sqlite);
            List<InstalledPackage> packages = new ArrayList<>();
            try (Connection db = DriverManager.getConnection("jdbc:sqlite:file:" + file + "?mode=ro&immutable=1");
                 Statement s = db.createStatement();
                 ResultSet rs = s.executeQuery("SELECT blob FROM Packages")) {
                while (rs.next()) {
                    InstalledPackage p = header(rs.getBytes(1));
                    if (p != null) {
                        packages.add(p);
                    }
                }
            } catch (SQLException e) {
                throw new IOException("not a readable rpm SQLite database: " + e.getMessage(), e);
            }
            return packages;
        } finally {
            Files.deleteIfExists(file);
            Files.deleteIfExists(dir);
        }
    }

    /** One package from its header blob; null for rpm's pseudo-packages (gpg-pubkey) or a broken header. */
    static InstalledPackage header(byte[] blob) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(blob);
        if (blob.length < 8) {
            throw new IOException("rpm header of " + blob.length + " bytes");
        }
        int count = b.getInt();
        int dataLength = b.getInt();
        long dataStart = 8L + 16L * count;
        if (count < 0 || count > MAX_INDEX || dataLength < 0 || dataStart + dataLength > blob.length) {
            throw new IOException("rpm header with " + count + " entries and " + dataLength + " data bytes does not fit its "
                    + blob.length + " bytes");
        }
        Map<Integer, String> strings = new HashMap<>();
        Integer epoch = null;
        for (int i = 0; i < count; i++) {
            int tag = b.getInt(8 + 16 * i);
            int type = b.getInt(12 + 16 * i);
            int offset = b.getInt(16 + 16 * i);
            if (offset < 0 || offset >= dataLength) {
                continue;
            }
            int at = (int) dataStart + offset;
            if (type == TYPE_STRING && (tag == NAME || tag == VERSION || tag == RELEASE || tag == ARCH || tag == SOURCERPM)) {
                int end = at;
                while (end < dataStart + dataLength && blob[end] != 0) {
                    end++;
                }
                strings.put(tag, new String(blob, at, end - at, StandardCharsets.UTF_8));
            } else if (type == TYPE_INT32 && tag == EPOCH && at + 4 <= dataStart + dataLength) {
                epoch = b.getInt(at);
            }
        }
        String name = strings.get(NAME);
        String version = strings.get(VERSION);
        if (name == null || version == null || name.equals("gpg-pubkey")) {
            return null;
        }
        String release = strings.get(RELEASE);
        String evr = (epoch != null && epoch != 0 ? epoch + ":" : "") + version + (release != null ? "-" + release : "");
        return new InstalledPackage(VersionScheme.RPM, name, evr, sourceName(strings.get(SOURCERPM)), evr, strings.get(ARCH));
    }

    /** {@code openssl-3.0.7-24.el9.src.rpm} names source package {@code openssl}. */
    private static String sourceName(String sourceRpm) {
        if (sourceRpm == null) {
            return null;
        }
        String s = sourceRpm.replaceFirst("\\.(?:no)?src\\.rpm$", "");
        int release = s.lastIndexOf('-');
        int version = release > 0 ? s.lastIndexOf('-', release - 1) : -1;
        return version > 0 ? s.substring(0, version) : null;
    }
}
