package io.driftguard.scan.run;

import java.time.Duration;
import java.util.List;

/** What a run did and found, printed at its end and given as {@code summary} in the JSON report. */
public record RunSummary(List<RegistryCounts> registries, int drift, int tamper, int errors, int failingImageFindings,
                         List<String> warnings, Duration took) {

    /** Per registry: whether it could be scanned at all, and how much was done. */
    public record RegistryCounts(String registry, boolean reached, int repositories, int tags, int skippedTags,
                                 long blobsHashed, long bytesHashed, long blobsVerifiedBefore) {
        static RegistryCounts failed(String registry) {
            return new RegistryCounts(registry, false, 0, 0, 0, 0, 0, 0);
        }
    }

    public RunSummary {
        registries = List.copyOf(registries);
        warnings = List.copyOf(warnings);
    }

    public int tags() {
        return registries.stream().mapToInt(RegistryCounts::tags).sum();
    }

    /**
     * 1 when anything drifted or was tampered with, or an image finding is at or above fail_on; 2
     * when nothing was found but part of the scan failed; else 0.
     */
    public int exitCode() {
        if (drift > 0 || tamper > 0 || failingImageFindings > 0) {
            return 1;
        }
        return errors > 0 ? 2 : 0;
    }

    public String text() {
        StringBuilder out = new StringBuilder();
        for (RegistryCounts r : registries) {
            out.append(r.registry()).append(": ");
            if (!r.reached()) {
                out.append("not reached\n");
                continue;
            }
            out.append(r.repositories()).append(" repositories, ").append(r.tags()).append(" tags scanned, ")
                    .append(r.skippedTags()).append(" skipped (signatures, attestations or filtered), ")
                    .append(r.blobsHashed()).append(" blobs re-hashed (").append(mib(r.bytesHashed())).append("), ")
                    .append(r.blobsVerifiedBefore()).append(" verified before\n");
        }
        warnings.forEach(w -> out.append("WARNING: ").append(w).append('\n'));
        out.append(String.format("scan finished in %.1f s: %d drift, %d tamper, %d errors, %d image findings at or above fail_on",
                took.toMillis() / 1000.0, drift, tamper, errors, failingImageFindings));
        return out.toString();
    }

    private static String mib(long bytes) {
        return String.format("%.1f MiB", bytes / 1048576.0);
    }
}
