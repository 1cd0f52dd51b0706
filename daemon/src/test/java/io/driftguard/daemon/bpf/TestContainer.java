package io.driftguard.daemon.bpf;

import io.driftguard.core.model.ContainerId;
import io.driftguard.daemon.docker.ContainerInfo;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/** A test container on the host network (dg-ebpf-RANDOM), removed with docker rm -f on close. */
final class TestContainer implements AutoCloseable {
    static final String IMAGE = "driftguard-test/shell:1";

    /** Exit code and combined output of a command. */
    record Result(int exitCode, String output) {
    }

    final String name = "dg-ebpf-" + UUID.randomUUID().toString().substring(0, 8);

    TestContainer() throws IOException {
        Result run = run("docker", "run", "-d", "--network", "host", "--name", name, IMAGE);
        if (run.exitCode() != 0) {
            throw new IOException("docker run failed: " + run.output());
        }
    }

    long pid() throws IOException {
        return Long.parseLong(run("docker", "inspect", "-f", "{{.State.Pid}}", name).output().trim());
    }

    String id() throws IOException {
        return run("docker", "inspect", "-f", "{{.Id}}", name).output().trim();
    }

    ContainerInfo ref() throws IOException {
        return new ContainerInfo(ContainerId.parse(id()), name, IMAGE, null, (int) pid(), Map.of(), List.of());
    }

    Path cgroupDir() throws IOException {
        return CgroupPaths.cgroupDirOf(pid());
    }

    Result exec(String... command) throws IOException {
        List<String> argv = new ArrayList<>(List.of("docker", "exec", name));
        argv.addAll(List.of(command));
        return run(argv.toArray(String[]::new));
    }

    void copyIn(Path file, String target) throws IOException {
        Result r = run("docker", "cp", file.toString(), name + ":" + target);
        if (r.exitCode() != 0) {
            throw new IOException("docker cp failed: " + r.output());
        }
    }

    @Override
    public void close() throws IOException {
        run("docker", "rm", "-f", name);
    }

    static Result run(String... command) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("timed out: " + String.join(" ", command));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted: " + String.join(" ", command), e);
        }
        return new Result(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }
}
