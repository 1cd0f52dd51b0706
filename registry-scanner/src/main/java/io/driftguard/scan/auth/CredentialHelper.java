package io.driftguard.scan.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code docker-credential-NAME get} as Docker does: the server address on stdin, JSON with
 * Username and Secret on stdout. The program is found on PATH by this class and started with a
 * fixed argv, never through a shell; the name was validated when the config was read.
 */
public final class CredentialHelper {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_OUTPUT = 64 * 1024;
    private static final long TIMEOUT_SECONDS = 30;

    private final String name;
    private final String searchPath;

    public CredentialHelper(String name, String searchPath) {
        this.name = name;
        this.searchPath = searchPath;
    }

    public static CredentialHelper onPath(String name) {
        return new CredentialHelper(name, System.getenv().getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin"));
    }

    /** The credentials for a server, or empty when the helper has none for it. */
    public Optional<BasicCredentials> get(String serverAddress) throws IOException {
        Path program = locate();
        Process process = new ProcessBuilder(program.toString(), "get").redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try (OutputStream in = process.getOutputStream()) {
            in.write(serverAddress.getBytes(StandardCharsets.UTF_8));
        }
        byte[] output;
        try (InputStream out = process.getInputStream()) {
            output = out.readNBytes(MAX_OUTPUT);
        }
        try {
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException(program + " get did not finish within " + TIMEOUT_SECONDS + " s");
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for " + program, e);
        }
        String text = new String(output, StandardCharsets.UTF_8).trim();
        if (process.exitValue() != 0) {
            // The helpers' protocol: this exact message means "no credentials stored".
            if (text.contains("credentials not found")) {
                return Optional.empty();
            }
            throw new IOException(program + " get exited with " + process.exitValue() + ": " + firstLine(text));
        }
        JsonNode answer;
        try {
            answer = JSON.readTree(text);
        } catch (IOException e) {
            throw new IOException(program + " get printed no JSON credentials");
        }
        String username = answer.path("Username").asText("");
        String secret = answer.path("Secret").asText("");
        if (username.equals("<token>")) {
            throw new IOException(program + " returned an identity token, which driftguard-scan does not exchange; "
                    + "store a user name and password or a registry token instead");
        }
        return secret.isEmpty() ? Optional.empty() : Optional.of(new BasicCredentials(username, secret));
    }

    private Path locate() throws IOException {
        String program = "docker-credential-" + name;
        for (String dir : searchPath.split(":")) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, program);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        throw new IOException("credential helper " + program + " not found on PATH");
    }

    private static String firstLine(String text) {
        int newline = text.indexOf('\n');
        String line = newline < 0 ? text : text.substring(0, newline);
        return line.length() > 200 ? line.substring(0, 200) : line;
    }
}
