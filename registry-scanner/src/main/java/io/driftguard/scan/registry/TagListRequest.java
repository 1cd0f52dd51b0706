package io.driftguard.scan.registry;

/** {@code GET /v2/NAME/tags/list?n=}: every tag of a repository, page by page. */
public final class TagListRequest {
    private TagListRequest() {
    }

    /** {@code repository} must be a validated name; it becomes part of the path as it is. */
    public static Listing list(RegistryHttp http, String repository, int pageSize, long maxPageBytes) {
        return PagedList.walk(http, http.resolve("/v2/" + repository + "/tags/list?n=" + pageSize),
                Scopes.pull(repository), "tags", maxPageBytes);
    }
}
