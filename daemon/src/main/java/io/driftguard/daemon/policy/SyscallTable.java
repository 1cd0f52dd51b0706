package io.driftguard.daemon.policy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalInt;

/**
 * Syscall names and numbers of this machine's architecture, from the {@code syscalls.txt} that the
 * BPF build extracts from {@code <sys/syscall.h>}.
 */
public final class SyscallTable {
    private static final String RESOURCE = "/io/driftguard/daemon/bpf/syscalls.txt";

    private final Map<String, Integer> numbers;
    private final Map<Integer, String> names = new HashMap<>();

    private SyscallTable(Map<String, Integer> numbers) {
        this.numbers = Map.copyOf(numbers);
        numbers.forEach((name, nr) -> names.putIfAbsent(nr, name));
    }

    public static SyscallTable load() {
        try (InputStream in = SyscallTable.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " missing from the class path (built by src/main/bpf/build.sh)");
            }
            Map<String, Integer> numbers = new HashMap<>();
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII));
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                String[] parts = line.split(" ");
                numbers.put(parts[0], Integer.parseInt(parts[1]));
            }
            return new SyscallTable(numbers);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public OptionalInt number(String name) {
        Integer nr = numbers.get(name);
        return nr == null ? OptionalInt.empty() : OptionalInt.of(nr);
    }

    public String name(int number) {
        return names.getOrDefault(number, "syscall " + number);
    }
}
