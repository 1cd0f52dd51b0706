package io.driftguard.daemon.dockersetup;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Optional;

/**
 * Docker's daemon.json as bytes and as a tree. Written by rename, so dockerd never reads half a
 * file; the mode of an existing file is kept (new ones are 0644, as Docker's packages make it).
 */
final class DaemonJson {
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(SerializationFeature.INDENT_OUTPUT).build();

    private DaemonJson() {
    }

    /** The file's bytes; empty when there is no file. */
    static Optional<byte[]> read(Path file) throws IOException {
        return Files.exists(file) ? Optional.of(Files.readAllBytes(file)) : Optional.empty();
    }

    static ObjectNode tree(Path file, Optional<byte[]> bytes) throws SetupException {
        if (bytes.isEmpty() || new String(bytes.get(), StandardCharsets.UTF_8).isBlank()) {
            return JSON.createObjectNode();
        }
        try {
            JsonNode tree = JSON.readTree(bytes.get());
            if (!(tree instanceof ObjectNode object)) {
                throw new SetupException(file + " is not a JSON object; fix it by hand first");
            }
            return object;
        } catch (JsonProcessingException e) {
            throw new SetupException(file + " is not valid JSON (line " + e.getLocation().getLineNr() + "): "
                    + e.getOriginalMessage() + "; fix it by hand first");
        } catch (IOException e) {
            throw new SetupException("cannot read " + file + ": " + e.getMessage());
        }
    }

    static byte[] bytes(ObjectNode tree) throws JsonProcessingException {
        return (JSON.writeValueAsString(tree) + "\n").getBytes(StandardCharsets.UTF_8);
    }

    static boolean same(Optional<byte[]> a, byte[] b) {
        return a.isPresent() && Arrays.equals(a.get(), b);
    }

    static void write(Path file, byte[] bytes) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path temp = Files.createTempFile(parent, ".daemon.json.", ".tmp");
        try {
            Files.write(temp, bytes);
            Files.setPosixFilePermissions(temp, Files.exists(file) ? Files.getPosixFilePermissions(file)
                    : PosixFilePermissions.fromString("rw-r--r--"));
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** Puts the file back as the backup holds it; an empty backup means there was no file. */
    static void restore(Path file, byte[] backup) throws IOException {
        if (backup.length == 0) {
            Files.deleteIfExists(file);
        } else {
            write(file, backup);
        }
    }
}
