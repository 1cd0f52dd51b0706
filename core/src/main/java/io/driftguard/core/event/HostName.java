package io.driftguard.core.event;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;

/** The host name put in every event, read once. */
final class HostName {
    private static final String NAME = read();

    private HostName() {
    }

    static String get() {
        return NAME;
    }

    private static String read() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/hostname")).trim();
        } catch (IOException e) {
            try {
                return InetAddress.getLocalHost().getHostName();
            } catch (IOException unknown) {
                return "localhost";
            }
        }
    }
}
