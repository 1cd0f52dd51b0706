package io.driftguard.daemon.dockersetup;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * {@code "runtimes": {NAME: {"path": driftguard-runtime, "runtimeArgs": [...]}}} and
 * {@code "default-runtime": NAME}: every container created from then on runs through the wrapper,
 * whose start hook asks the daemon before the container's first exec. dockerd 20.10 passes
 * runtimeArgs before runc's own arguments (it writes a script that execs PATH ARGS "$@").
 *
 * Docker records the runtime in each container it creates, and the shims of running containers
 * keep calling the script dockerd wrote for NAME; so undo keeps NAME as the wrapper without its
 * hook (runc, passed through: those containers still start and stay manageable) and names runc
 * as the default explicitly: a reload keeps the previous default when the file names none.
 */
public final class RuntimeSetting implements DockerSetting {
    static final String RUNTIMES = "runtimes";
    static final String DEFAULT = "default-runtime";
    /** Where Docker's and Debian's packages put runc. */
    private static final List<Path> RUNC = List.of(Path.of("/usr/bin/runc"), Path.of("/usr/sbin/runc"));

    private final String name;
    private final Path binary;
    private final Path runc;
    private final Path socket;
    private final boolean failClosed;
    private final Duration timeout;

    private RuntimeSetting(String name, Path binary, Path runc, Path socket, boolean failClosed, Duration timeout) {
        this.name = name;
        this.binary = binary;
        this.runc = runc;
        this.socket = socket;
        this.failClosed = failClosed;
        this.timeout = timeout;
    }

    /** {@code runc} null: the first of /usr/bin/runc, /usr/sbin/runc that exists. */
    public static RuntimeSetting of(String name, Path binary, Path runc, Path socket, boolean failClosed, Duration timeout)
            throws SetupException {
        Path found = runc != null ? runc : RUNC.stream().filter(Files::isExecutable).findFirst()
                .orElseThrow(() -> new SetupException("runc is neither /usr/bin/runc nor /usr/sbin/runc; set [runtime] runc"));
        return new RuntimeSetting(name, binary.toAbsolutePath(), found.toAbsolutePath(), socket.toAbsolutePath(), failClosed, timeout);
    }

    @Override
    public String description() {
        return "runtime " + name + " (" + binary + " wrapping " + runc + ") as the default runtime";
    }

    /** With fail = closed, Docker could start no container while the daemon does not answer. */
    @Override
    public void checkReady() throws SetupException {
        for (Path program : List.of(binary, runc)) {
            if (!Files.isExecutable(program)) {
                throw new SetupException(program + " is not an executable file");
            }
        }
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(socket));
        } catch (IOException e) {
            throw new SetupException("the hook socket " + socket + " does not answer (" + e.getMessage()
                    + "); start driftguard first: the start hook asks it before every container starts");
        }
    }

    @Override
    public void checkCompatible(ObjectNode daemonJson) throws SetupException {
        String current = daemonJson.path(DEFAULT).asText("runc");
        if (!current.equals("runc") && !current.equals(name)) {
            throw new SetupException("Docker's default runtime is '" + current + "'; driftguard-runtime wraps runc only,"
                    + " so it would replace that runtime: set it up by hand if " + current + " can be wrapped");
        }
    }

    @Override
    public boolean isApplied(ObjectNode daemonJson) {
        return entry().equals(daemonJson.path(RUNTIMES).path(name)) && name.equals(daemonJson.path(DEFAULT).asText());
    }

    @Override
    public void apply(ObjectNode daemonJson) {
        runtimes(daemonJson).set(name, entry());
        daemonJson.put(DEFAULT, name);
    }

    @Override
    public void remove(ObjectNode daemonJson) {
        leaveOnUndo(daemonJson);
    }

    @Override
    public boolean leaveOnUndo(ObjectNode original) {
        ObjectNode alias = original.objectNode().put("path", binary.toString());
        alias.putArray("runtimeArgs").add("--driftguard-runc=" + runc);
        boolean changed = !alias.equals(original.path(RUNTIMES).path(name)) || !"runc".equals(original.path(DEFAULT).asText());
        runtimes(original).set(name, alias);
        original.put(DEFAULT, "runc");
        return changed;
    }

    private ObjectNode entry() {
        ObjectNode entry = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        entry.put("path", binary.toString());
        entry.putArray("runtimeArgs")
                .add("--driftguard-runc=" + runc)
                .add("--driftguard-socket=" + socket)
                .add("--driftguard-fail=" + (failClosed ? "closed" : "open"))
                .add("--driftguard-timeout=" + timeout.toMillis());
        return entry;
    }

    private static ObjectNode runtimes(ObjectNode daemonJson) {
        JsonNode runtimes = daemonJson.get(RUNTIMES);
        return runtimes instanceof ObjectNode object ? object : daemonJson.putObject(RUNTIMES);
    }
}
