package io.driftguard.daemon.authz;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * One HTTP/1.1 request as Docker's plugin client sends it: a request line, headers, and a body of
 * exactly Content-Length bytes. Strict and bounded: header block at most 16 KiB, body at most
 * {@code maxBody}; chunked bodies, header folding and anything else unusual are refused.
 * (Jetty, the library we would rather use, refuses the empty Host header Go sends on a unix
 * socket, which RFC 9112 section 3.2 allows.)
 */
record HttpMessage(String method, String path, byte[] body) {
    private static final int MAX_HEADER = 16 << 10;
    private static final Pattern REQUEST_LINE = Pattern.compile("([A-Z]{1,16}) (/[!-~]{0,2048}) HTTP/1\\.[01]");
    private static final Pattern FIELD = Pattern.compile("([!#$%&'*+.^_`|~0-9A-Za-z-]{1,64}):[ \\t]*([ -~\\t]*?)[ \\t]*");

    /** Thrown for a request that is not one Docker would send; {@code status} is the answer. */
    static final class BadRequest extends IOException {
        final int status;

        BadRequest(int status, String message) {
            super(message);
            this.status = status;
        }
    }

    /** The next request, or null when the client closed the connection before sending one. */
    static HttpMessage read(InputStream in, int maxBody) throws IOException {
        String head = head(in);
        if (head == null) {
            return null;
        }
        String[] lines = head.split("\r\n", -1);
        var requestLine = REQUEST_LINE.matcher(lines[0]);
        if (!requestLine.matches()) {
            throw new BadRequest(400, "malformed request line");
        }
        long length = -1;
        for (int i = 1; i < lines.length; i++) {
            var field = FIELD.matcher(lines[i]);
            if (!field.matches()) {
                throw new BadRequest(400, "malformed header line " + i);
            }
            String name = field.group(1).toLowerCase(Locale.ROOT);
            if (name.equals("transfer-encoding")) {
                throw new BadRequest(411, "chunked bodies are not accepted; send Content-Length");
            }
            if (name.equals("content-length")) {
                if (length >= 0 || !field.group(2).matches("[0-9]{1,10}")) {
                    throw new BadRequest(400, "bad or repeated Content-Length");
                }
                length = Long.parseLong(field.group(2));
            }
        }
        if (length > maxBody) {
            throw new BadRequest(413, "body larger than " + maxBody + " bytes");
        }
        byte[] body = in.readNBytes((int) Math.max(length, 0));
        if (body.length < length) {
            throw new BadRequest(400, "body shorter than its Content-Length");
        }
        String target = requestLine.group(2);
        int query = target.indexOf('?');
        return new HttpMessage(requestLine.group(1), query < 0 ? target : target.substring(0, query), body);
    }

    /** The header block without its final CRLFCRLF, as ASCII. */
    private static String head(InputStream in) throws IOException {
        byte[] buffer = new byte[MAX_HEADER];
        int length = 0;
        while (true) {
            int b = in.read();
            if (b < 0) {
                if (length == 0) {
                    return null;
                }
                throw new BadRequest(400, "connection closed inside the header");
            }
            if (length == MAX_HEADER) {
                throw new BadRequest(431, "header larger than " + MAX_HEADER + " bytes");
            }
            buffer[length++] = (byte) b;
            if (length >= 4 && buffer[length - 4] == '\r' && buffer[length - 3] == '\n'
                    && buffer[length - 2] == '\r' && buffer[length - 1] == '\n') {
                return new String(buffer, 0, length - 4, StandardCharsets.US_ASCII);
            }
        }
    }

    /** A complete response; the connection is closed after it, so no idle connection holds a thread. */
    static byte[] response(int status, byte[] body) {
        String reason = switch (status) {
            case 200 -> "OK";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 411 -> "Length Required";
            case 413 -> "Content Too Large";
            case 431 -> "Request Header Fields Too Large";
            default -> "Bad Request";
        };
        byte[] head = ("HTTP/1.1 " + status + " " + reason + "\r\nContent-Type: application/vnd.docker.plugins.v1.2+json\r\n"
                + "Content-Length: " + body.length + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] all = new byte[head.length + body.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(body, 0, all, head.length, body.length);
        return all;
    }
}
