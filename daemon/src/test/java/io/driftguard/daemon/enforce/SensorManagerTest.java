package io.driftguard.daemon.enforce;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftguard.core.event.Event;
import io.driftguard.core.event.EventDispatcher;
import io.driftguard.core.event.Severity;
import io.driftguard.core.model.ContainerId;
import io.driftguard.core.model.Digest;
import io.driftguard.daemon.bpf.BpfProbe;
import io.driftguard.daemon.bpf.CgroupEnforcer;
import io.driftguard.daemon.bpf.ContainerHandle;
import io.driftguard.daemon.bpf.ContainerRules;
import io.driftguard.daemon.bpf.KernelAction;
import io.driftguard.daemon.bpf.Mechanism;
import io.driftguard.daemon.bpf.RuleMechanism;
import io.driftguard.daemon.docker.ContainerInfo;
import io.driftguard.daemon.docker.KnownContainer;
import io.driftguard.daemon.policy.PolicyLoader;
import io.driftguard.daemon.policy.PolicySet;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Which containers have a sensor, and what happens to their eBPF handle on start, stop, resync,
 * rename, reload and isolation. The policies have network rules only, which need no fanotify
 * group; the eBPF enforcer is stood in for, as there is no container cgroup to attach to here.
 */
class SensorManagerTest {
    private static final String BLOCK_METADATA = """
            [[policy]]
            name = "Net"
            match.labels = { app = "web" }
            [[policy.network]]
            action = "block"
            cidrs = ["%s"]
            """;

    private final Cgroups cgroups = new Cgroups();
    private final List<Event> published = new CopyOnWriteArrayList<>();
    private final EventDispatcher events = new EventDispatcher(List.of(published::add), 1000);
    private SensorManager manager;

    @AfterEach
    void tearDown() throws Exception {
        if (manager != null) {
            manager.close();
        }
        events.close();
    }

    @Test
    void aResyncAttachesExactlyTheSelectedRunningContainers() throws Exception {
        manager = manager(policies(BLOCK_METADATA.formatted("169.254.169.254/32")));
        ContainerInfo web1 = container("web-1", "web");
        ContainerInfo web2 = container("web-2", "web");
        ContainerInfo db = container("db", "db");
        manager.resynced(List.of(web1, web2, db));
        assertThat(manager.runningCount()).isEqualTo(3);
        assertThat(manager.attachedCount()).isEqualTo(2);
        assertThat(cgroups.attached).extracting(h -> h.container.name()).containsExactly("web-1", "web-2");

        manager.resynced(List.of(web2, db));
        assertThat(manager.isAttached(web1.id())).isFalse();
        assertThat(cgroups.handleOf("web-1").closed).isTrue();
        assertThat(cgroups.handleOf("web-2").closed).isFalse();
        assertThat(manager.runningCount()).isEqualTo(2);

        manager.resynced(List.of(web2, db));
        assertThat(cgroups.attached).as("a resync that changes nothing attaches nothing").hasSize(2);
    }

    @Test
    void aReloadHandsTheEbpfHandleOverAndReplacesItsRulesInPlace() throws Exception {
        manager = manager(policies(BLOCK_METADATA.formatted("169.254.169.254/32")));
        ContainerInfo web = container("web-1", "web");
        manager.started(web);
        assertThat(manager.isolate("web-1", "by hand")).isEqualTo("isolated web-1");
        Handle handle = cgroups.handleOf("web-1");

        manager.reload(policies(BLOCK_METADATA.formatted("10.0.0.0/8")));
        assertThat(cgroups.attached).as("no second attach: the cgroup keeps its one handle").containsExactly(handle);
        assertThat(handle.closed).isFalse();
        assertThat(handle.rules.network().get(0).cidrs().toString()).contains("10.0.0.0/8");
        assertThat(handle.isolated).as("isolation survives a reload").isTrue();
        assertThat(manager.status().get(0).isolated()).isTrue();
    }

    @Test
    void aReloadThatCannotAttachKeepsThePreviousEnforcementAndItsRules() throws Exception {
        manager = manager(policies(BLOCK_METADATA.formatted("169.254.169.254/32")));
        manager.started(container("web-1", "web"));
        Handle handle = cgroups.handleOf("web-1");
        ContainerRules before = handle.rules;

        // File rules need the baseline services, which this manager does not have: the new sensor fails.
        manager.reload(policies(BLOCK_METADATA.formatted("10.0.0.0/8") + """
                [[policy.file]]
                action = "alert"
                paths = ["/etc"]
                """));
        assertThat(handle.closed).isFalse();
        assertThat(handle.rules).as("the kernel enforces the previous rules again").isEqualTo(before);
        assertThat(manager.isAttached(container("web-1", "web").id())).isTrue();
        awaitEvent(e -> e.severity() == Severity.CRITICAL && e.message().contains("keeping the previous enforcement"));
    }

    @Test
    void aReloadThatNoLongerSelectsAContainerDetachesIt() throws Exception {
        manager = manager(policies(BLOCK_METADATA.formatted("169.254.169.254/32")));
        manager.started(container("web-1", "web"));
        manager.reload(policies(BLOCK_METADATA.formatted("169.254.169.254/32").replace("app = \"web\"", "app = \"other\"")));
        assertThat(manager.attachedCount()).isZero();
        assertThat(cgroups.handleOf("web-1").closed).isTrue();
    }

    @Test
    void aContainerNoPolicySelectsCanBeIsolatedAndReleased() throws Exception {
        manager = manager(policies(BLOCK_METADATA.formatted("169.254.169.254/32")));
        ContainerInfo db = container("db", "db");
        manager.started(db);
        assertThat(manager.isolate("db", "incident")).isEqualTo("isolated db");
        Handle handle = cgroups.handleOf("db");
        assertThat(handle.rules).isEqualTo(ContainerRules.none());
        assertThat(handle.isolated).isTrue();
        assertThat(manager.status()).singleElement().satisfies(s -> assertThat(s.isolated()).isTrue());

        assertThat(manager.release(db.id().shortForm().substring(0, 8), "over")).isEqualTo("released db");
        assertThat(handle.closed).isTrue();
        assertThat(manager.status()).isEmpty();
        assertThat(manager.release("db", "again")).isEqualTo("error: container db is not isolated");
        assertThat(manager.isolate("nothing-runs-so", "x")).isEqualTo("error: no running container nothing-runs-so");
    }

    @Test
    void isolationByHandIsKeptWhenAPolicyComesToSelectTheContainer() throws Exception {
        manager = manager(policies(BLOCK_METADATA.formatted("169.254.169.254/32")));
        manager.started(container("db", "db"));
        manager.isolate("db", "incident");
        Handle byHand = cgroups.handleOf("db");

        manager.reload(policies(BLOCK_METADATA.formatted("169.254.169.254/32").replace("app = \"web\"", "app = \"db\"")));
        assertThat(byHand.closed).isTrue();
        Handle sensor = cgroups.attached.get(1);
        assertThat(sensor.isolated).isTrue();
        assertThat(sensor.isolations).containsExactly("isolation kept now that a policy selects the container");
        assertThat(manager.status()).singleElement().satisfies(s -> {
            assertThat(s.isolated()).isTrue();
            assertThat(s.policies()).containsExactly("Net");
        });
    }

    @Test
    void stoppingAContainerReleasesItsHandles() throws Exception {
        manager = manager(policies(BLOCK_METADATA.formatted("169.254.169.254/32")));
        ContainerInfo web = container("web-1", "web");
        ContainerInfo db = container("db", "db");
        manager.resynced(List.of(web, db));
        manager.isolate("db", "incident");
        manager.stopped(web.id());
        manager.stopped(db.id());
        assertThat(cgroups.attached).allMatch(h -> h.closed);
        assertThat(manager.runningCount()).isZero();
        assertThat(manager.status()).isEmpty();
    }

    @Test
    void aRenameIsJudgedAgainstNameSelectors() throws Exception {
        manager = manager(policies(BLOCK_METADATA.formatted("169.254.169.254/32")
                .replace("match.labels = { app = \"web\" }", "match.names = [\"web-*\"]")));
        ContainerInfo c = container("db", "none");
        manager.started(c);
        assertThat(manager.isAttached(c.id())).isFalse();
        manager.renamed(c.id(), "web-7");
        assertThat(manager.isAttached(c.id())).isTrue();
        manager.renamed(c.id(), "db");
        assertThat(manager.isAttached(c.id())).isFalse();
    }

    @Test
    void withoutEbpfTheSensorSaysWhatIsNotEnforced() throws Exception {
        manager = new SensorManager(policies(BLOCK_METADATA.formatted("169.254.169.254/32")), events,
                new EnforcementSettings(true, Duration.ofMillis(250)), null, "BPF is not loaded here", null, ExecGroups.unstored());
        manager.started(container("web-1", "web"));
        manager.started(container("db", "db"));
        assertThat(manager.status()).singleElement().satisfies(s ->
                assertThat(s.error()).isEqualTo("eBPF is unavailable: BPF is not loaded here"));
        awaitEvent(e -> e.severity() == Severity.CRITICAL && e.message().contains("not enforced on container web-1"));
        assertThat(manager.isolate("db", "x")).isEqualTo("error: cannot isolate db: eBPF is unavailable: BPF is not loaded here");
    }

    @Test
    void anEbpfHandleThatCannotBeAttachedLeavesTheSensorWithAKernelError() throws Exception {
        cgroups.failure = new IOException("bpf_link_create: EPERM");
        manager = manager(policies(BLOCK_METADATA.formatted("169.254.169.254/32")));
        manager.started(container("web-1", "web"));
        assertThat(manager.status()).singleElement().satisfies(s -> {
            assertThat(s.error()).contains("eBPF rules not attached", "EPERM");
            assertThat(manager.isolate("web-1", "x")).startsWith("error: cannot isolate web-1: eBPF rules not attached");
        });
    }

    @Test
    void everyContainerDockerHasGetsItsKernelRulesBeforeItStarts() throws Exception {
        manager = manager(policies("""
                [[policy]]
                name = "NoShells"
                match.labels = { app = "web" }
                [[policy.process]]
                action = "block"
                names = ["sh", "a-name-longer-than-the-kernel-table-holds"]
                [policy.drift]
                action = "block"
                """));
        assertThat(cgroups.holding.processNames()).singleElement().satisfies(r -> assertThat(r.names()).containsExactly("sh"));
        assertThat(cgroups.holding.drift()).hasSize(1);

        KnownContainer web = known("web-1", "web");
        KnownContainer db = known("db", "db");
        manager.known(List.of(web, db));
        ContainerRules webRules = cgroups.templates.get(web.id());
        assertThat(webRules.processNames()).singleElement().satisfies(r -> assertThat(r.action()).isEqualTo(KernelAction.BLOCK));
        assertThat(webRules.drift()).singleElement().satisfies(d -> assertThat(d.devices()).isEmpty());
        assertThat(cgroups.templates).as("known, selected by no policy").containsEntry(db.id(), null);

        manager.created(known("web-2", "web"));
        assertThat(cgroups.templates).hasSize(3);
        manager.removed(db.id());
        manager.known(List.of(web));
        assertThat(cgroups.templates).containsOnlyKeys(web.id());

        manager.reload(policies(BLOCK_METADATA.formatted("10.0.0.0/8")));
        assertThat(cgroups.templates).as("network rules wait for the attach").containsEntry(web.id(), null);
        assertThat(cgroups.holding.processNames()).isEmpty();
    }

    // --- helpers

    private static KnownContainer known(String name, String app) {
        ContainerInfo c = container(name, app);
        return new KnownContainer(c.id(), name, c.image(), c.imageId(), c.labels());
    }

    private SensorManager manager(PolicySet policies) {
        return new SensorManager(policies, events, new EnforcementSettings(true, Duration.ofMillis(250)), cgroups, null, null, ExecGroups.unstored());
    }

    private static PolicySet policies(String toml) throws Exception {
        Path file = Path.of("/etc/driftguard/policies.d/test.toml");
        return new PolicySet(file.getParent(), PolicyLoader.parse(file, toml), 1, false);
    }

    /** A container whose pid is this JVM's, so that its cgroup can be looked up; only the stand-in attaches to it. */
    private static ContainerInfo container(String name, String app) {
        String id = String.format("%08x", name.hashCode()).repeat(8);
        return new ContainerInfo(ContainerId.parse(id), name, "driftguard-test/web:1", Digest.parse("sha256:" + "3".repeat(64)),
                (int) ProcessHandle.current().pid(), Map.of("app", app), List.of("/bin"));
    }

    private void awaitEvent(Predicate<Event> wanted) throws InterruptedException {
        for (int i = 0; i < 300 && published.stream().noneMatch(wanted); i++) {
            Thread.sleep(10);
        }
        assertThat(published).as("events").anyMatch(wanted);
    }

    private static final class Cgroups implements CgroupEnforcer {
        final List<Handle> attached = new ArrayList<>();
        IOException failure;

        @Override
        public BpfProbe probe() {
            Map<Mechanism, BpfProbe.Result> all = new EnumMap<>(Mechanism.class);
            Arrays.stream(Mechanism.values()).forEach(m -> all.put(m, new BpfProbe.Result(true, "ok")));
            return new BpfProbe(all);
        }

        @Override
        public ContainerHandle attach(ContainerInfo container, Path cgroupDir, ContainerRules rules) throws IOException {
            if (failure != null) {
                throw failure;
            }
            Handle handle = new Handle(container, rules);
            attached.add(handle);
            return handle;
        }

        /** Templates by container id; a null value: known, selected by no policy. */
        final Map<ContainerId, ContainerRules> templates = new java.util.HashMap<>();
        ContainerRules holding;

        @Override
        public void prepare(ContainerInfo container, ContainerRules rules) {
            templates.put(container.id(), rules);
        }

        @Override
        public void unprepare(ContainerId containerId) {
            templates.remove(containerId);
        }

        @Override
        public void holdUnknown(ContainerRules union) {
            holding = union;
        }

        @Override
        public void onHold(java.util.function.Consumer<io.driftguard.daemon.bpf.BpfEvent.Held> handler) {
        }

        @Override
        public void adopt(long cgroupId, ContainerId containerId) {
        }

        Handle handleOf(String name) {
            return attached.stream().filter(h -> h.container.name().equals(name)).reduce((a, b) -> b).orElseThrow();
        }
    }

    private static final class Handle implements ContainerHandle {
        final ContainerInfo container;
        final List<String> isolations = new ArrayList<>();
        ContainerRules rules;
        boolean isolated;
        boolean closed;

        Handle(ContainerInfo container, ContainerRules rules) {
            this.container = container;
            this.rules = rules;
        }

        @Override
        public ContainerRules rules() {
            return rules;
        }

        @Override
        public void replaceRules(ContainerRules newRules) {
            assertThat(closed).as("replacing the rules of a closed handle").isFalse();
            rules = newRules;
        }

        @Override
        public void isolate(String reason) {
            isolations.add(reason);
            isolated = true;
        }

        @Override
        public void release(String reason) {
            isolated = false;
        }

        @Override
        public boolean isolated() {
            return isolated;
        }

        @Override
        public List<RuleMechanism> mechanisms() {
            return List.of();
        }

        @Override
        public void close() {
            closed = true;
        }
    }
}
