package io.driftguard.daemon.app;

import io.driftguard.core.event.Event;
import io.driftguard.core.event.EventAction;
import io.driftguard.core.event.EventKind;
import io.driftguard.core.event.EventSink;
import io.driftguard.core.event.Severity;
import io.driftguard.daemon.docker.ContainerResponder;
import io.driftguard.daemon.docker.ContainerResponder.Outcome;
import io.driftguard.daemon.docker.ContainerResponder.Response;
import java.util.function.Consumer;

/**
 * Carries out the {@code stop} and {@code restart} actions: a decision event whose detail
 * {@code response} is "stop" or "restart" has its container stopped or restarted through the
 * Docker API, after the kernel's block or kill. It works from the event stream, so it runs on the
 * event writer's thread and hands Docker's part to the responder's own: no decision waits for it.
 * An event that stands for aggregated repeats does not ask again; the first of them did.
 */
final class ResponseSink implements EventSink {
    private final ContainerResponder responder;
    private final Consumer<Event> publish;

    ResponseSink(ContainerResponder responder, Consumer<Event> publish) {
        this.responder = responder;
        this.publish = publish;
    }

    @Override
    public void accept(Event event) {
        String wanted = event.details().get("response");
        if (event.containerId() == null || event.repeats() != null || wanted == null) {
            return;
        }
        Response response = switch (wanted) {
            case "stop" -> Response.STOP;
            case "restart" -> Response.RESTART;
            default -> null; // "stopped", "restarted", "failed": outcomes, not requests
        };
        if (response != null) {
            responder.request(event.containerId(), response, outcome -> publish.accept(outcomeEvent(event, outcome)));
        }
    }

    private static Event outcomeEvent(Event cause, Outcome outcome) {
        String verb = outcome.response() == Response.STOP ? "stop" : "restart";
        String by = "rule " + cause.rule() + " of policy " + cause.policy();
        Event.Builder builder = outcome.error() == null
                ? Event.builder(cause.kind(), outcome.response() == Response.STOP ? EventAction.STOPPED : EventAction.RESTARTED,
                        Severity.HIGH)
                        .detail("response", outcome.response().done())
                        .message((outcome.response() == Response.STOP ? "Stopped" : "Restarted") + " container "
                                + cause.containerName() + " through the Docker API after " + by
                                + (outcome.response() == Response.STOP ? "; driftguard never starts it again" : ""))
                : Event.builder(EventKind.DAEMON, EventAction.ALERTED, Severity.CRITICAL)
                        .detail("response", "failed")
                        .detail("error", outcome.error())
                        .message("Cannot " + verb + " container " + cause.containerName() + " as " + by + " asks: "
                                + outcome.error());
        return builder.container(cause.containerId(), cause.containerName(), cause.image(), cause.imageId())
                .policy(cause.policy(), cause.rule())
                .build();
    }
}
