package io.driftguard.daemon.policy;

import com.google.re2j.Pattern;
import io.driftguard.core.model.Digest;
import java.util.List;
import java.util.Set;

/**
 * A {@code [[policy.process]]} rule. {@code names} and {@code nameRegex} match executable file
 * names, {@code paths} full paths inside the container, {@code sha256} file contents;
 * {@code argsRegex}, when set, narrows the rule to execs with a matching argument; {@code except}
 * names execs the rule leaves alone.
 */
public record ProcessRule(String name, Action action, List<String> names, List<Pattern> nameRegex,
                          List<String> paths, List<Pattern> argsRegex, Set<Digest> sha256, RuleExceptions except) {
    /** Longest name the kernel's exec program compares: DG_NAME_LEN - 1 in bpf/driftguard.h (checked by a test). */
    public static final int MAX_KERNEL_NAME_BYTES = 31;

    public ProcessRule {
        names = List.copyOf(names);
        nameRegex = List.copyOf(nameRegex);
        paths = List.copyOf(paths);
        argsRegex = List.copyOf(argsRegex);
        sha256 = Set.copyOf(sha256);
        except = except == null ? RuleExceptions.NONE : except;
    }

    /** A rule without exceptions. */
    public ProcessRule(String name, Action action, List<String> names, List<Pattern> nameRegex, List<String> paths,
                       List<Pattern> argsRegex, Set<Digest> sha256) {
        this(name, action, names, nameRegex, paths, argsRegex, sha256, RuleExceptions.NONE);
    }

    public boolean matchesName(String fileName) {
        return names.contains(fileName) || nameRegex.stream().anyMatch(p -> p.matcher(fileName).find());
    }

    public boolean matchesArgs(List<String> args) {
        return argsRegex.stream().anyMatch(p -> args.stream().skip(1).anyMatch(a -> p.matcher(a).find()));
    }
}
