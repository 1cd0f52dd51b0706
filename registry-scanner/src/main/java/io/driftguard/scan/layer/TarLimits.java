package io.driftguard.scan.layer;

/**
 * Bounds on reading one layer, so that a hostile tar ends with a finding: the bytes it may
 * decompress to (tar bomb), its entries, the size of one extended header (PAX, GNU long name) and
 * of a file read into memory (package databases, os-release, passwd), and the files searched for secrets.
 */
public record TarLimits(long maxLayerBytes, long maxEntries, int maxHeaderBytes, int maxFileBytes, int maxSecretScanBytes) {
    public static final TarLimits DEFAULT = new TarLimits(16L << 30, 2_000_000, 1 << 20, 128 << 20, 1 << 20);
}
