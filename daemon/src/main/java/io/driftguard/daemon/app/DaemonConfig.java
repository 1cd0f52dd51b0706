package io.driftguard.daemon.app;

import io.driftguard.core.config.ConfigFile;
import io.driftguard.core.config.HostId;
import io.driftguard.core.log.Log;
import io.driftguard.core.store.Retention;
import io.driftguard.core.store.StoreSettings;
import io.driftguard.core.toml.ConfigException;
import io.driftguard.core.toml.TomlTable;
import io.driftguard.daemon.enforce.EnforcementSettings;
import io.driftguard.daemon.metrics.MetricsSettings;
import io.driftguard.daemon.output.OutputConfig;
import io.driftguard.daemon.output.OutputSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * The daemon's settings from driftguard.toml. Relative paths are taken from the config file's
 * folder, so the same file works installed (/etc/driftguard) and in the source tree (conf/).
 */
public record DaemonConfig(Path file, String dockerSocket, Path policiesDir, StoreSettings store, Retention retention,
                           Log.Level logLevel, List<String> eventSinks, EnforcementSettings enforcement, Path controlSocket,
                           String hostId, Path admissionSocket, List<OutputSettings> outputs, MetricsSettings metrics,
                           Path helpersDir, RuntimeSettings runtime, boolean centralPolicies) {
    /** Where dockerd looks for the plugin named driftguard (pkg/plugins: /run/docker/plugins/NAME.sock). */
    public static final String DEFAULT_ADMISSION_SOCKET = "/run/docker/plugins/driftguard.sock";

    /** Where the packages install the helpers root runs (driftguard-protect). */
    public static final String PACKAGE_HELPERS = "/usr/lib/driftguard";

    static final List<String> SINKS = List.of("journald", "stdout");

    public DaemonConfig {
        eventSinks = List.copyOf(eventSinks);
        outputs = List.copyOf(outputs);
    }

    public static DaemonConfig load(Path file) throws ConfigException {
        ConfigFile config = ConfigFile.read(file);
        TomlTable docker = config.section("docker");
        String socket = docker.string("socket").orElse("unix:///var/run/docker.sock");
        docker.finish();

        TomlTable policies = config.section("policies");
        Path policiesDir = config.path(policies, "dir", "/etc/driftguard/policies.d");
        String source = policies.string("source").orElse("local");
        if (!source.equals("local") && !source.equals("central")) {
            policies.problem("source", "must be local (the files of dir) or central (the revision published with"
                    + " driftguard policy publish), not '" + source + "'");
        }

        TomlTable store = config.section("store");
        StoreSettings storeSettings = StoreSettings.read(config, store);
        if (source.equals("central") && !(storeSettings instanceof StoreSettings.Postgres)) {
            policies.problem("source", "central needs a shared store: set [store] url");
        }
        policies.finish();
        Retention retention = Retention.read(store);
        store.finish();

        TomlTable log = config.section("log");
        Log.Level level = logLevel(log);
        List<String> sinks = eventSinks(log);
        log.finish();

        TomlTable enforcement = config.section("enforcement");
        String failMode = enforcement.string("fail_mode").orElse("allow");
        if (!failMode.equals("allow") && !failMode.equals("deny")) {
            enforcement.problem("fail_mode", "must be allow or deny, not '" + failMode + "'");
        }
        Duration timeout = ConfigFile.duration(enforcement, "decision_timeout", Duration.ofMillis(250));
        if (timeout.isZero() || timeout.compareTo(Duration.ofSeconds(10)) > 0) {
            enforcement.problem("decision_timeout", "must be between 1ms and 10s: a process waits this long at most");
        }
        enforcement.finish();

        TomlTable daemon = config.section("daemon");
        Path controlSocket = config.path(daemon, "control_socket", "/run/driftguard/driftguard.sock");
        String hostId = HostId.read(daemon);
        Path helpersDir = config.path(daemon, "helpers_dir", defaultHelpersDir());
        daemon.finish();

        TomlTable admission = config.section("admission");
        Path admissionSocket = admission.string("socket").filter(String::isEmpty).isPresent() ? null
                : config.path(admission, "socket", DEFAULT_ADMISSION_SOCKET);
        if (admissionSocket != null && admissionSocket.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 107) {
            admission.problem("socket", "is longer than the 107 bytes a unix socket path can have");
        }
        admission.finish();

        List<OutputSettings> outputs = OutputConfig.read(config);
        TomlTable metricsSection = config.section("metrics");
        MetricsSettings metrics = MetricsSettings.read(metricsSection);
        metricsSection.finish();

        TomlTable runtimeTable = config.section("runtime");
        String helpers = defaultHelpersDir();
        RuntimeSettings runtime = RuntimeSettings.read(config, runtimeTable, controlSocket,
                helpers.equals(PACKAGE_HELPERS) ? RuntimeSettings.PACKAGE_BINARY : Path.of(helpers, "driftguard-runtime").toString());
        runtimeTable.finish();

        config.finish();
        return new DaemonConfig(config.file(), socket, policiesDir, storeSettings, retention, level, sinks,
                new EnforcementSettings(failMode.equals("allow"), timeout), controlSocket, hostId, admissionSocket,
                outputs, metrics, helpersDir, runtime, source.equals("central"));
    }

    /**
     * The package's helpers folder; for a daemon run from a source tree's build (a jar or classes
     * in {@code target/}), that build's {@code target/native}, so that tests and "Try it" work
     * without installing. Either is used only if trusted (root-owned, not group/world-writable).
     */
    static String defaultHelpersDir() {
        try {
            Path code = Path.of(DaemonConfig.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path target = code.getParent();
            if (target != null && target.getFileName() != null && target.getFileName().toString().equals("target")
                    && Files.isDirectory(target.resolve("native"))) {
                return target.resolve("native").toString();
            }
        } catch (java.net.URISyntaxException | SecurityException | IllegalArgumentException e) {
            // Not a file location: the package's folder.
        }
        return PACKAGE_HELPERS;
    }

    private static Log.Level logLevel(TomlTable log) {
        String text = log.string("level").orElse("info");
        try {
            return Log.Level.valueOf(text.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            log.problem("level", "must be error, warn, info or debug, not '" + text + "'");
            return Log.Level.INFO;
        }
    }

    /** "auto" sends events to journald where it runs, else to stdout as JSON lines. */
    private static List<String> eventSinks(TomlTable log) {
        if (!log.has("events")) {
            return List.of("auto");
        }
        List<String> sinks = log.strings("events");
        for (int i = 0; i < sinks.size(); i++) {
            if (!SINKS.contains(sinks.get(i)) && !sinks.get(i).equals("auto")) {
                log.problem("events", i, "must be auto, journald or stdout, not '" + sinks.get(i) + "'");
            }
        }
        return sinks;
    }
}
