package io.driftguard.scan.it;

import com.sun.net.httpserver.HttpExchange;
import io.driftguard.core.testing.Prerequisites;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A token server for docker-registry's token auth: hands out RS256 JWTs for the scopes asked,
 * signed with a key whose self-signed certificate the registry trusts (rootcertbundle) and names
 * in the token's x5c header. It asks for Basic credentials like a real one.
 */
final class TokenServer extends LoopbackServer {
    static final String SERVICE = "driftguard-registry";
    static final String ISSUER = "driftguard-test-issuer";

    private final Path certificate;
    private final PrivateKey key;
    private final String x5c;
    private final String basic;

    private TokenServer(Path certificate, PrivateKey key, String x5c, String basic) throws IOException {
        this.certificate = certificate;
        this.key = key;
        this.x5c = x5c;
        this.basic = basic;
    }

    static TokenServer start(Path dir, String username, String password) throws Exception {
        Prerequisites.requireCommand("openssl");
        Path keyFile = dir.resolve("token.key");
        Path certFile = dir.resolve("token.crt");
        Process openssl = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes",
                "-keyout", keyFile.toString(), "-out", certFile.toString(), "-days", "2", "-subj", "/CN=driftguard-test-token")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!openssl.waitFor(60, TimeUnit.SECONDS) || openssl.exitValue() != 0) {
            throw new IllegalStateException("openssl could not make the token signing key");
        }
        String pem = Files.readString(keyFile).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        PrivateKey key = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pem)));
        byte[] der;
        try (InputStream in = Files.newInputStream(certFile)) {
            der = CertificateFactory.getInstance("X.509").generateCertificate(in).getEncoded();
        }
        String basic = "Basic " + Base64.getEncoder().encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
        return new TokenServer(certFile, key, Base64.getEncoder().encodeToString(der), basic);
    }

    /** The registry's auth section pointing here. */
    String registryAuthYaml() {
        return """
                auth:
                  token:
                    realm: %s/token
                    service: %s
                    issuer: %s
                    rootcertbundle: %s
                """.formatted(url(), SERVICE, ISSUER, certificate);
    }

    /** The scope of each token request answered, in order ("" for none). */
    List<String> scopesIssued() {
        List<String> scopes = new ArrayList<>();
        for (String request : requests()) {
            String query = request.contains("?") ? request.substring(request.indexOf('?') + 1) : "";
            scopes.add(param(query, "scope").orElse(""));
        }
        return scopes;
    }

    /** A token for a scope, for the test's own pushes. */
    String token(String scope) {
        try {
            return jwt(scope);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    Answer answer(HttpExchange exchange) {
        if (!basic.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
            return new Answer(401, Map.of("WWW-Authenticate", "Basic realm=\"token\""), new byte[0]);
        }
        String query = Optional.ofNullable(exchange.getRequestURI().getRawQuery()).orElse("");
        String scope = param(query, "scope").orElse("");
        String token = token(scope);
        return new Answer(200, Map.of("Content-Type", "application/json"),
                ("{\"token\":\"" + token + "\",\"expires_in\":300,\"issued_at\":\"" + Instant.now() + "\"}").getBytes(StandardCharsets.UTF_8));
    }

    private String jwt(String scope) throws GeneralSecurityException {
        long now = Instant.now().getEpochSecond();
        String access = "";
        if (!scope.isEmpty()) {
            String[] parts = scope.split(":");
            String name = String.join(":", java.util.Arrays.copyOfRange(parts, 1, parts.length - 1));
            String actions = String.join(",", java.util.Arrays.stream(parts[parts.length - 1].split(",")).map(a -> "\"" + a + "\"").toList());
            access = "{\"type\":\"" + parts[0] + "\",\"name\":\"" + name + "\",\"actions\":[" + actions + "]}";
        }
        String header = "{\"typ\":\"JWT\",\"alg\":\"RS256\",\"x5c\":[\"" + x5c + "\"]}";
        String claims = "{\"iss\":\"" + ISSUER + "\",\"sub\":\"scanner\",\"aud\":\"" + SERVICE + "\",\"exp\":" + (now + 300)
                + ",\"nbf\":" + (now - 60) + ",\"iat\":" + (now - 60) + ",\"jti\":\"" + UUID.randomUUID() + "\",\"access\":[" + access + "]}";
        String signingInput = base64Url(header) + "." + base64Url(claims);
        Signature rsa = Signature.getInstance("SHA256withRSA");
        rsa.initSign(key);
        rsa.update(signingInput.getBytes(StandardCharsets.US_ASCII));
        return signingInput + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(rsa.sign());
    }

    private static String base64Url(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    private static Optional<String> param(String query, String name) {
        for (String pair : query.split("&")) {
            if (pair.startsWith(name + "=")) {
                return Optional.of(URLDecoder.decode(pair.substring(name.length() + 1), StandardCharsets.UTF_8));
            }
        }
        return Optional.empty();
    }
}
