package io.driftguard.daemon.enforce;

import io.driftguard.core.model.Digest;
import io.driftguard.daemon.kernel.FileKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The process rules of one container, prepared at attach time so that a decision is a few map and
 * list look-ups: the files that names and paths resolve to in this container (by inode), plus
 * name, path and digest matching for files that appear later.
 */
final class ExecRules {
    private final List<RuleRef> rules;
    private final Map<FileKey, List<ExecTarget>> resolved;
    private final boolean needsDigest;

    ExecRules(List<RuleRef> rules, Map<FileKey, List<ExecTarget>> resolved) {
        this.rules = List.copyOf(rules);
        this.resolved = Map.copyOf(resolved);
        this.needsDigest = rules.stream().anyMatch(r -> !r.rule().sha256().isEmpty());
    }

    List<RuleRef> rules() {
        return rules;
    }

    Map<FileKey, List<ExecTarget>> resolved() {
        return resolved;
    }

    /** Whether a decision needs the file's sha256 (some rule matches by content). */
    boolean needsDigest() {
        return needsDigest;
    }

    /**
     * Decides an exec of the file {@code key}, opened as {@code path}; {@code sha256} may be null.
     * A matching rule whose exception covers the exec ({@code excepted}) is left out, and the file
     * is then decided again on every exec (another parent may run it next).
     */
    Verdict decide(FileKey key, String path, String sha256, Predicate<RuleRef> excepted) {
        List<RuleRef> hits = new ArrayList<>();
        List<String> reasons = new ArrayList<>();
        for (ExecTarget target : resolved.getOrDefault(key, List.of())) {
            hits.add(target.rule());
            reasons.add(target.describe(target.rule().rule().paths().contains(target.requested()) ? "path" : "name"));
        }
        String fileName = path.substring(path.lastIndexOf('/') + 1);
        Digest digest = sha256 == null ? null : new Digest("sha256", sha256);
        for (RuleRef ref : rules) {
            if (hits.contains(ref)) {
                continue;
            }
            if (ref.rule().paths().contains(path)) {
                hits.add(ref);
                reasons.add("path " + path);
            } else if (ref.rule().matchesName(fileName)) {
                hits.add(ref);
                reasons.add("name " + fileName);
            } else if (digest != null && ref.rule().sha256().contains(digest)) {
                hits.add(ref);
                reasons.add("sha256 " + sha256);
            }
        }
        int matched = hits.size();
        for (int i = hits.size() - 1; i >= 0; i--) {
            if (!hits.get(i).rule().except().isEmpty() && excepted.test(hits.get(i))) {
                hits.remove(i);
                reasons.remove(i);
            }
        }
        RuleRef strongest = null;
        String reason = null;
        List<RuleRef> afterExec = new ArrayList<>();
        for (int i = 0; i < hits.size(); i++) {
            RuleRef hit = hits.get(i);
            if (!hit.rule().argsRegex().isEmpty()) {
                afterExec.add(hit);
            } else if (strongest == null || hit.action().compareTo(strongest.action()) > 0) {
                strongest = hit;
                reason = reasons.get(i);
            }
        }
        return new Verdict(strongest, reason, matched == 0, afterExec);
    }
}
