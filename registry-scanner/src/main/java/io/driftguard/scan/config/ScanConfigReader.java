package io.driftguard.scan.config;

import io.driftguard.core.config.ConfigFile;
import io.driftguard.core.config.HostId;
import io.driftguard.core.event.Severity;
import io.driftguard.core.model.Digest;
import io.driftguard.core.model.ImageRef;
import io.driftguard.core.store.StoreSettings;
import io.driftguard.core.toml.ConfigException;
import io.driftguard.core.toml.TomlTable;
import io.driftguard.scan.net.Loopback;
import io.driftguard.scan.net.Redacted;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Reads {@code [scan]}, {@code [[registry]]} and {@code [store]} strictly: unknown keys, bad
 * types and bad values are all collected and thrown together, each naming file, line and key.
 */
public final class ScanConfigReader {
    private static final Pattern HELPER_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final Pattern PLATFORM = Pattern.compile("[a-z0-9]+/[a-z0-9_]+(?:/[a-z0-9]+)?");
    private static final int DEFAULT_CONCURRENCY = 4;
    private static final Set<String> SEVERITIES = Set.of("low", "medium", "high", "critical");

    private ScanConfigReader() {
    }

    public static ScanConfig read(Path file) throws ConfigException {
        return read(ConfigFile.read(file));
    }

    public static ScanConfig read(ConfigFile config) throws ConfigException {
        // [store] is shared with the daemon, which also checks that it has no unknown keys.
        StoreSettings store = StoreSettings.read(config, config.section("store"));
        // The daemon checks [daemon] as a whole; the scanner's events carry the same host id.
        String hostId = HostId.read(config.section("daemon"));
        TomlTable scan = config.section("scan");
        int retries = (int) bounded(scan, "retries", 4, 0, 10);
        Duration retryDelay = ConfigFile.duration(scan, "retry_delay", Duration.ofSeconds(1));
        Duration timeout = ConfigFile.duration(scan, "timeout", Duration.ofSeconds(60));
        Duration interval = ConfigFile.duration(scan, "interval", Duration.ofHours(1));
        long maxManifest = bounded(scan, "max_manifest_size", 4L << 20, 1024, 64L << 20);
        int concurrency = (int) bounded(scan, "concurrency", DEFAULT_CONCURRENCY, 1, 64);
        int pageSize = (int) bounded(scan, "page_size", 100, 1, 10_000);
        ImagePolicy images = images(scan);
        scan.finish();
        List<RegistryConfig> registries = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (TomlTable table : config.sections("registry")) {
            RegistryConfig registry = registry(config, table, concurrency);
            if (registry != null && !names.add(registry.name())) {
                table.problem("url", "registry " + registry.name() + " is listed twice");
            } else if (registry != null) {
                registries.add(registry);
            }
            table.finish();
        }
        config.finish();
        return new ScanConfig(store, hostId, retries, retryDelay, timeout, interval, maxManifest, pageSize, images, registries);
    }

    private static ImagePolicy images(TomlTable scan) {
        String failText = scan.string("fail_on").orElse("high");
        Optional<Severity> failOn = Optional.empty();
        if (SEVERITIES.contains(failText)) {
            failOn = Optional.of(Severity.fromWire(failText));
        } else if (!failText.equals("none")) {
            scan.problem("fail_on", "must be one of low, medium, high, critical or none, not '" + failText + "'");
        }
        Duration maxDbAge = ConfigFile.duration(scan, "max_db_age", Duration.ofDays(7));
        List<Ignore> ignores = new ArrayList<>();
        for (TomlTable t : scan.tables("ignore")) {
            Optional<String> id = t.string("id");
            Optional<String> digestText = t.string("digest");
            Optional<Digest> digest = Optional.empty();
            if (digestText.isPresent()) {
                try {
                    digest = Optional.of(Digest.parse(digestText.get()));
                } catch (IllegalArgumentException e) {
                    t.problem("digest", e.getMessage());
                }
            }
            if (id.isPresent() == digestText.isPresent()) {
                t.problem(null, "give either id (an advisory) or digest (an image), not both or neither");
            }
            String reason = t.string("reason").orElse("");
            if (reason.isBlank()) {
                t.problem("reason", "is required: say why the finding may be ignored");
            }
            LocalDate expires = null;
            Optional<String> expiresText = t.string("expires");
            if (expiresText.isEmpty()) {
                t.problem("expires", "is required (a date such as 2027-01-31): an ignore must end");
            } else {
                try {
                    expires = LocalDate.parse(expiresText.get());
                } catch (DateTimeParseException e) {
                    t.problem("expires", "must be a date such as 2027-01-31, not '" + expiresText.get() + "'");
                }
            }
            if (expires != null && !reason.isBlank() && id.isPresent() != digestText.isPresent()) {
                ignores.add(new Ignore(id, digest, reason, expires));
            }
            t.finish();
        }
        return new ImagePolicy(failOn, maxDbAge, ignores);
    }

    private static RegistryConfig registry(ConfigFile config, TomlTable t, int defaultConcurrency) {
        URI url = url(t);
        boolean insecure = t.bool("insecure").orElse(false);
        List<String> repositories = t.strings("repositories");
        for (int i = 0; i < repositories.size(); i++) {
            if (!ImageRef.isRepository(repositories.get(i))) {
                t.problem("repositories", i, "'" + repositories.get(i) + "' is not a valid repository name");
            }
        }
        NameFilter repositoryFilter = new NameFilter(pattern(t, "include"), pattern(t, "exclude"));
        NameFilter tagFilter = new NameFilter(pattern(t, "include_tags"), pattern(t, "exclude_tags"));
        List<String> platforms = t.strings("platforms");
        for (int i = 0; i < platforms.size(); i++) {
            if (!PLATFORM.matcher(platforms.get(i)).matches()) {
                t.problem("platforms", i, "must be os/architecture[/variant] such as linux/arm64/v8, not '" + platforms.get(i) + "'");
            }
        }
        CredentialSource credentials = credentials(config, t);
        Optional<Path> caFile = t.has("ca_file") ? Optional.of(config.path(t, "ca_file", "")) : Optional.empty();
        caFile.filter(p -> !Files.isReadable(p)).ifPresent(p -> t.problem("ca_file", "cannot read " + p));
        int concurrency = (int) bounded(t, "concurrency", defaultConcurrency, 1, 64);
        if (url == null) {
            return null;
        }
        if (url.getScheme().equals("http") && !insecure && !Loopback.isLoopback(url.getHost())) {
            t.problem("url", "plain http to " + url.getHost() + " sends images and credentials unprotected; "
                    + "use https, or set insecure = true to allow it");
        }
        if (url.getScheme().equals("https") && insecure) {
            t.problem("insecure", "applies to http:// URLs only; for a private certificate authority set ca_file");
        }
        return new RegistryConfig(url, url.getAuthority(), repositories, repositoryFilter, tagFilter, platforms,
                credentials, caFile, insecure, concurrency);
    }

    private static URI url(TomlTable t) {
        String text = t.requiredString("url");
        if (text.isEmpty()) {
            return null;
        }
        try {
            URI url = new URI(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
            if (!"http".equals(url.getScheme()) && !"https".equals(url.getScheme())) {
                t.problem("url", "must start with https:// or http://, not '" + Redacted.of(text) + "'");
                return null;
            }
            if (url.getHost() == null || url.getRawUserInfo() != null || url.getRawQuery() != null
                    || url.getRawFragment() != null || !url.getRawPath().isEmpty()) {
                t.problem("url", "must be scheme://host[:port] with no user, path or query, not '" + Redacted.of(text) + "'");
                return null;
            }
            return url;
        } catch (URISyntaxException e) {
            t.problem("url", "is not a URL: " + Redacted.of(e.getMessage()));
            return null;
        }
    }

    private static CredentialSource credentials(ConfigFile config, TomlTable t) {
        List<CredentialSource> found = new ArrayList<>();
        Optional<String> username = t.string("username");
        boolean hasPasswordFile = t.has("password_file");
        Path passwordFile = hasPasswordFile ? config.path(t, "password_file", "") : null;
        if (username.isPresent() != hasPasswordFile) {
            t.problem(username.isPresent() ? "username" : "password_file", "username and password_file go together");
        } else if (username.isPresent()) {
            found.add(new CredentialSource.UsernamePassword(username.get(), passwordFile));
        }
        if (t.has("docker_config")) {
            found.add(new CredentialSource.DockerConfig(config.path(t, "docker_config", "")));
        }
        Optional<String> helper = t.string("credential_helper");
        if (helper.isPresent()) {
            if (HELPER_NAME.matcher(helper.get()).matches()) {
                found.add(new CredentialSource.Helper(helper.get()));
            } else {
                t.problem("credential_helper", "must be the NAME of docker-credential-NAME ([A-Za-z0-9._-]), not '"
                        + helper.get() + "'");
            }
        }
        if (found.size() > 1) {
            t.problem(null, "give one of username + password_file, docker_config or credential_helper, not several");
        }
        return found.isEmpty() ? new CredentialSource.Anonymous() : found.get(0);
    }

    private static Optional<Pattern> pattern(TomlTable t, String key) {
        Optional<String> text = t.string(key);
        if (text.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Pattern.compile(text.get()));
        } catch (PatternSyntaxException e) {
            t.problem(key, "is not a valid regular expression: " + e.getDescription() + " near index " + e.getIndex());
            return Optional.empty();
        }
    }

    private static long bounded(TomlTable t, String key, long fallback, long min, long max) {
        long value = t.integer(key).orElse(fallback);
        if (value < min || value > max) {
            t.problem(key, "must be between " + min + " and " + max + ", not " + value);
            return fallback;
        }
        return value;
    }
}
