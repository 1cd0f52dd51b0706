package io.driftguard.daemon.policy;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Every policy of the policies folder, valid as a whole; swapped atomically on reload.
 * {@code files} counts the policy files read, {@code allowEmpty} says whether the folder holds
 * {@link PolicyLoader#ALLOW_EMPTY_MARKER}.
 */
public record PolicySet(Path dir, List<Policy> policies, int files, boolean allowEmpty) {
    public PolicySet {
        policies = List.copyOf(policies);
    }

    public List<Policy> selecting(ContainerFacts container) {
        return policies.stream().filter(p -> p.match().selects(container)).toList();
    }

    /** Why this set must not replace {@code running}: it has fewer policy files, which happens by accident too. */
    public Optional<String> shrinks(PolicySet running) {
        if (!allowEmpty && files < running.files()) {
            return Optional.of("the policies folder has " + files + " policy files, " + running.files() + " before: a file"
                    + " was removed or renamed (put a file named " + PolicyLoader.ALLOW_EMPTY_MARKER + " in " + dir
                    + " to allow a smaller set, reload, then remove it)");
        }
        return Optional.empty();
    }
}
