package io.driftguard.scan.store;

import io.driftguard.core.model.ImageRef;

/** A tag in one repository of one registry (host[:port]): the unit whose digest history is kept. */
public record TagKey(String registry, String repository, String tag) {
    public static TagKey of(ImageRef ref) {
        return new TagKey(ref.registry(), ref.repository(), ref.tag());
    }

    @Override
    public String toString() {
        return registry + "/" + repository + ":" + tag;
    }
}
