package io.driftguard.scan.layer;

import io.driftguard.scan.packages.InstalledPackage;
import java.util.List;
import java.util.Map;

/**
 * What one layer holds that a scan needs, kept per layer digest so that a layer is read once:
 * parsed package databases and small text files by path, symlinks at those paths, what the layer
 * deletes (whiteouts, opaque folders), setuid/setgid files, secrets, and problems met reading it.
 */
public record LayerContent(Map<String, List<InstalledPackage>> packageDatabases, Map<String, String> texts,
                           Map<String, String> links, List<String> whiteouts, List<String> opaqueDirectories,
                           List<String> setuidFiles, List<SecretHit> secrets, List<String> problems,
                           long entries, long bytes) {
    public LayerContent {
        packageDatabases = Map.copyOf(packageDatabases);
        texts = Map.copyOf(texts);
        links = Map.copyOf(links);
        whiteouts = List.copyOf(whiteouts);
        opaqueDirectories = List.copyOf(opaqueDirectories);
        setuidFiles = List.copyOf(setuidFiles);
        secrets = List.copyOf(secrets);
        problems = List.copyOf(problems);
    }
}
