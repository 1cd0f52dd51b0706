package io.driftguard.daemon.dockersetup;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * {@code "authorization-plugins": ["driftguard"]}: dockerd puts every API request to the plugin
 * whose socket is /run/docker/plugins/NAME.sock. A reload of dockerd takes it up.
 */
public final class AuthorizationPluginSetting implements DockerSetting {
    static final String KEY = "authorization-plugins";
    private static final Path PLUGIN_DIR = Path.of("/run/docker/plugins");

    private final String name;
    private final Path socket;

    private AuthorizationPluginSetting(String name, Path socket) {
        this.name = name;
        this.socket = socket;
    }

    /** The plugin served on {@code socket}, which must be where dockerd looks plugins up. */
    public static AuthorizationPluginSetting forSocket(Path socket) throws SetupException {
        String file = socket.getFileName() == null ? "" : socket.getFileName().toString();
        if (!socket.toAbsolutePath().getParent().equals(PLUGIN_DIR) || !file.endsWith(".sock") || file.length() <= 5) {
            throw new SetupException("[admission] socket " + socket + " is not " + PLUGIN_DIR + "/NAME.sock, where dockerd"
                    + " looks authorization plugins up");
        }
        return new AuthorizationPluginSetting(file.substring(0, file.length() - 5), socket);
    }

    public String name() {
        return name;
    }

    @Override
    public String description() {
        return "authorization plugin " + name;
    }

    /** Docker refuses every request while a configured plugin does not answer, so it must answer first. */
    @Override
    public void checkReady() throws SetupException {
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(socket));
            channel.write(ByteBuffer.wrap("POST /Plugin.Activate HTTP/1.1\r\nHost: \r\nContent-Length: 0\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII)));
            String answer = new String(Channels.newInputStream(channel).readNBytes(4096), StandardCharsets.UTF_8);
            if (!answer.startsWith("HTTP/1.1 200") || !answer.contains("\"authz\"")) {
                throw new SetupException("the plugin socket " + socket + " does not answer as an authorization plugin");
            }
        } catch (IOException e) {
            throw new SetupException("the plugin socket " + socket + " does not answer (" + e.getMessage()
                    + "); start driftguard (or driftguard-authz.socket) first: Docker refuses every request while its plugin is away");
        }
    }

    @Override
    public boolean isApplied(ObjectNode daemonJson) {
        JsonNode plugins = daemonJson.get(KEY);
        if (plugins != null && plugins.isArray()) {
            for (JsonNode plugin : plugins) {
                if (plugin.asText().equals(name)) {
                    return true;
                }
            }
        }
        return false;
    }

    @Override
    public void apply(ObjectNode daemonJson) {
        JsonNode plugins = daemonJson.get(KEY);
        ArrayNode list = plugins != null && plugins.isArray() ? (ArrayNode) plugins : daemonJson.putArray(KEY);
        list.add(name);
    }

    @Override
    public void remove(ObjectNode daemonJson) {
        JsonNode plugins = daemonJson.get(KEY);
        if (plugins == null || !plugins.isArray()) {
            return;
        }
        for (int i = plugins.size() - 1; i >= 0; i--) {
            if (plugins.get(i).asText().equals(name)) {
                ((ArrayNode) plugins).remove(i);
            }
        }
        if (plugins.isEmpty()) {
            daemonJson.remove(KEY);
        }
    }
}
