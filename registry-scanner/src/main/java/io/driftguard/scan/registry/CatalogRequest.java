package io.driftguard.scan.registry;

/** {@code GET /v2/_catalog?n=}: every repository of the registry, page by page. */
public final class CatalogRequest {
    private CatalogRequest() {
    }

    public static Listing list(RegistryHttp http, int pageSize, long maxPageBytes) {
        return PagedList.walk(http, http.resolve("/v2/_catalog?n=" + pageSize), Scopes.CATALOG, "repositories", maxPageBytes);
    }
}
