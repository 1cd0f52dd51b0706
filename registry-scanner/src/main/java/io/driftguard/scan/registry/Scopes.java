package io.driftguard.scan.registry;

/** Token scopes of the distribution token spec for the requests the scanner makes. */
public final class Scopes {
    public static final String CATALOG = "registry:catalog:*";

    private Scopes() {
    }

    public static String pull(String repository) {
        return "repository:" + repository + ":pull";
    }
}
