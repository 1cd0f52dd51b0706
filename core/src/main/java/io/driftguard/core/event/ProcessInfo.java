package io.driftguard.core.event;

import java.util.List;

/** The process an event is about, as far as it is known: args and uid may be absent. */
public record ProcessInfo(int pid, String path, List<String> args, Integer uid) {
    public ProcessInfo {
        args = args == null ? null : List.copyOf(args);
    }
}
