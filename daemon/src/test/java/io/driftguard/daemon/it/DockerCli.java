package io.driftguard.daemon.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Runs the docker CLI for tests, with a fixed argv (never a shell string), and removes every
 * container it started when closed.
 */
public final class DockerCli implements AutoCloseable {
    public static final String IMAGE = "driftguard-test/shell:1";

    /** What a command printed and returned. */
    public record Result(int exit, String out, String err) {
        public String all() {
            return out + err;
        }
    }

    private final List<String> containers = new ArrayList<>();
    private final String prefix;
    private final String host;

    public DockerCli(String prefix) {
        this(prefix, null);
    }

    /** A CLI for the engine at {@code host} (a unix:// URI), or the default engine when null. */
    public DockerCli(String prefix, String host) {
        this.prefix = prefix;
        this.host = host;
    }

    public static Result run(String... args) {
        List<String> command = new ArrayList<>();
        command.add("docker");
        command.addAll(List.of(args));
        return exec(command);
    }

    public static Result exec(List<String> command) {
        return exec(command, null);
    }

    private static Result exec(List<String> command, String dockerHost) {
        try {
            ProcessBuilder builder = new ProcessBuilder(command);
            if (dockerHost != null) {
                builder.environment().put("DOCKER_HOST", dockerHost);
            }
            Process process = builder.start();
            byte[] out = process.getInputStream().readAllBytes();
            byte[] err = process.getErrorStream().readAllBytes();
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("timed out: " + command);
            }
            return new Result(process.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Starts a sleeping test container with the given labels ("k=v") and no network; returns its name. */
    public String start(String... labels) {
        return startOn("none", labels);
    }

    /** Starts a sleeping test container on the host's network ("host") or none ("none"). */
    public String startOn(String network, String... labels) {
        String name = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        List<String> args = new ArrayList<>(List.of("docker", "run", "-d", "--network", network, "--name", name));
        for (String label : labels) {
            args.add("--label");
            args.add(label);
        }
        args.add(IMAGE);
        containers.add(name);
        Result result = exec(args, host);
        assertThat(result.exit()).as("docker run: %s", result.err()).isZero();
        return name;
    }

    /** {@code docker ARGS...} against this CLI's engine. */
    public Result docker(String... args) {
        List<String> command = new ArrayList<>();
        command.add("docker");
        command.addAll(List.of(args));
        return exec(command, host);
    }

    public String id(String name) {
        return docker("inspect", "-f", "{{.Id}}", name).out().trim();
    }

    /** {@code docker exec NAME ARGS...}. */
    public Result execIn(String name, String... args) {
        List<String> command = new ArrayList<>(List.of("docker", "exec", name));
        command.addAll(List.of(args));
        return exec(command, host);
    }

    /** Removes {@code name} too when closed (a container renamed by the test). */
    public void track(String name) {
        containers.add(name);
    }

    public void remove(String name) {
        docker("rm", "-f", name);
        containers.remove(name);
    }

    @Override
    public void close() {
        for (String name : new ArrayList<>(containers)) {
            remove(name);
        }
    }
}
