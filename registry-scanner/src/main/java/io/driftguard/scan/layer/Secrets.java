package io.driftguard.scan.layer;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds private keys, cloud access keys and tokens in text. Each rule is a named pattern; a match
 * is reported redacted (its first characters only), so that the report does not spread the secret.
 */
public final class Secrets {
    /** A pattern, tried only on text holding one of its literal anchors (most files hold none). */
    private record Rule(String name, Pattern pattern, List<String> anchors) {
        boolean mayMatch(String text) {
            for (String anchor : anchors) {
                if (text.contains(anchor)) {
                    return true;
                }
            }
            return false;
        }
    }

    private static final List<Rule> RULES = List.of(
            // A PEM header alone also appears in libraries that parse keys; a key has a body.
            new Rule("private-key", Pattern.compile(
                    "-----BEGIN ((?:RSA|EC|DSA|OPENSSH|ENCRYPTED) )?PRIVATE KEY-----\\r?\\n[A-Za-z0-9+/=\\r\\n]{64}"),
                    List.of("PRIVATE KEY-----")),
            new Rule("aws-access-key-id", Pattern.compile("\\b(?:AKIA|ASIA)[0-9A-Z]{16}\\b"), List.of("AKIA", "ASIA")),
            new Rule("github-token", Pattern.compile("\\bgh[pousr]_[A-Za-z0-9]{36,255}\\b"),
                    List.of("ghp_", "gho_", "ghu_", "ghs_", "ghr_")),
            new Rule("slack-token", Pattern.compile("\\bxox[abprs]-[A-Za-z0-9-]{10,100}"), List.of("xox")),
            new Rule("google-api-key", Pattern.compile("\\bAIza[0-9A-Za-z_-]{35}\\b"), List.of("AIza")));
    /** {@code NAME=value} of an environment variable whose name says it holds a secret. */
    private static final Pattern SECRET_ENV = Pattern.compile(
            "(?i)^([A-Z0-9_]*(?:PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|ACCESS_?KEY|PRIVATE_?KEY)[A-Z0-9_]*)=(.+)$");

    private Secrets() {
    }

    /** Secrets in some text; {@code where} names its place. */
    public static List<SecretHit> find(String where, String text) {
        List<SecretHit> hits = new ArrayList<>();
        for (Rule rule : RULES) {
            if (!rule.mayMatch(text)) {
                continue;
            }
            Matcher m = rule.pattern().matcher(text);
            while (m.find() && hits.size() < 100) {
                hits.add(new SecretHit(rule.name(), where, redact(m.group())));
            }
        }
        return hits;
    }

    /** Secrets in an image config's {@code Env} entry: the rules above, and names that say "secret". */
    public static List<SecretHit> inEnv(String entry) {
        List<SecretHit> hits = find("config Env", entry);
        Matcher m = SECRET_ENV.matcher(entry);
        if (hits.isEmpty() && m.matches() && !m.group(2).isBlank()) {
            hits.add(new SecretHit("secret-env", "config Env", m.group(1) + "=" + redact(m.group(2))));
        }
        return hits;
    }

    private static String redact(String secret) {
        String firstLine = secret.lines().findFirst().orElse("");
        int keep = firstLine.startsWith("-----") ? firstLine.length() : Math.min(4, firstLine.length());
        return firstLine.substring(0, keep) + (keep < secret.length() ? "..." : "");
    }
}
