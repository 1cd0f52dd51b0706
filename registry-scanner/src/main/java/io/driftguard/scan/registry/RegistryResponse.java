package io.driftguard.scan.registry;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.net.http.HttpResponse;

/**
 * An answer whose body is still to be read. Closing it closes the body and frees the request's
 * place in the registry's concurrency bound, so a blob being streamed counts as a request.
 */
public final class RegistryResponse implements AutoCloseable {
    private final HttpResponse<InputStream> response;
    private final Runnable release;
    private boolean closed;

    RegistryResponse(HttpResponse<InputStream> response, Runnable release) {
        this.response = response;
        this.release = release;
    }

    public int status() {
        return response.statusCode();
    }

    public HttpHeaders headers() {
        return response.headers();
    }

    public URI uri() {
        return response.uri();
    }

    public InputStream body() {
        return response.body();
    }

    /** Reads at most {@code limit} bytes; more is an error naming the URL. */
    public byte[] readBody(long limit) throws RegistryException {
        long declared = headers().firstValueAsLong("Content-Length").orElse(-1);
        if (declared > limit) {
            throw new RegistryException(uri() + " sent " + declared + " bytes, more than the limit of " + limit);
        }
        try {
            byte[] bytes = body().readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limit + 1));
            if (bytes.length > limit) {
                throw new RegistryException(uri() + " sent more than the limit of " + limit + " bytes");
            }
            return bytes;
        } catch (IOException e) {
            throw new RegistryException("reading " + uri() + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            response.body().close();
        } catch (IOException e) {
            // The connection is dropped either way; nothing more to free.
        } finally {
            release.run();
        }
    }
}
