package io.driftguard.daemon.cli;

import io.driftguard.core.log.Log;
import io.driftguard.core.toml.ConfigException;
import io.driftguard.daemon.app.Daemon;
import io.driftguard.daemon.app.DaemonConfig;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code driftguard daemon}: runs in the foreground, as systemd starts it. */
@Command(name = "daemon", mixinStandardHelpOptions = true,
        description = {"Run the daemon in the foreground: watch Docker and enforce the policies.",
                "Refuses to start when the config or any policy file is invalid. SIGHUP reloads the policies;"
                        + " an invalid new set is refused and the running one kept. SIGTERM stops it and releases"
                        + " every container."})
final class DaemonCommand implements Callable<Integer> {
    private static final Log LOG = Log.of(DaemonCommand.class);

    @Mixin
    ConfigOption config;

    @Override
    public Integer call() throws Exception {
        DaemonConfig settings;
        try {
            settings = config.load();
        } catch (ConfigException e) {
            LOG.error("invalid configuration, not starting:\n" + e.getMessage());
            return 2;
        }
        Log.setThreshold(settings.logLevel());
        try {
            return new Daemon(settings).run();
        } catch (ConfigException e) {
            LOG.error("invalid policies, not starting:\n" + e.getMessage());
            return 2;
        } catch (Exception e) {
            LOG.error("cannot start: " + e.getMessage());
            return 1;
        }
    }
}
