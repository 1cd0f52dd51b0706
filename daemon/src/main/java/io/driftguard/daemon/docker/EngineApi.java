package io.driftguard.daemon.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.dockerjava.transport.DockerHttpClient;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import io.driftguard.daemon.admission.EngineLookup;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The admission plugin's questions to the engine, as raw API reads, so that settings come back in
 * exactly the schema of a create request. These GETs pass through the plugin too, which allows
 * them at once; answers are bounded in time and size.
 */
public final class EngineApi implements EngineLookup, AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_ANSWER = 16 << 20;

    private final DockerHttpClient http;
    private volatile String defaultRuntime;

    private EngineApi(DockerHttpClient http) {
        this.http = http;
    }

    /** {@code socket} is a unix:// URI or a plain socket path. */
    public static EngineApi open(String socket) {
        String host = socket.startsWith("unix://") ? socket : "unix://" + socket;
        return new EngineApi(new ZerodepDockerHttpClient.Builder().dockerHost(URI.create(host))
                .connectionTimeout(Duration.ofSeconds(2)).responseTimeout(Duration.ofSeconds(3)).maxConnections(32).build());
    }

    @Override
    public Optional<ExistingContainer> container(String nameOrId) {
        return get("/containers/" + encode(nameOrId) + "/json").map(inspect -> {
            JsonNode config = inspect.path("Config");
            return new ExistingContainer(inspect.path("Id").asText(), inspect.path("Name").asText().replaceFirst("^/", ""),
                    config.path("Image").asText(), labels(config.path("Labels")), config.path("User").asText(""));
        });
    }

    @Override
    public Optional<LocalImage> image(String reference) {
        return get("/images/" + encode(reference) + "/json").map(inspect -> {
            List<String> digests = new ArrayList<>();
            inspect.path("RepoDigests").forEach(d -> digests.add(d.asText()));
            return new LocalImage(inspect.path("Id").asText(), digests);
        });
    }

    @Override
    public Optional<String> volumeHostPath(String name) {
        return get("/volumes/" + encode(name)).flatMap(volume -> {
            if (!volume.path("Driver").asText().equals("local")) {
                return Optional.empty();
            }
            Map<String, String> options = labels(volume.path("Options"));
            return io.driftguard.daemon.admission.LocalVolumes.hostPath(options);
        });
    }

    @Override
    public String defaultRuntime() {
        String known = defaultRuntime;
        if (known == null) {
            known = get("/info").map(info -> info.path("DefaultRuntime").asText("runc")).orElse("runc");
            defaultRuntime = known;
        }
        return known;
    }

    @Override
    public List<RunningContainer> running() {
        List<RunningContainer> result = new ArrayList<>();
        for (JsonNode listed : get("/containers/json").orElse(JSON.createArrayNode())) {
            String id = listed.path("Id").asText();
            get("/containers/" + encode(id) + "/json").ifPresent(inspect -> {
                ObjectNode form = inspect.path("Config").isObject() ? ((ObjectNode) inspect.path("Config")).deepCopy()
                        : JSON.createObjectNode();
                form.set("HostConfig", inspect.path("HostConfig"));
                result.add(new RunningContainer(id, inspect.path("Name").asText().replaceFirst("^/", ""), form));
            });
        }
        return result;
    }

    private Optional<JsonNode> get(String path) {
        DockerHttpClient.Request request = DockerHttpClient.Request.builder()
                .method(DockerHttpClient.Request.Method.GET).path(path).build();
        try (DockerHttpClient.Response response = http.execute(request)) {
            if (response.getStatusCode() == 404) {
                return Optional.empty();
            }
            byte[] body = readBounded(response.getBody());
            if (response.getStatusCode() != 200) {
                throw new LookupFailed("the engine answered GET " + path + " with " + response.getStatusCode() + ": "
                        + new String(body, 0, Math.min(body.length, 200), StandardCharsets.UTF_8).trim(), null);
            }
            return Optional.of(JSON.readTree(body));
        } catch (IOException | RuntimeException e) {
            if (e instanceof LookupFailed failed) {
                throw failed;
            }
            throw new LookupFailed("the engine did not answer GET " + path + ": " + e.getMessage(), e);
        }
    }

    private static byte[] readBounded(InputStream in) throws IOException {
        byte[] body = in.readNBytes(MAX_ANSWER + 1);
        if (body.length > MAX_ANSWER) {
            throw new IOException("answer larger than " + MAX_ANSWER + " bytes");
        }
        return body;
    }

    private static Map<String, String> labels(JsonNode node) {
        Map<String, String> result = new java.util.LinkedHashMap<>();
        node.fields().forEachRemaining(e -> result.put(e.getKey(), e.getValue().asText()));
        return result;
    }

    /** Percent-encodes all but the characters of names, ids and references, so a value cannot change the path. */
    private static String encode(String value) {
        StringBuilder out = new StringBuilder();
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "._-:@/".indexOf(c) >= 0) {
                out.append(c);
            } else {
                out.append('%').append(String.format("%02X", b & 0xff));
            }
        }
        return out.toString();
    }

    @Override
    public void close() throws IOException {
        http.close();
    }
}
