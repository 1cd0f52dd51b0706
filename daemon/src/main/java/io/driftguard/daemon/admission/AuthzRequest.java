package io.driftguard.daemon.admission;

import java.util.Map;

/**
 * What Docker puts to the plugin about one API request (AuthZPlugin.AuthZReq, and again with the
 * response in AuthZPlugin.AuthZRes). {@code body} is null when Docker sent none; Docker sends
 * none for bodies of 1 MiB or more, chunked bodies, or a Content-Type other than application/json.
 */
public record AuthzRequest(String user, String method, String uri, Map<String, String> headers, byte[] body,
                           int responseStatus, byte[] responseBody) {
    public AuthzRequest {
        headers = headers == null ? Map.of() : Map.copyOf(headers);
    }
}
