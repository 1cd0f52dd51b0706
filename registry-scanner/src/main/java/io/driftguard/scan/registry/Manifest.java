package io.driftguard.scan.registry;

import java.util.List;

/** A parsed manifest: an image (config and layers) or an index of per-platform manifests. */
public sealed interface Manifest {
    String mediaType();

    record Image(String mediaType, Descriptor config, List<Descriptor> layers) implements Manifest {
        public Image {
            layers = List.copyOf(layers);
        }
    }

    record Index(String mediaType, List<PlatformManifest> manifests) implements Manifest {
        public Index {
            manifests = List.copyOf(manifests);
        }
    }

    /** One entry of an index; {@code platform} is os/architecture[/variant], unique within the index. */
    record PlatformManifest(String platform, Descriptor descriptor) {
    }
}
