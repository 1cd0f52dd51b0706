package io.driftguard.scan.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Credentials from a Docker client {@code config.json}: {@code credHelpers[host]} first, then
 * {@code auths[host]} ({@code auth} = base64 of user:password, or username and password), then
 * {@code credsStore}, in the order the Docker CLI uses. Keys may be written with a scheme and
 * path ("https://host/v1/"); they are compared by host[:port].
 */
public final class DockerConfigCredentials {
    private static final ObjectMapper JSON = new ObjectMapper();

    private DockerConfigCredentials() {
    }

    /**
     * @param helpers makes the helper for a name found in the file (PATH lookup in production)
     */
    public static Optional<BasicCredentials> lookup(Path file, String host, Function<String, CredentialHelper> helpers)
            throws IOException {
        JsonNode config;
        try {
            config = JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new IOException("cannot read Docker config " + file + ": " + e.getMessage(), e);
        }
        Optional<String> helper = matching(config.path("credHelpers"), host).map(JsonNode::asText);
        if (helper.isPresent()) {
            return helpers.apply(helper.get()).get(host);
        }
        Optional<JsonNode> auth = matching(config.path("auths"), host);
        if (auth.isPresent()) {
            Optional<BasicCredentials> credentials = fromEntry(auth.get(), file, host);
            if (credentials.isPresent()) {
                return credentials;
            }
        }
        String store = config.path("credsStore").asText("");
        return store.isEmpty() ? Optional.empty() : helpers.apply(store).get(host);
    }

    private static Optional<BasicCredentials> fromEntry(JsonNode entry, Path file, String host) throws IOException {
        if (entry.hasNonNull("identitytoken")) {
            throw new IOException(file + ": auths entry for " + host + " holds an identity token, which driftguard-scan does not exchange");
        }
        String encoded = entry.path("auth").asText("");
        if (!encoded.isEmpty()) {
            String decoded;
            try {
                decoded = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw new IOException(file + ": auths entry for " + host + " has an auth value that is not base64");
            }
            int colon = decoded.indexOf(':');
            if (colon < 0) {
                throw new IOException(file + ": auths entry for " + host + " is not base64 of user:password");
            }
            return Optional.of(new BasicCredentials(decoded.substring(0, colon), decoded.substring(colon + 1)));
        }
        String username = entry.path("username").asText("");
        String password = entry.path("password").asText("");
        return username.isEmpty() ? Optional.empty() : Optional.of(new BasicCredentials(username, password));
    }

    private static Optional<JsonNode> matching(JsonNode object, String host) {
        Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (hostOf(field.getKey()).equalsIgnoreCase(host)) {
                return Optional.of(field.getValue());
            }
        }
        return Optional.empty();
    }

    /** "https://host:5000/v1/" and "host:5000" both give "host:5000". */
    static String hostOf(String key) {
        String text = key.contains("://") ? key : "dummy://" + key;
        try {
            String authority = URI.create(text).getRawAuthority();
            return authority == null ? key : authority;
        } catch (IllegalArgumentException e) {
            return key;
        }
    }
}
