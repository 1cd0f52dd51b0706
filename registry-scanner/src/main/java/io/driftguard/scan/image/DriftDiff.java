package io.driftguard.scan.image;

import io.driftguard.scan.packages.InstalledPackage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What changed between an approved (or last seen) image digest and the one a tag points to now:
 * layers added and removed, packages added, removed, upgraded and downgraded (with versions, by the
 * package format's ordering), and vulnerabilities and secrets found in the new digest only.
 * Each is a detail of the drift finding, entries joined by "; ".
 */
public final class DriftDiff {
    private DriftDiff() {
    }

    public static Map<String, String> of(Sbom before, List<ImageFinding> beforeFindings, Sbom after, List<ImageFinding> afterFindings) {
        Map<String, String> d = new LinkedHashMap<>();
        put(d, "layers_added", after.layers().stream().filter(l -> !before.layers().contains(l)).toList());
        put(d, "layers_removed", before.layers().stream().filter(l -> !after.layers().contains(l)).toList());
        Map<String, InstalledPackage> old = byKey(before.packages());
        Map<String, InstalledPackage> now = byKey(after.packages());
        List<String> added = new ArrayList<>();
        List<String> removed = new ArrayList<>();
        List<String> upgraded = new ArrayList<>();
        List<String> downgraded = new ArrayList<>();
        now.forEach((key, p) -> {
            InstalledPackage was = old.get(key);
            if (was == null) {
                added.add(p.name() + " " + p.version());
            } else {
                int c = p.format().compare(p.version(), was.version());
                if (c > 0) {
                    upgraded.add(p.name() + " " + was.version() + " -> " + p.version());
                } else if (c < 0) {
                    downgraded.add(p.name() + " " + was.version() + " -> " + p.version());
                }
            }
        });
        old.forEach((key, p) -> {
            if (!now.containsKey(key)) {
                removed.add(p.name() + " " + p.version());
            }
        });
        put(d, "packages_added", added);
        put(d, "packages_removed", removed);
        put(d, "packages_upgraded", upgraded);
        put(d, "packages_downgraded", downgraded);
        put(d, "new_vulnerabilities", fresh(beforeFindings, afterFindings, ImageFinding.Category.VULNERABILITY));
        put(d, "new_secrets", fresh(beforeFindings, afterFindings, ImageFinding.Category.SECRET));
        return d;
    }

    /** Findings of a category in {@code after} whose id and place were not in {@code before}. */
    private static List<String> fresh(List<ImageFinding> before, List<ImageFinding> after, ImageFinding.Category category) {
        Set<String> seen = before.stream().filter(f -> f.category() == category).map(DriftDiff::identity).collect(Collectors.toSet());
        return after.stream().filter(f -> f.category() == category && !seen.contains(identity(f))).map(ImageFinding::title).toList();
    }

    private static String identity(ImageFinding f) {
        return f.id() + " " + f.details().getOrDefault("package", "") + " " + f.details().getOrDefault("installed_version", "")
                + " " + f.details().getOrDefault("path", "") + " " + f.details().getOrDefault("layer", "");
    }

    private static Map<String, InstalledPackage> byKey(List<InstalledPackage> packages) {
        Map<String, InstalledPackage> m = new LinkedHashMap<>();
        packages.forEach(p -> m.put(p.key(), p));
        return m;
    }

    private static void put(Map<String, String> d, String key, List<String> values) {
        if (!values.isEmpty()) {
            d.put(key, String.join("; ", values));
        }
    }
}
