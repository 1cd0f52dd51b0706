package io.driftguard.scan.registry;

import io.driftguard.scan.net.RegistryException;
import java.net.http.HttpResponse;
import java.util.List;

/** {@code GET /v2/}: is this a registry speaking the distribution API, and can we get in. */
public final class ApiVersionCheck {
    private ApiVersionCheck() {
    }

    public static void check(RegistryHttp http) throws RegistryException {
        int status = http.send("GET", http.resolve("/v2/"), "", List.of(), HttpResponse.BodyHandlers.discarding()).statusCode();
        if (status != 200) {
            throw new RegistryException(http.resolve("/v2/") + " answered " + status
                    + "; not a registry speaking the distribution API v2, or access refused", status, null);
        }
    }
}
