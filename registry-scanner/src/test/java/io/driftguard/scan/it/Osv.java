package io.driftguard.scan.it;

/** OSV advisories written by tests, in the schema's form (ossf.github.io/osv-schema). */
final class Osv {
    private Osv() {
    }

    static String advisory(String id, String cve, String ecosystem, String pkg, String introduced, String fixed, String cvss) {
        return """
                {"schema_version": "1.6.0", "id": "%s", "aliases": ["%s"], "modified": "2026-11-30T10:00:00Z",
                 "published": "2026-11-29T10:00:00Z", "summary": "%s: test advisory",
                 "severity": [{"type": "CVSS_V3", "score": "%s"}],
                 "affected": [{"package": {"ecosystem": "%s", "name": "%s"},
                   "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "%s"}, {"fixed": "%s"}]}]}]}
                """.formatted(id, cve, pkg, cvss, ecosystem, pkg, introduced, fixed);
    }
}
