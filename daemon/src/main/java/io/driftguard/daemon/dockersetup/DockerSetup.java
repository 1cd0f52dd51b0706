package io.driftguard.daemon.dockersetup;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * {@code driftguard docker setup} and {@code undo}: merges the settings into daemon.json, keeping
 * the original beside it (daemon.json.driftguard-backup) and reloading dockerd; undo puts the
 * original back byte for byte when nobody changed the file since, and otherwise removes only
 * driftguard's entries. Both are idempotent.
 */
public final class DockerSetup {
    private final Path daemonJson;
    private final List<DockerSetting> settings;
    private final DockerReload reload;
    private final PrintStream out;

    public DockerSetup(Path daemonJson, List<DockerSetting> settings, DockerReload reload, PrintStream out) {
        this.daemonJson = daemonJson;
        this.settings = List.copyOf(settings);
        this.reload = reload;
        this.out = out;
    }

    public Path backup() {
        return daemonJson.resolveSibling(daemonJson.getFileName() + ".driftguard-backup");
    }

    public void setup() throws SetupException, IOException {
        Optional<byte[]> before = DaemonJson.read(daemonJson);
        ObjectNode tree = DaemonJson.tree(daemonJson, before);
        List<DockerSetting> missing = settings.stream().filter(s -> !s.isApplied(tree)).toList();
        if (missing.isEmpty()) {
            out.println("already set up in " + daemonJson + ": " + descriptions(settings));
            return;
        }
        for (DockerSetting setting : missing) {
            setting.checkCompatible(tree);
            setting.checkReady();
        }
        missing.forEach(s -> s.apply(tree));
        if (!Files.exists(backup())) {
            DaemonJson.write(backup(), before.orElse(new byte[0]));
        }
        DaemonJson.write(daemonJson, DaemonJson.bytes(tree));
        try {
            out.println("added to " + daemonJson + ": " + descriptions(missing) + " (original kept in " + backup() + "); "
                    + reload.reload());
        } catch (SetupException e) {
            if (before.isPresent()) {
                DaemonJson.write(daemonJson, before.get());
            } else {
                Files.deleteIfExists(daemonJson);
            }
            throw new SetupException(e.getMessage() + "; " + daemonJson + " is back as it was");
        }
    }

    public void undo() throws SetupException, IOException {
        Optional<byte[]> current = DaemonJson.read(daemonJson);
        ObjectNode tree = DaemonJson.tree(daemonJson, current);
        List<DockerSetting> applied = settings.stream().filter(s -> s.isApplied(tree)).toList();
        if (applied.isEmpty()) {
            Files.deleteIfExists(backup());
            out.println("nothing to undo in " + daemonJson);
            return;
        }
        Optional<byte[]> original = DaemonJson.read(backup());
        if (original.isPresent() && DaemonJson.same(current, setupOf(original.get()))) {
            ObjectNode back = DaemonJson.tree(backup(), original.get().length == 0 ? Optional.empty() : original);
            boolean left = false;
            for (DockerSetting setting : applied) {
                left |= setting.leaveOnUndo(back);
            }
            if (left) {
                DaemonJson.write(daemonJson, DaemonJson.bytes(back));
                out.print("restored " + daemonJson + " from " + backup() + ", with what reloaded dockerd needs to let go");
            } else {
                DaemonJson.restore(daemonJson, original.get());
                out.print("restored " + daemonJson + " from " + backup());
            }
        } else {
            applied.forEach(s -> s.remove(tree));
            DaemonJson.write(daemonJson, DaemonJson.bytes(tree));
            out.print("removed " + descriptions(applied) + " from " + daemonJson + " (it changed since setup; the rest is kept)");
        }
        Files.deleteIfExists(backup());
        out.println("; " + reload.reload());
    }

    /** What setup writes for a file that held {@code original}. */
    private byte[] setupOf(byte[] original) throws SetupException, IOException {
        ObjectNode tree = DaemonJson.tree(backup(), original.length == 0 ? Optional.empty() : Optional.of(original));
        settings.stream().filter(s -> !s.isApplied(tree)).forEach(s -> s.apply(tree));
        return DaemonJson.bytes(tree);
    }

    private static String descriptions(List<DockerSetting> settings) {
        return String.join(", ", settings.stream().map(DockerSetting::description).toList());
    }
}
