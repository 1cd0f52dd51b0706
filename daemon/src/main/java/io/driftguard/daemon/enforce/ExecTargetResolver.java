package io.driftguard.daemon.enforce;

import io.driftguard.daemon.kernel.FileKey;
import io.driftguard.daemon.kernel.FileStat;
import io.driftguard.daemon.kernel.LibC;
import io.driftguard.daemon.kernel.RootedOpen;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finds, inside one container's root, the files that process rules name: names along the
 * container's PATH and paths as given, symlinks followed inside the root only. The kernel reports
 * an exec by the file that really runs, so a rule for {@code sh} must hold the inode of whatever
 * /bin/sh leads to (busybox, in a busybox image). For the rules in {@code kernelNames}, whose names
 * the eBPF exec program enforces by the name a program was started as, such a name is resolved only to
 * a file of that same name: {@code sh} leading to /bin/busybox is left to the exec program, so
 * that the other busybox applets still run.
 */
final class ExecTargetResolver {
    /** Searched besides the container's own PATH, so that a changed PATH cannot hide a shell. */
    static final List<String> DEFAULT_PATH = List.of(
            "/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin");

    private ExecTargetResolver() {
    }

    static Map<FileKey, List<ExecTarget>> resolve(int rootFd, List<String> containerPath, List<RuleRef> rules,
                                                  Map<RuleRef, Set<String>> kernelNames) {
        Set<String> dirs = new LinkedHashSet<>(containerPath);
        dirs.addAll(DEFAULT_PATH);
        Map<FileKey, List<ExecTarget>> found = new HashMap<>();
        for (RuleRef ref : rules) {
            Set<String> inKernel = kernelNames.getOrDefault(ref, Set.of());
            for (String path : ref.rule().paths()) {
                add(found, rootFd, ref, path, path, false);
            }
            for (String dir : dirs) {
                if (!dir.startsWith("/")) {
                    continue;
                }
                for (String name : ref.rule().names()) {
                    add(found, rootFd, ref, name, dir + "/" + name, inKernel.contains(name));
                }
                if (!ref.rule().nameRegex().isEmpty()) {
                    for (String name : RootedOpen.list(rootFd, dir, LibC.O_PATH)) {
                        if (ref.rule().matchesName(name)) {
                            add(found, rootFd, ref, name, dir + "/" + name, false);
                        }
                    }
                }
            }
        }
        return found;
    }

    private static void add(Map<FileKey, List<ExecTarget>> found, int rootFd, RuleRef ref, String requested, String path,
                            boolean sameNameOnly) {
        int fd;
        try {
            fd = RootedOpen.open(rootFd, path, LibC.O_PATH);
        } catch (IOException absent) {
            return;
        }
        try {
            FileStat stat = FileStat.of(fd);
            String resolved = RootedOpen.pathOf(fd);
            if (stat.isRegularFile() && (!sameNameOnly || resolved.endsWith("/" + requested))) {
                List<ExecTarget> targets = found.computeIfAbsent(stat.key(), k -> new ArrayList<>());
                ExecTarget target = new ExecTarget(ref, requested, resolved);
                if (targets.stream().noneMatch(t -> t.rule().equals(ref))) {
                    targets.add(target);
                }
            }
        } catch (IOException gone) {
            // Removed while we looked: nothing to resolve.
        } finally {
            RootedOpen.close(fd);
        }
    }
}
