package io.driftguard.daemon.it;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** driftguard-scan, run from the test class path, for tests where the daemon follows the scanner's store. */
final class ScannerCli {
    private ScannerCli() {
    }

    /** Runs driftguard-scan with {@code args} and {@code --config config}. */
    static DockerCli.Result run(Path config, String... args) {
        List<String> command = new ArrayList<>(List.of("java", "-cp", System.getProperty("java.class.path"), "io.driftguard.scan.cli.Main"));
        command.addAll(List.of(args));
        command.addAll(List.of("--config", config.toString()));
        return DockerCli.exec(command);
    }
}
