package io.driftguard.core.toml;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** A parsed TOML file: its tree, and where each key stands so that errors can name the line. */
public final class TomlDocument {
    private static final TomlMapper MAPPER = new TomlMapper();

    private final Path file;
    private final ObjectNode root;
    private final TomlLineIndex lines;

    private TomlDocument(Path file, ObjectNode root, TomlLineIndex lines) {
        this.file = file;
        this.root = root;
        this.lines = lines;
    }

    public static TomlDocument read(Path file) throws ConfigException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigException(List.of(new ConfigProblem(file, 0, "", "cannot read: " + e.getMessage())));
        }
        return parse(file, text);
    }

    /** Parses text that claims to come from {@code file}; used by tests and by validate-only runs. */
    public static TomlDocument parse(Path file, String text) throws ConfigException {
        try {
            JsonNode tree = MAPPER.readTree(text);
            ObjectNode root = tree instanceof ObjectNode object ? object : MAPPER.createObjectNode();
            return new TomlDocument(file, root, TomlLineIndex.of(text));
        } catch (JsonProcessingException e) {
            int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
            throw new ConfigException(List.of(new ConfigProblem(file, line, "", "invalid TOML: " + e.getOriginalMessage())));
        }
    }

    public Path file() {
        return file;
    }

    /** The top-level table, read strictly: keys nobody reads are reported by {@link TomlTable#finish()}. */
    public TomlTable root(Problems problems) {
        return new TomlTable(this, root, "", problems);
    }

    ConfigProblem problem(String path, String message) {
        return new ConfigProblem(file, lines.lineOf(path), path, message);
    }

    int lineOf(String path) {
        return lines.lineOf(path);
    }
}
