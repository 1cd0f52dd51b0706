package io.driftguard.daemon.enforce;

import io.driftguard.core.event.Event;
import io.driftguard.core.event.EventKind;
import io.driftguard.core.event.ProcessInfo;
import io.driftguard.daemon.docker.ContainerInfo;
import io.driftguard.daemon.policy.Action;
import io.driftguard.daemon.policy.Policy;
import java.util.Map;

/**
 * What an {@link ExecCheck} found: the policy and rule, the action really taken, and the sentence to
 * log (the stop or restart that follows is added to it, and asked for by the detail {@code response}). Action ALLOW: the rule's exception covers the exec, which runs without an event, and the
 * file is not marked as ignored (the next exec of it may not be covered).
 */
record ExecFinding(Policy policy, String rule, Action action, EventKind kind, String message, Map<String, String> details) {
    ExecFinding {
        details = Map.copyOf(details);
    }

    static ExecFinding excepted(Policy policy, String rule) {
        return new ExecFinding(policy, rule, Action.ALLOW, EventKind.DRIFT, "excepted", Map.of());
    }

    boolean allows() {
        return action == Action.ALERT || action == Action.ALLOW;
    }

    boolean excepted() {
        return action == Action.ALLOW;
    }

    Event event(ContainerInfo container, ProcessInfo process) {
        Event.Builder builder = Event.builder(kind, action.eventAction(), action.severity())
                .container(container.id(), container.name(), container.image(), container.imageId())
                .policy(policy.name(), rule)
                .process(process)
                .message(message + action.then())
                .detail("response", action.response());
        details.forEach(builder::detail);
        return builder.build();
    }
}
