package io.driftguard.scan.store;

/** A tag in one repository of one registry (host[:port]): the unit whose digest history is kept. */
public record TagKey(String registry, String repository, String tag) {
    @Override
    public String toString() {
        return registry + "/" + repository + ":" + tag;
    }
}
