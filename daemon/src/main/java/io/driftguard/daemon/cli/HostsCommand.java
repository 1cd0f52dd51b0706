package io.driftguard.daemon.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.driftguard.core.config.Durations;
import io.driftguard.core.text.Printable;
import io.driftguard.daemon.fleet.Hosts;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code driftguard hosts}: the hosts that share the store, as their heartbeats last described them. */
@Command(name = "hosts", mixinStandardHelpOptions = true,
        description = {"List the hosts whose daemons share the store ([store] url): version, when last seen (a daemon"
                + " reports every 10 s), running and attached containers, the policies it runs (local, or the central"
                + " revision) and the events it still has queued.", "Exit code 2: no shared store configured."})
final class HostsCommand extends ConfiguredCommand {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Option(names = "--json", description = "One JSON object per host.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        return withSharedStore("hosts", (settings, central) -> {
            Instant now = Instant.now();
            if (!json) {
                System.out.println(String.format("%-24s %-10s %-22s %-10s %-8s %-12s %s", "HOST", "VERSION", "LAST SEEN",
                        "ATTACHED", "RUNNING", "POLICIES", "QUEUED"));
            }
            for (Hosts.Host host : new Hosts(central.database()).all()) {
                System.out.println(json ? json(host) : Printable.escape(
                        String.format("%-24s %-10s %-22s %-10d %-8d %-12s %d", host.hostId(), host.version(),
                                Durations.format(Duration.between(host.lastSeen(), now).truncatedTo(ChronoUnit.SECONDS)) + " ago",
                                host.attached(), host.running(), host.policyRevision() == null ? host.policySource()
                                        : "central r" + host.policyRevision(), host.queuedEvents())));
            }
            return 0;
        });
    }

    private static String json(Hosts.Host host) {
        ObjectNode node = JSON.createObjectNode();
        node.put("host_id", host.hostId());
        node.put("version", host.version());
        node.put("started", host.started().toString());
        node.put("last_seen", host.lastSeen().toString());
        node.put("running_containers", host.running());
        node.put("attached_containers", host.attached());
        node.put("policy_source", host.policySource());
        if (host.policyRevision() == null) {
            node.putNull("policy_revision");
        } else {
            node.put("policy_revision", host.policyRevision());
        }
        node.put("queued_events", host.queuedEvents());
        return node.toString();
    }
}
