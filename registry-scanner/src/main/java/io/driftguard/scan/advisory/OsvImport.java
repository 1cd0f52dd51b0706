package io.driftguard.scan.advisory;

import io.driftguard.core.model.Digest;
import io.driftguard.scan.store.AdvisoryRecord;
import io.driftguard.scan.store.AdvisoryStore;
import io.driftguard.scan.store.ImportRecord;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * {@code db import}: OSV's per-ecosystem {@code all.zip} archives or folders of OSV JSON files,
 * streamed into the advisory store in batches. A file that is not a usable advisory is counted and
 * named in the result; the others are imported.
 */
public final class OsvImport {
    /** What one import did; {@code problems} holds the first few unusable files. */
    public record Result(ImportRecord record, long unusable, List<String> problems) {
    }

    private static final int BATCH = 2_000;
    private static final int MAX_ENTRY_BYTES = 16 << 20;
    private static final int PROBLEMS_KEPT = 10;

    private final AdvisoryStore store;
    private final Clock clock;

    public OsvImport(AdvisoryStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    public Result importFrom(Path source) throws IOException, SQLException {
        Batch batch = new Batch();
        String sha256;
        if (Files.isDirectory(source)) {
            List<Path> files;
            try (Stream<Path> walk = Files.walk(source)) {
                files = walk.filter(p -> p.toString().endsWith(".json") && Files.isRegularFile(p)).sorted().toList();
            }
            MessageDigest all = Digest.sha256Hasher();
            for (Path file : files) {
                byte[] bytes = Files.readAllBytes(file);
                all.update(source.relativize(file).toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
                all.update(Digest.sha256Hasher().digest(bytes));
                batch.add(bytes, file.toString());
            }
            sha256 = Digest.of(Digest.SHA256, all.digest()).hex();
        } else {
            MessageDigest hash = Digest.sha256Hasher();
            try (InputStream in = new DigestInputStream(new BufferedInputStream(Files.newInputStream(source), 1 << 16), hash);
                 ZipInputStream zip = new ZipInputStream(in)) {
                ZipEntry entry;
                boolean any = false;
                while ((entry = zip.getNextEntry()) != null) {
                    any = true;
                    if (entry.isDirectory() || !entry.getName().endsWith(".json")) {
                        continue;
                    }
                    byte[] bytes = zip.readNBytes(MAX_ENTRY_BYTES + 1);
                    if (bytes.length > MAX_ENTRY_BYTES) {
                        batch.problem(source + "!" + entry.getName() + ": larger than " + MAX_ENTRY_BYTES + " bytes");
                        continue;
                    }
                    batch.add(bytes, source + "!" + entry.getName());
                }
                if (!any) {
                    throw new IOException(source + " is neither a folder nor a zip archive of OSV JSON files");
                }
                in.transferTo(java.io.OutputStream.nullOutputStream());
            }
            sha256 = Digest.of(Digest.SHA256, hash.digest()).hex();
        }
        batch.flush();
        ImportRecord record = new ImportRecord(source.toAbsolutePath().toString(), sha256, clock.instant(), batch.imported,
                batch.newest, String.join(" ", batch.ecosystems));
        store.recordImport(record);
        return new Result(record, batch.unusable, batch.problems);
    }

    private final class Batch {
        final List<AdvisoryRecord> pending = new ArrayList<>();
        final List<String> problems = new ArrayList<>();
        final TreeSet<String> ecosystems = new TreeSet<>();
        long imported;
        long unusable;
        Instant newest = Instant.EPOCH;

        void add(byte[] json, String where) throws SQLException {
            AdvisoryRecord advisory;
            try {
                advisory = OsvParser.parse(json, where);
            } catch (IOException e) {
                problem(e.getMessage());
                return;
            }
            advisory.affected().forEach(a -> ecosystems.add(a.ecosystem().contains(":")
                    ? a.ecosystem().substring(0, a.ecosystem().indexOf(':')) : a.ecosystem()));
            newest = advisory.modified().isAfter(newest) ? advisory.modified() : newest;
            pending.add(advisory);
            if (pending.size() >= BATCH) {
                flush();
            }
        }

        void problem(String message) {
            unusable++;
            if (problems.size() < PROBLEMS_KEPT) {
                problems.add(message);
            }
        }

        void flush() throws SQLException {
            if (!pending.isEmpty()) {
                store.save(pending);
                imported += pending.size();
                pending.clear();
            }
        }
    }

}
