package io.driftguard.core.event;

import java.io.PrintStream;

/** Writes each event as one JSON line, for hosts without journald and for {@code --json} output. */
public final class JsonLinesSink implements EventSink {
    private final PrintStream out;

    public JsonLinesSink(PrintStream out) {
        this.out = out;
    }

    @Override
    public void accept(Event event) {
        out.println(EventJson.toJson(event));
        out.flush();
    }
}
