package io.driftguard.daemon.admission;

import com.fasterxml.jackson.databind.JsonNode;
import io.driftguard.core.event.Event;
import io.driftguard.core.event.EventAction;
import io.driftguard.core.event.EventKind;
import io.driftguard.core.text.Printable;
import io.driftguard.core.event.Severity;
import io.driftguard.core.log.Log;
import io.driftguard.core.store.Approvals;
import io.driftguard.core.store.ImageScans;
import io.driftguard.daemon.policy.AdmissionRule;
import io.driftguard.daemon.policy.ContainerFacts;
import io.driftguard.daemon.policy.Policy;
import io.driftguard.daemon.policy.PolicySet;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Judges Docker API requests against the policies' {@code [policy.admission]} rules. What it
 * cannot judge safely it denies. Called on the plugin server's threads, never on an exec decision
 * path; it waits on nothing but the local engine's answers to inspect calls and one SQLite read.
 */
public final class AdmissionControl {
    private static final Log LOG = Log.of(AdmissionControl.class);
    static final String PREFIX = "driftguard: ";
    /** Long enough for every refusal of a request; Docker shows it whole. */
    private static final int MESSAGE_MAX = 2000;

    /** Request-borne text in a message: escaped, and cut only where no list of refusals reaches. */
    static String message(String text) {
        String escaped = Printable.escape(text);
        return escaped.length() > MESSAGE_MAX ? escaped.substring(0, MESSAGE_MAX) + "..." : escaped;
    }

    private final EngineLookup engine;
    private final Consumer<Event> events;
    private final SettingsJudge settingsJudge;
    private final ImageJudge imageJudge;
    private final Replacements replacements;
    private final AdmissionCounts counts = new AdmissionCounts();
    private volatile PolicySet policies;

    /**
     * {@code startRuntime}: the runtime whose start hook attaches before a container's first exec
     * (driftguard-runtime), the only one a selected container may ask for; null without the hook.
     */
    public AdmissionControl(PolicySet policies, EngineLookup engine, Approvals approvals, ImageScans scans,
                            Replacements replacements, Consumer<Event> events, String startRuntime) {
        this.policies = policies;
        this.engine = engine;
        this.events = events;
        this.settingsJudge = new SettingsJudge(engine, startRuntime);
        this.imageJudge = new ImageJudge(engine, approvals, scans);
        this.replacements = replacements;
    }

    public void reload(PolicySet fresh) {
        policies = fresh;
    }

    /** Requests judged so far, by outcome. */
    public Map<String, Long> counts() {
        return counts.snapshot();
    }

    /** AuthZPlugin.AuthZReq: the decision. */
    public Verdict request(AuthzRequest request) {
        counts.requests.incrementAndGet();
        try {
            Verdict verdict = judge(request);
            (verdict.allow() ? counts.allowed : counts.denied).incrementAndGet();
            return verdict;
        } catch (Unjudgeable | EngineLookup.LookupFailed e) {
            counts.unjudgeable.incrementAndGet();
            counts.denied.incrementAndGet();
            String message = PREFIX + "cannot judge " + describe(request) + ": " + e.getMessage() + "; denied";
            events.accept(Event.builder(EventKind.ADMISSION, EventAction.BLOCKED, Severity.HIGH)
                    .detail("request", describe(request)).detail("reason", Printable.of(e.getMessage()))
                    .detail("unjudgeable_count", Long.toString(counts.unjudgeable.get()))
                    .message(message(message)).build());
            return Verdict.deny(message(message));
        } catch (RuntimeException e) {
            counts.unjudgeable.incrementAndGet();
            counts.denied.incrementAndGet();
            LOG.error("admission decision failed on " + describe(request) + ": " + e);
            return Verdict.deny(PREFIX + "internal error judging " + describe(request) + "; denied");
        }
    }

    /** AuthZPlugin.AuthZRes: the request has been carried out; a successful create is remembered for drift. */
    public Verdict response(AuthzRequest request) {
        try {
            if (request.responseStatus() == 201 && request.body() != null && "POST".equalsIgnoreCase(request.method())) {
                RequestPath path = RequestPath.parse(request.uri());
                if (path.is("containers", "create")) {
                    replacements.created(path.query().getOrDefault("name", ""), ContainerSettings.of(StrictJson.parse(request.body())),
                            request.responseBody());
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("cannot record the created container of " + describe(request) + ": " + e.getMessage());
        }
        return Verdict.ALLOW;
    }

    /**
     * Judges the containers already running ({@code when}: "start", "reload"); they cannot be refused
     * now, so each one that breaks a rule is an event, and under action isolate its network is cut.
     * Returns how many break a rule.
     */
    public int reportRunning(String when, java.util.function.BiFunction<String, String, String> isolate) {
        PolicySet current = policies;
        int breaking = 0;
        for (EngineLookup.RunningContainer container : engine.running()) {
            try {
                ContainerSettings settings = ContainerSettings.of(container.createForm());
                replacements.seen(container.name(), settings);
                ContainerFacts facts = new ContainerFacts(container.name(), settings.image(), settings.labels());
                boolean breaks = false;
                for (Policy policy : current.selecting(facts)) {
                    AdmissionRule rule = policy.admission();
                    if (rule == null) {
                        continue;
                    }
                    List<String> refused = new ArrayList<>(settingsJudge.refusals(rule, settings));
                    refused.addAll(imageJudge.refusals(rule, DockerReference.parse(settings.image())));
                    if (refused.isEmpty()) {
                        continue;
                    }
                    breaks = true;
                    AdmissionRule.AdmissionAction action = rule.action().under(policy.mode());
                    String isolated = action == AdmissionRule.AdmissionAction.ISOLATE
                            ? isolate.apply(container.id(), "breaks admission policy " + policy.name()) : null;
                    events.accept(Event.builder(EventKind.ADMISSION, isolated != null && !isolated.startsWith("error")
                                    ? EventAction.ISOLATED : EventAction.ALERTED, Severity.HIGH)
                            .container(container.id(), Printable.of(container.name()), Printable.of(settings.image()), null)
                            .policy(policy.name(), "admission")
                            .detail("finding", "running_container").detail("when", when)
                            .detail("refused", message(String.join("; ", refused)))
                            .detail("isolation", isolated == null ? null : Printable.of(isolated))
                            .message(message(PREFIX + "running container " + container.name() + " breaks policy "
                                    + policy.name() + ": " + String.join(", ", refused)
                                    + " (it was created before; a running container cannot be refused)"))
                            .build());
                }
                breaking += breaks ? 1 : 0;
            } catch (Unjudgeable | EngineLookup.LookupFailed e) {
                LOG.warn("cannot judge running container " + Printable.of(container.name()) + ": " + e.getMessage());
            }
        }
        return breaking;
    }

    private Verdict judge(AuthzRequest request) {
        String method = request.method() == null ? "" : request.method().toUpperCase(Locale.ROOT);
        if (method.equals("GET") || method.equals("HEAD")) {
            return Verdict.ALLOW;
        }
        RequestPath path = RequestPath.parse(request.uri());
        if (path.version().isPresent() && path.version().get().olderThan(1, 24)) {
            throw new Unjudgeable("API v" + path.version().get() + " is older than 1.24, where start takes a HostConfig");
        }
        PolicySet current = policies;
        if (current.policies().stream().noneMatch(p -> p.admission() != null)) {
            return Verdict.ALLOW;
        }
        if (method.equals("POST") && path.is("containers", "create")) {
            return create(request, path, current);
        }
        if (path.segments().size() == 3 && path.segment(0).equals("containers")) {
            String action = path.segment(2);
            if (method.equals("POST") && action.equals("exec")) {
                return onExisting(request, path, current, "docker exec");
            }
            if (method.equals("POST") && action.equals("update")) {
                return onExisting(request, path, current, "docker update");
            }
            if (method.equals("PUT") && action.equals("archive")) {
                return onExisting(request, path, current, "docker cp into the container");
            }
        }
        return Verdict.ALLOW;
    }

    private Verdict create(AuthzRequest request, RequestPath path, PolicySet current) {
        ContainerSettings settings = ContainerSettings.of(StrictJson.parse(requiredBody(request)));
        String name = path.query().getOrDefault("name", "");
        DockerReference image = DockerReference.parse(settings.image());
        ContainerFacts facts = new ContainerFacts(name, settings.image(), settings.labels());
        List<Refusal> refusals = new ArrayList<>();
        for (Policy policy : current.selecting(facts)) {
            AdmissionRule rule = policy.admission();
            if (rule != null) {
                List<String> refused = new ArrayList<>(settingsJudge.refusals(rule, settings));
                refused.addAll(imageJudge.refusals(rule, image));
                if (!refused.isEmpty()) {
                    refusals.add(new Refusal(policy, rule.action().under(policy.mode()), refused));
                }
            }
        }
        Verdict verdict = decide(request, name, settings.image(), refusals);
        replacements.replacing(name, settings, !verdict.allow());
        return verdict;
    }

    /** exec, update and cp on a container that exists: judged by the policies that select it. */
    private Verdict onExisting(AuthzRequest request, RequestPath path, PolicySet current, String what) {
        Optional<EngineLookup.ExistingContainer> found = engine.container(path.segment(1));
        if (found.isEmpty()) {
            return Verdict.ALLOW;
        }
        EngineLookup.ExistingContainer container = found.get();
        List<Policy> selecting = current.selecting(new ContainerFacts(container.name(), container.image(), container.labels()))
                .stream().filter(p -> p.admission() != null).toList();
        if (selecting.isEmpty()) {
            return Verdict.ALLOW;
        }
        List<String> refused = new ArrayList<>();
        List<String> refusedUnlessPrivileged = new ArrayList<>();
        if (what.equals("docker exec")) {
            JsonNode body = StrictJson.parse(requiredBody(request));
            if (Fields.bool(body, "Privileged")) {
                refusedUnlessPrivileged.add("docker exec --privileged");
            }
            String user = Fields.string(body, "User");
            if (isRoot(user) && !user.isEmpty() && !isRoot(container.user())) {
                refusedUnlessPrivileged.add("docker exec --user " + user + " (the container runs as "
                        + (container.user().isEmpty() ? "root" : container.user()) + ")");
            }
        } else {
            refused.add(what);
        }
        List<Refusal> refusals = new ArrayList<>();
        for (Policy policy : selecting) {
            List<String> forPolicy = new ArrayList<>(refused);
            if (!policy.admission().privileged()) {
                forPolicy.addAll(refusedUnlessPrivileged);
            }
            if (!forPolicy.isEmpty()) {
                refusals.add(new Refusal(policy, policy.admission().action().under(policy.mode()), forPolicy));
            }
        }
        return decide(request, container.name(), container.image(), refusals);
    }

    /** "0", "root", "0:0", "root:wheel": the exec runs as uid 0. An empty user is the container's own. */
    private static boolean isRoot(String user) {
        String uid = user.contains(":") ? user.substring(0, user.indexOf(':')) : user;
        return uid.isEmpty() || uid.equals("0") || uid.equals("root");
    }

    private record Refusal(Policy policy, AdmissionRule.AdmissionAction action, List<String> refused) {
        String text() {
            return "policy " + policy.name() + " denies " + String.join(", ", refused);
        }
    }

    private Verdict decide(AuthzRequest request, String name, String image, List<Refusal> refusals) {
        List<String> denials = new ArrayList<>();
        for (Refusal refusal : refusals) {
            boolean deny = refusal.action().refuses();
            if (!deny) {
                counts.alerted.incrementAndGet();
            }
            events.accept(Event.builder(EventKind.ADMISSION, deny ? EventAction.BLOCKED : EventAction.ALERTED,
                            deny ? Severity.HIGH : Severity.MEDIUM)
                    .container((String) null, Printable.of(name), Printable.of(image), (String) null)
                    .policy(refusal.policy().name(), "admission")
                    .detail("request", describe(request))
                    .detail("refused", message(String.join("; ", refusal.refused())))
                    .detail("denied_count", Long.toString(counts.denied.get() + (deny ? 1 : 0)))
                    .detail("alerted_count", Long.toString(counts.alerted.get()))
                    .message(message(PREFIX + refusal.text() + (deny ? "" : " (alert only; allowed)")))
                    .build());
            if (deny) {
                denials.add(refusal.text());
            }
        }
        return denials.isEmpty() ? Verdict.ALLOW : Verdict.deny(message(PREFIX + String.join("; ", denials)));
    }

    private static byte[] requiredBody(AuthzRequest request) {
        if (request.body() == null || request.body().length == 0) {
            throw new Unjudgeable("the request body did not reach the plugin (Docker sends none for bodies of 1 MiB"
                    + " or more, chunked bodies, or a Content-Type other than application/json)");
        }
        return request.body();
    }

    private static String describe(AuthzRequest request) {
        return Printable.of(request.method() + " " + request.uri());
    }
}
