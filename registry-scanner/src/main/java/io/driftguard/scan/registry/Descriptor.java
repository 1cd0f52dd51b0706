package io.driftguard.scan.registry;

import io.driftguard.core.model.Digest;

/** Content named by digest and size, as manifests refer to configs, layers and child manifests. */
public record Descriptor(String mediaType, Digest digest, long size) {
}
