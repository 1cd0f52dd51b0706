package io.driftguard.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftguard.core.testing.Prerequisites;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The .rpm's contents, metadata and scriptlets, and an install and erase in a scratch root. */
class RpmPackageIT {
    private Path rpm;

    @BeforeEach
    void findPackage() {
        Prerequisites.requireCommand("rpm");
        rpm = Path.of(System.getProperty("driftguard.rpm"));
        assertThat(rpm).as("the package built by this module").isRegularFile();
    }

    @Test
    void listsTheFilesInRedHatsLayout() {
        List<String> files = rpmQuery("-qpl").lines().toList();
        assertThat(files).contains("/usr/bin/driftguard", "/usr/share/driftguard/driftguard.jar",
                "/usr/lib/systemd/system/driftguard.service", "/usr/share/man/man8/driftguard.8.gz", "/usr/share/doc/driftguard/README.md",
                "/etc/driftguard/driftguard.toml", "/etc/driftguard/policies.d/10-block-shells.toml", "/var/lib/driftguard",
                "/usr/share/man/man5/driftguard.toml.5.gz", "/usr/share/man/man5/driftguard-policy.5.gz",
                "/usr/share/bash-completion/completions/driftguard", "/usr/share/bash-completion/completions/driftguard-scan",
                "/usr/share/zsh/site-functions/_driftguard", "/usr/lib/driftguard/driftguard-protect");
        assertThat(files).allMatch(file -> file.startsWith("/usr/") || file.startsWith("/etc/driftguard")
                || file.equals("/var/lib/driftguard"));

        String modes = rpmQuery("-qp", "--qf", "[%{FILEMODES:perms} %{FILEFLAGS:fflags} %{FILENAMES}\\n]");
        assertThat(modes).contains("drwx------  /var/lib/driftguard\n", "-rwxr-xr-x  /usr/bin/driftguard\n",
                "-rw-r--r-- cn /etc/driftguard/driftguard.toml\n",
                "-rwxr-xr-x  /usr/lib/driftguard/driftguard-protect\n", "-rw-r--r-- cn /etc/driftguard/policies.d/10-block-shells.toml\n");
    }

    @Test
    void declaresDependenciesAsRedHatNamesThem() {
        assertThat(rpmQuery("-qpR").lines()).contains("java-headless >= 1:17", "libbpf", "nss-softokn", "(docker-ce or moby-engine)",
                "/usr/bin/kill");
    }

    @Test
    void scriptletsFollowTheSystemdConventions() {
        String scripts = rpmQuery("-qp", "--scripts");
        assertThat(scripts).contains("postinstall scriptlet", "systemctl --no-reload preset",
                "preuninstall scriptlet", "systemctl --no-reload disable --now",
                "postuninstall scriptlet", "systemctl try-restart driftguard.service");
    }

    /**
     * A scratch root has none of the dependencies, so this installs with --nodeps; busybox gives
     * the scriptlets a shell (they skip systemctl, which is not there).
     */
    @Test
    void installsIntoAndErasesFromAScratchRoot(@TempDir Path root) throws IOException {
        Prerequisites.requireRoot();
        Path busybox = Path.of("/bin/busybox");
        Prerequisites.require(Files.isExecutable(busybox), "/bin/busybox (Debian's busybox-static)");
        Files.createDirectories(root.resolve("bin"));
        Files.copy(busybox, root.resolve("bin/busybox"));
        Files.createSymbolicLink(root.resolve("bin/sh"), Path.of("busybox"));
        Files.createDirectories(root.resolve("dev"));
        ok(List.of("mknod", "-m", "666", root.resolve("dev/null").toString(), "c", "1", "3"));

        ok(List.of("rpm", "--root", root.toString(), "--initdb"));
        Command.Result install = ok(List.of("rpm", "--root", root.toString(), "--nodeps", "-i", rpm.toString()));
        assertThat(install.output()).doesNotContain("scriptlet failed");
        assertThat(root.resolve("usr/share/driftguard/driftguard.jar")).isRegularFile();
        assertThat(root.resolve("usr/bin/driftguard")).isExecutable();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(root.resolve("var/lib/driftguard"))))
                .isEqualTo("rwx------");

        // An edited config and existing state survive an erase; the rest goes.
        Files.writeString(root.resolve("etc/driftguard/driftguard.toml"), "# edited\n", StandardOpenOption.APPEND);
        Files.writeString(root.resolve("var/lib/driftguard/driftguard.db"), "state");
        Command.Result erase = ok(List.of("rpm", "--root", root.toString(), "-e", "driftguard"));
        assertThat(erase.output()).doesNotContain("scriptlet failed");
        assertThat(root.resolve("usr/share/driftguard/driftguard.jar")).doesNotExist();
        assertThat(root.resolve("usr/lib/systemd/system/driftguard.service")).doesNotExist();
        assertThat(root.resolve("etc/driftguard/driftguard.toml.rpmsave")).isRegularFile();
        assertThat(root.resolve("var/lib/driftguard/driftguard.db")).isRegularFile();
    }

    private String rpmQuery(String... args) {
        List<String> argv = new ArrayList<>(List.of("rpm"));
        argv.addAll(List.of(args));
        argv.add(rpm.toString());
        return ok(argv).output();
    }

    private static Command.Result ok(List<String> argv) {
        Command.Result result = Command.run(Duration.ofMinutes(2), argv);
        assertThat(result.ok()).as("%s: %s", argv, result).isTrue();
        return result;
    }
}
