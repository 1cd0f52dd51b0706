package io.driftguard.scan.registry;

import io.driftguard.scan.net.RegistryException;
import java.util.List;
import java.util.Optional;

/** Names collected from a paged list, and the error that ended the walk early, if any. */
public record Listing(List<String> names, Optional<RegistryException> error) {
    public Listing {
        names = List.copyOf(names);
    }
}
