package io.driftguard.daemon.baseline.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Containers a test starts, all named dg-bl-*, removed at the end of the test whatever happened. */
public final class TestContainers implements AutoCloseable {
    private final List<String> names = new ArrayList<>();

    /** Starts a container without network; returns its (unique) name. */
    public String run(String label, String image) throws Exception {
        String name = "dg-bl-" + label + "-" + UUID.randomUUID().toString().substring(0, 8);
        names.add(name);
        Cmd started = Cmd.run("docker", "run", "-d", "--name", name, "--network", "none", image);
        if (started.exitCode() != 0) {
            throw new AssertionError("docker run failed: " + started.output());
        }
        return name;
    }

    public static Cmd exec(String name, String... command) throws Exception {
        List<String> argv = new ArrayList<>(List.of("docker", "exec", name));
        argv.addAll(List.of(command));
        return Cmd.run(argv);
    }

    public static String id(String name) throws Exception {
        return Cmd.run("docker", "inspect", "--format", "{{.Id}}", name).output().trim();
    }

    @Override
    public void close() throws Exception {
        for (String name : names) {
            Cmd.run("docker", "rm", "-f", name);
        }
    }
}
