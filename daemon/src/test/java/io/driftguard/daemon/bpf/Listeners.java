package io.driftguard.daemon.bpf;

import java.io.Closeable;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** TCP and UDP listeners on loopback addresses, accepting until closed. Loopback only, by design. */
final class Listeners implements AutoCloseable {
    private final List<Closeable> open = new ArrayList<>();

    /** A TCP listener on addr (port 0 = any free port); returns the port. */
    int tcp(String addr, int port) throws IOException {
        ServerSocket server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getByName(addr), port), 1024);
        open.add(server);
        Thread t = new Thread(() -> {
            while (!server.isClosed()) {
                try (Socket s = server.accept()) {
                    s.getOutputStream().write('x');
                } catch (IOException closed) {
                    // closed at the end of the test, or the client went away
                }
            }
        }, "listener-" + addr + ":" + server.getLocalPort());
        t.setDaemon(true);
        t.start();
        return server.getLocalPort();
    }

    /**
     * A TCP listener in C (dgtool listen, backlog 1024) for connect loops faster than a Java
     * accept loop, whose full backlog would drop SYNs and stall the client for seconds.
     */
    int fastTcp(Path dgtool, String addr) throws IOException {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getByName(addr))) {
            port = probe.getLocalPort();
        }
        Process listener = new ProcessBuilder(dgtool.toString(), "listen", addr, Integer.toString(port))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        open.add(listener::destroy);
        long deadline = System.currentTimeMillis() + 5000;
        while (!hostConnects(addr, port)) {
            if (System.currentTimeMillis() > deadline || !listener.isAlive()) {
                throw new IOException("dgtool listen " + addr + " " + port + " did not start");
            }
        }
        return port;
    }

    /** A UDP socket on addr; {@link #received} tells whether a datagram came. */
    DatagramSocket udp(String addr) throws IOException {
        DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getByName(addr), 0));
        open.add(socket);
        return socket;
    }

    static boolean received(DatagramSocket socket, int timeoutMs) throws IOException {
        socket.setSoTimeout(timeoutMs);
        try {
            socket.receive(new DatagramPacket(new byte[16], 16));
            return true;
        } catch (SocketTimeoutException none) {
            return false;
        }
    }

    /** Connects from the host (the test JVM, outside every container). */
    static boolean hostConnects(String addr, int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getByName(addr), port), 2000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void close() throws IOException {
        for (Closeable c : open) {
            c.close();
        }
    }
}
