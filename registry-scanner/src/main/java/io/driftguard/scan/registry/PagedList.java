package io.driftguard.scan.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.driftguard.scan.net.RegistryException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Walks a paged list (catalog or tags): each page's array field is collected, and the walk goes on
 * to the {@code Link} header's next target until a page has none. A failing page ends the walk
 * but keeps what came before, so the names already listed are still scanned.
 */
final class PagedList {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** A registry that keeps sending Link headers is cut off here rather than walked forever. */
    private static final int MAX_PAGES = 100_000;

    private PagedList() {
    }

    static Listing walk(RegistryHttp http, URI first, String scope, String field, long maxPageBytes) {
        List<String> names = new ArrayList<>();
        Set<URI> visited = new HashSet<>();
        URI page = first;
        try {
            while (page != null) {
                if (!visited.add(page) || visited.size() > MAX_PAGES) {
                    throw new RegistryException("pagination of " + first + " loops back to " + page);
                }
                page = fetch(http, page, scope, field, maxPageBytes, names).orElse(null);
            }
            return new Listing(names, Optional.empty());
        } catch (RegistryException e) {
            return new Listing(names, Optional.of(e));
        }
    }

    private static Optional<URI> fetch(RegistryHttp http, URI page, String scope, String field, long maxBytes,
                                       List<String> names) throws RegistryException {
        HttpResponse<byte[]> response = http.send("GET", page, scope, List.of("application/json"), LimitedBody.handler(maxBytes));
        if (response.statusCode() != 200) {
            throw new RegistryException("GET " + page + " answered " + response.statusCode(), response.statusCode(), null);
        }
        byte[] body = LimitedBody.of(response, maxBytes);
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (IOException e) {
            throw new RegistryException("GET " + page + " sent invalid JSON: " + e.getMessage(), e);
        }
        JsonNode array = root == null ? null : root.get(field);
        // The tags list of an emptied repository is null rather than [].
        if (array != null && !array.isNull()) {
            if (!array.isArray()) {
                throw new RegistryException("GET " + page + ": '" + field + "' is not an array");
            }
            array.forEach(n -> names.add(n.asText()));
        }
        return LinkHeader.next(response.headers().allValues("Link"), page);
    }
}
