package io.driftguard.daemon.admission;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Docker API request URI as Docker's router sees it: percent-decoded, repeated slashes and dot
 * segments resolved, the {@code /vX.Y} prefix taken off as the API version. Matching on this
 * form means "/v1.41//containers/./create" is judged as the create it is.
 */
record RequestPath(Optional<ApiVersion> version, List<String> segments, Map<String, String> query) {
    private static final Pattern VERSION = Pattern.compile("v(\\d{1,4})\\.(\\d{1,4})");

    /** {@code major.minor} of the API a request asks for. */
    record ApiVersion(int major, int minor) {
        boolean olderThan(int wantMajor, int wantMinor) {
            return major < wantMajor || (major == wantMajor && minor < wantMinor);
        }

        @Override
        public String toString() {
            return major + "." + minor;
        }
    }

    RequestPath {
        segments = List.copyOf(segments);
        query = Map.copyOf(query);
    }

    static RequestPath parse(String uri) {
        if (uri == null || !uri.startsWith("/")) {
            throw new Unjudgeable("the request URI is not an absolute path");
        }
        int mark = uri.indexOf('?');
        String rawPath = mark < 0 ? uri : uri.substring(0, mark);
        Deque<String> segments = new ArrayDeque<>();
        for (String raw : rawPath.split("/")) {
            String segment = decode(raw);
            if (segment.contains("/")) {
                // An encoded slash: Docker's router would see more segments than we do.
                throw new Unjudgeable("the request path has an encoded '/'");
            }
            if (segment.isEmpty() || segment.equals(".")) {
                continue;
            }
            if (segment.equals("..")) {
                segments.pollLast();
            } else {
                segments.addLast(segment);
            }
        }
        Optional<ApiVersion> version = Optional.empty();
        if (!segments.isEmpty()) {
            Matcher m = VERSION.matcher(segments.peekFirst());
            if (m.matches()) {
                version = Optional.of(new ApiVersion(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))));
                segments.pollFirst();
            }
        }
        return new RequestPath(version, List.copyOf(segments), query(mark < 0 ? "" : uri.substring(mark + 1)));
    }

    /** Query parameters as Go's url.Values.Get reads them: the first value of each name. */
    private static Map<String, String> query(String text) {
        Map<String, String> result = new HashMap<>();
        for (String pair : text.split("[&;]")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            result.putIfAbsent(name, eq < 0 ? "" : decodeQuery(pair.substring(eq + 1)));
        }
        return result;
    }

    private static String decode(String raw) {
        try {
            return URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new Unjudgeable("the request URI has a malformed %-escape");
        }
    }

    private static String decodeQuery(String raw) {
        try {
            return URLDecoder.decode(raw, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new Unjudgeable("the request URI has a malformed %-escape");
        }
    }

    /** Whether the path is {@code pattern}, where "*" stands for any one segment. */
    boolean is(String... pattern) {
        if (pattern.length != segments.size()) {
            return false;
        }
        for (int i = 0; i < pattern.length; i++) {
            if (!pattern[i].equals("*") && !pattern[i].equals(segments.get(i))) {
                return false;
            }
        }
        return true;
    }

    String segment(int index) {
        return segments.get(index);
    }

    @Override
    public String toString() {
        return "/" + String.join("/", segments);
    }
}
