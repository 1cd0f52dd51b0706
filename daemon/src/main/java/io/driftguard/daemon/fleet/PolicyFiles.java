package io.driftguard.daemon.fleet;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.driftguard.core.store.Database;
import io.driftguard.daemon.policy.PolicyLoader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A policy folder as data: file name to text, for a published revision. Names are checked both
 * when a folder is read and when a revision from the shared store is written out, so that a row
 * of the database never names a path outside the folder.
 */
public record PolicyFiles(Map<String, String> files) {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]{0,127}\\.toml");

    public PolicyFiles {
        files = new TreeMap<>(files);
        for (String name : files.keySet()) {
            if (!NAME.matcher(name).matches() && !name.equals(PolicyLoader.ALLOW_EMPTY_MARKER)) {
                throw new IllegalArgumentException("policy file name '" + name + "' is not NAME.toml (letters, digits, . _ -)");
            }
        }
    }

    /** The *.toml files and the marker of {@code dir}, which {@link PolicyLoader} validated. */
    public static PolicyFiles read(Path dir) throws IOException {
        Map<String, String> files = new TreeMap<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (Files.isRegularFile(entry) && (name.endsWith(".toml") || name.equals(PolicyLoader.ALLOW_EMPTY_MARKER))) {
                    files.put(name, Files.readString(entry, StandardCharsets.UTF_8));
                }
            }
        }
        return new PolicyFiles(files);
    }

    public String toJson() {
        try {
            return JSON.writeValueAsString(files);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static PolicyFiles fromJson(String json) throws IOException {
        return new PolicyFiles(JSON.readValue(json, new TypeReference<Map<String, String>>() { }));
    }

    /** Makes {@code dir} (0700) hold exactly these files (0600); other files in it are removed. */
    public void writeTo(Path dir) throws IOException {
        Database.createPrivateDirectories(dir);
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path entry : entries) {
                if (!files.containsKey(entry.getFileName().toString()) && !Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) {
                    Files.delete(entry);
                }
            }
        }
        for (Map.Entry<String, String> file : files.entrySet()) {
            Path target = dir.resolve(file.getKey());
            Path partial = dir.resolve("." + file.getKey() + ".part");
            Files.deleteIfExists(partial);
            Files.createFile(partial, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(partial, file.getValue(), StandardCharsets.UTF_8);
            Files.move(partial, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        }
    }
}
