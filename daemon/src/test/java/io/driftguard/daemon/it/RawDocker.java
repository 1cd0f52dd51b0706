package io.driftguard.daemon.it;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** Hand-made requests to an engine's socket, for the requests the docker CLI would never send. */
final class RawDocker {
    /** Status line and body of an answer. */
    record Answer(int status, String text) {
    }

    private RawDocker() {
    }

    static Answer send(String host, String method, String path, String contentType, byte[] body) throws IOException {
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(Path.of(host.replaceFirst("^unix://", ""))));
            StringBuilder head = new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: docker\r\nConnection: close\r\n");
            if (contentType != null) {
                head.append("Content-Type: ").append(contentType).append("\r\n");
            }
            if (body != null) {
                head.append("Content-Length: ").append(body.length).append("\r\n");
            }
            head.append("\r\n");
            channel.write(ByteBuffer.wrap(head.toString().getBytes(StandardCharsets.US_ASCII)));
            // Docker answers a refused request before reading a large body, then resets the
            // connection: the body is written meanwhile, and what was read before the reset counts.
            Thread writer = new Thread(() -> {
                try {
                    if (body != null) {
                        ByteBuffer buffer = ByteBuffer.wrap(body);
                        while (buffer.hasRemaining()) {
                            channel.write(buffer);
                        }
                    }
                } catch (IOException reset) {
                    // The answer is read below.
                }
            });
            writer.start();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            InputStream in = Channels.newInputStream(channel);
            byte[] chunk = new byte[8192];
            try {
                for (int n; (n = in.read(chunk)) > 0; ) {
                    answer.write(chunk, 0, n);
                }
            } catch (IOException reset) {
                if (answer.size() < 12) {
                    throw reset;
                }
            }
            String text = answer.toString(StandardCharsets.UTF_8);
            return new Answer(Integer.parseInt(text.substring(9, 12)), text);
        }
    }
}
