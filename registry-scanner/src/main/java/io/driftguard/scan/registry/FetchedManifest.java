package io.driftguard.scan.registry;

import io.driftguard.core.model.Digest;
import java.util.Optional;

/**
 * Manifest bytes as received, the digest computed over exactly those bytes, and the digest the
 * registry claimed in {@code Docker-Content-Digest}.
 */
public record FetchedManifest(byte[] bytes, String contentType, Digest computed, Optional<Digest> claimed) {
}
