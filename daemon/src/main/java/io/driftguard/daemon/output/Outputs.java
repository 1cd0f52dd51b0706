package io.driftguard.daemon.output;

import io.driftguard.core.event.Event;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** The configured outputs, each an event sink on its own thread; none of them is on a decision path. */
public final class Outputs {
    private final List<OutputWorker> workers;

    private Outputs(List<OutputWorker> workers) {
        this.workers = List.copyOf(workers);
    }

    /** Starts every output; {@code report} publishes their drop events. Files and sockets open on first use. */
    public static Outputs start(List<OutputSettings> settings, Consumer<Event> report) {
        List<OutputWorker> workers = new ArrayList<>();
        for (OutputSettings output : settings) {
            workers.add(new OutputWorker(output.name(), output.queueSize(), delivery(output), report));
        }
        return new Outputs(workers);
    }

    private static Delivery delivery(OutputSettings output) {
        if (output instanceof OutputSettings.File file) {
            return new FileDelivery(file.path());
        }
        if (output instanceof OutputSettings.Syslog syslog) {
            return new SyslogDelivery(syslog.address(), new Rfc5424(syslog.facility(), syslog.json(), ProcessHandle.current().pid()));
        }
        return new WebhookDelivery((OutputSettings.Webhook) output);
    }

    /** The sinks to hand to the event dispatcher, which closes them. */
    public List<OutputWorker> sinks() {
        return workers;
    }

    /** SIGHUP: files are opened anew (after logrotate), connections made again. */
    public void reopen() {
        workers.forEach(OutputWorker::reopen);
    }
}
