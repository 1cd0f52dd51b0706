package io.driftguard.scan.image;

import io.driftguard.scan.packages.InstalledPackage;
import io.driftguard.scan.packages.OsRelease;
import java.util.List;

/** The package list of one image digest, with its OS and its layers (bottom first), as kept in the store. */
public record Sbom(OsRelease os, List<String> layers, List<InstalledPackage> packages) {
    public Sbom {
        layers = List.copyOf(layers);
        packages = List.copyOf(packages);
    }
}
