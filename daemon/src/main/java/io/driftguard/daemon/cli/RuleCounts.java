package io.driftguard.daemon.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.driftguard.core.cli.JsonAnswer;
import io.driftguard.daemon.policy.Policy;
import java.util.List;

/** How many rules of each kind a policy or a set holds, as {@code policy check} prints them. */
record RuleCounts(int process, int drift, int profile, int file, int network, int syscall, int admission) {
    static RuleCounts of(Policy policy) {
        return new RuleCounts(policy.processRules().size(), policy.drift() == null ? 0 : 1, policy.profile() == null ? 0 : 1,
                policy.fileRules().size(), policy.networkRules().size(), policy.syscallRules().size(),
                policy.admission() == null ? 0 : 1);
    }

    static RuleCounts sum(List<Policy> policies) {
        RuleCounts total = new RuleCounts(0, 0, 0, 0, 0, 0, 0);
        for (Policy policy : policies) {
            RuleCounts c = of(policy);
            total = new RuleCounts(total.process + c.process, total.drift + c.drift, total.profile + c.profile,
                    total.file + c.file, total.network + c.network, total.syscall + c.syscall, total.admission + c.admission);
        }
        return total;
    }

    /** Every kind, zeros too: "3 process rules, 1 drift, 0 profile, 2 file, 1 network, 0 syscall, 1 admission". */
    String all() {
        return process + " process " + (process == 1 ? "rule" : "rules") + ", " + drift + " drift, " + profile + " profile, "
                + file + " file, " + network + " network, " + syscall + " syscall, " + admission + " admission";
    }

    /** Every kind as a JSON object: {"process": 3, "drift": 1, ...}. */
    ObjectNode json() {
        return JsonAnswer.object().put("process", process).put("drift", drift).put("profile", profile).put("file", file)
                .put("network", network).put("syscall", syscall).put("admission", admission);
    }

    /** Only the kinds present, for one policy: "1 network, 1 syscall". */
    String present() {
        StringBuilder text = new StringBuilder();
        for (String part : all().split(", ")) {
            if (!part.startsWith("0 ")) {
                text.append(text.length() == 0 ? "" : ", ").append(part);
            }
        }
        return text.toString();
    }
}
