package io.driftguard.scan.registry;

import io.driftguard.scan.auth.Authenticator;
import io.driftguard.scan.auth.CredentialProvider;
import io.driftguard.scan.auth.TokenCache;
import io.driftguard.scan.config.RegistryConfig;
import io.driftguard.scan.config.ScanConfig;
import io.driftguard.scan.net.RegistryException;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Clock;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** Builds the HTTP stack for one configured registry. */
public final class RegistryClients {
    private RegistryClients() {
    }

    /** {@code progress} hears of every retry. */
    public static RegistryHttp create(RegistryConfig registry, ScanConfig scan, Clock clock, Consumer<String> progress)
            throws RegistryException {
        SSLContext tls = registry.caFile().isPresent() ? trusting(registry.caFile().get()) : null;
        Supplier<HttpClient> client = new OnFirstUse<>(() -> {
            HttpClient.Builder builder = HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(scan.timeout())
                    // Redirects are followed by RegistryHttp, which decides where credentials may go.
                    .followRedirects(HttpClient.Redirect.NEVER);
            if (tls != null) {
                builder.sslContext(tls);
            }
            return builder.build();
        });
        Authenticator auth = new Authenticator(registry.name(), registry.insecure(),
                new CredentialProvider(registry.credentials(), registry.name()), client, scan.timeout(),
                new TokenCache(clock), clock);
        return new RegistryHttp(registry.url(), registry.name(), client, new BlockingExchange(tls, scan.timeout()), auth,
                new RetryPolicy(scan.retries(), scan.retryDelay()), registry.concurrency(), scan.timeout(), clock, progress);
    }

    /**
     * Builds its value when first asked, once: a run that streams no blob and fetches no token
     * never builds the HttpClient (its TLS defaults alone are a quarter of a second of start-up).
     */
    private static final class OnFirstUse<T> implements Supplier<T> {
        private final Supplier<T> build;
        private T value;

        OnFirstUse(Supplier<T> build) {
            this.build = build;
        }

        @Override
        public synchronized T get() {
            if (value == null) {
                value = build.get();
            }
            return value;
        }
    }

    /** Trusts exactly the certificates in a PEM file, as curl --cacert does. */
    static SSLContext trusting(Path caFile) throws RegistryException {
        try (InputStream in = Files.newInputStream(caFile)) {
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            int i = 0;
            for (Certificate certificate : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                trust.setCertificateEntry("ca-" + i++, certificate);
            }
            if (i == 0) {
                throw new RegistryException("ca_file " + caFile + " holds no certificate");
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, factory.getTrustManagers(), null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new RegistryException("cannot use ca_file " + caFile + ": " + e.getMessage(), e);
        }
    }
}
