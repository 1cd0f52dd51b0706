package io.driftguard.core.store;

import java.io.IOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.OptionalInt;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.sql.DataSource;

/**
 * Whether a component's tables are already at the newest version this program bundles, read
 * without Flyway. The store is current on nearly every start of every command, and Flyway's
 * set-up (some 350 classes, a classpath scan, a validation of every applied script) took about a
 * third of a second of each short scanner run. Any other answer, and any doubt, leaves the work to
 * Flyway. Checksums of applied scripts are not compared here: a released migration is never edited.
 */
final class CurrentSchema {
    private static final Pattern VERSIONED = Pattern.compile("V(\\d+)__[^/]+\\.sql");

    private CurrentSchema() {
    }

    /** True only when every row of {@code historyTable} succeeded and the newest is the newest script under {@code location}. */
    static boolean isCurrent(DataSource source, String location, String historyTable) {
        OptionalInt bundled = newestBundled(CurrentSchema.class.getClassLoader(), location);
        if (bundled.isEmpty()) {
            return false;
        }
        try (Connection c = source.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT version, success FROM " + historyTable)) {
            int newest = -1;
            while (rs.next()) {
                if (!rs.getBoolean(2)) {
                    return false;
                }
                String version = rs.getString(1);
                if (version != null) {
                    newest = Math.max(newest, Integer.parseInt(version));
                }
            }
            return newest == bundled.getAsInt();
        } catch (SQLException | NumberFormatException e) {
            // No history table yet, or versions this program does not write: Flyway decides.
            return false;
        }
    }

    /** The highest V{@code n} of the scripts in the resource folder {@code location}; empty when it cannot be listed. */
    static OptionalInt newestBundled(ClassLoader loader, String location) {
        URL folder = loader.getResource(location);
        if (folder == null) {
            return OptionalInt.empty();
        }
        try {
            return switch (folder.getProtocol()) {
                case "jar" -> newestInJar(((JarURLConnection) folder.openConnection()).getJarFile(), location + "/");
                case "file" -> newest(listFolder(Path.of(folder.toURI())));
                default -> OptionalInt.empty();
            };
        } catch (IOException | URISyntaxException | ClassCastException e) {
            return OptionalInt.empty();
        }
    }

    /** The jar is the class loader's own, cached by the JDK: it is not closed here. */
    private static OptionalInt newestInJar(JarFile jar, String prefix) {
        return newest(jar.stream().map(JarEntry::getName).filter(n -> n.startsWith(prefix)).map(n -> n.substring(prefix.length())));
    }

    private static Stream<String> listFolder(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(p -> p.getFileName().toString()).toList().stream();
        }
    }

    private static OptionalInt newest(Stream<String> names) {
        return names.map(VERSIONED::matcher).filter(Matcher::matches).mapToInt(m -> Integer.parseInt(m.group(1))).max();
    }
}
