package io.driftguard.daemon.cli;

import io.driftguard.core.text.Printable;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.driftguard.daemon.app.DaemonConfig;
import io.driftguard.daemon.baseline.BaselineStore;
import io.driftguard.daemon.baseline.ChangeVerdicts;
import io.driftguard.daemon.baseline.ContainerDiff;
import io.driftguard.daemon.baseline.ImageBaseline;
import io.driftguard.daemon.baseline.ImageBaselines;
import io.driftguard.daemon.docker.ContainerInfo;
import io.driftguard.daemon.docker.DockerLookup;
import io.driftguard.daemon.docker.OverlayDirs;
import io.driftguard.daemon.policy.Policy;
import io.driftguard.daemon.policy.PolicyLoader;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code driftguard diff CONTAINER}: like docker diff, with hashes and the policies each change breaks. */
@Command(name = "diff", mixinStandardHelpOptions = true,
        description = {"What changed in a running container's root file system against its image baseline: added,"
                + " modified and deleted files with their sha256, executables marked, and the policy rules each change breaks.",
                "Volumes and tmpfs mounts are not part of the root file system and are not shown.",
                "Exit code 0: no change breaks a rule; 1: some change does."})
final class DiffCommand implements Callable<Integer> {
    @Mixin
    ConfigOption config;

    @Parameters(index = "0", paramLabel = "CONTAINER", description = "Container name or id.")
    String container;

    @Option(names = "--json", description = "One JSON object per change.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        DaemonConfig settings = config.load();
        List<Policy> policies = PolicyLoader.load(settings.policiesDir(), true).policies();
        Optional<ContainerInfo> found = DockerLookup.runningContainer(settings.dockerSocket(), container);
        if (found.isEmpty()) {
            System.err.println("no running container '" + Printable.escape(container) + "'");
            return 2;
        }
        ContainerInfo info = found.get();
        List<Policy> selecting = policies.stream().filter(p -> p.match().selects(info.facts())).toList();
        OverlayDirs overlay = new OverlayDirs(settings.dockerSocket());
        List<ContainerDiff.Change> changes;
        try (BaselineStore store = BaselineStore.open(settings.store())) {
            ImageBaseline baseline = new ImageBaselines(store, overlay, built -> { }).get(info.imageId(), info.image());
            changes = ContainerDiff.of(baseline, overlay.containerUpper(info.id()));
        }
        boolean breaks = false;
        ObjectMapper mapper = new ObjectMapper();
        if (!json) {
            System.out.printf("%-8s %-4s %-12s %-12s %-40s %s%n", "CHANGE", "EXEC", "IMAGE", "NOW", "PATH", "POLICY");
        }
        for (ContainerDiff.Change change : changes) {
            List<String> verdicts = ChangeVerdicts.of(change, selecting);
            breaks |= !verdicts.isEmpty();
            if (json) {
                ObjectNode node = mapper.createObjectNode();
                node.put("path", change.path());
                node.put("change", change.kind().name().toLowerCase(Locale.ROOT));
                node.put("executable", change.executable());
                node.put("image_sha256", change.imageSha256());
                node.put("sha256", change.currentSha256());
                node.put("note", change.note());
                verdicts.forEach(node.putArray("policy")::add);
                System.out.println(node);
            } else {
                System.out.println(Printable.escape(String.format("%-8s %-4s %-12s %-12s %-40s %s",
                        change.kind().name().toLowerCase(Locale.ROOT), change.executable() ? "yes" : "",
                        shortHash(change.imageSha256()), shortHash(change.currentSha256()),
                        change.path() + (change.note() == null || change.note().equals("content") ? "" : " (" + change.note() + ")"),
                        String.join("; ", verdicts))));
            }
        }
        return breaks ? 1 : 0;
    }

    private static String shortHash(String sha256) {
        return sha256 == null ? "-" : sha256.substring(0, 12);
    }
}
