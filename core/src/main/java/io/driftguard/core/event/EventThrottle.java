package io.driftguard.core.event;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Bounds what one noisy container can write, on the dispatcher's own thread. Identical events
 * (same container, kind, policy, rule, action, path and details) within a window are delivered once, and
 * the rest of them as one event with {@link Repeats} (count, first and last time) when the window
 * closes. Past that, each container may deliver at most {@code perContainer} events a window; the
 * others are counted into one overflow event. Nothing is dropped without a count. Events without
 * a container (the daemon's own, the scanner's) pass untouched.
 */
public final class EventThrottle {
    /** What makes events identical: the details too, which hold a file event's path and hashes or a connect's destination. */
    private record Key(String container, EventKind kind, String policy, String rule, EventAction action, String path,
                       Map<String, String> details) {
        static Key of(Event e) {
            return new Key(e.containerId(), e.kind(), e.policy(), e.rule(), e.action(),
                    e.process() == null ? null : e.process().path(), e.details());
        }
    }

    /** Repeats of one event within its window. */
    private static final class Window {
        final Instant start;
        long count;
        Instant first;
        Event last;

        Window(Instant start) {
            this.start = start;
        }
    }

    /** One container's budget in its current window, and what went over it. */
    private static final class Budget {
        Instant start;
        int delivered;
        long over;
        Instant firstOver;
        Instant lastOver;
        Event sample;

        Budget(Instant start) {
            this.start = start;
        }
    }

    private final Duration window;
    private final int perContainer;
    private final Map<Key, Window> windows = new LinkedHashMap<>();
    private final Map<String, Budget> budgets = new LinkedHashMap<>();

    public EventThrottle(Duration window, int perContainer) {
        this.window = Objects.requireNonNull(window, "window");
        if (window.isNegative() || window.isZero() || perContainer < 1) {
            throw new IllegalArgumentException("window must be positive and perContainer at least 1");
        }
        this.perContainer = perContainer;
    }

    /** What to deliver now for {@code event}: itself, or nothing when it was counted. */
    public List<Event> offer(Event event) {
        if (event.containerId() == null || event.repeats() != null) {
            return List.of(event);
        }
        Instant now = event.time();
        Key key = Key.of(event);
        Window open = windows.get(key);
        if (open != null && now.isBefore(open.start.plus(window))) {
            if (open.count++ == 0) {
                open.first = now;
            }
            open.last = event;
            return List.of();
        }
        List<Event> out = new ArrayList<>();
        if (open != null) {
            windows.remove(key);
            aggregate(open).ifPresent(out::add);
        }
        Budget budget = budgets.computeIfAbsent(event.containerId(), id -> new Budget(now));
        if (!now.isBefore(budget.start.plus(window))) {
            overflow(budget).ifPresent(out::add);
            budget.start = now;
            budget.delivered = 0;
        }
        if (budget.delivered < perContainer) {
            budget.delivered++;
            windows.put(key, new Window(now));
            out.add(event);
        } else {
            if (budget.over++ == 0) {
                budget.firstOver = now;
            }
            budget.lastOver = now;
            budget.sample = event;
        }
        return out;
    }

    /** Aggregates and overflow counts whose window closed before {@code now}. */
    public List<Event> due(Instant now) {
        List<Event> out = new ArrayList<>();
        for (Iterator<Window> it = windows.values().iterator(); it.hasNext(); ) {
            Window open = it.next();
            if (!now.isBefore(open.start.plus(window))) {
                it.remove();
                aggregate(open).ifPresent(out::add);
            }
        }
        for (Iterator<Budget> it = budgets.values().iterator(); it.hasNext(); ) {
            Budget budget = it.next();
            if (!now.isBefore(budget.start.plus(window))) {
                it.remove();
                overflow(budget).ifPresent(out::add);
            }
        }
        return out;
    }

    /** Everything still counted, at shutdown. */
    public List<Event> flush() {
        return due(Instant.MAX);
    }

    private static Optional<Event> aggregate(Window open) {
        if (open.count == 0) {
            return Optional.empty();
        }
        Event last = open.last;
        return Optional.of(new Event(last.time(), last.host(), last.kind(), last.action(), last.severity(),
                last.containerId(), last.containerName(), last.image(), last.imageId(), last.policy(), last.rule(),
                last.process(), last.message() + " (" + open.count + " more times from " + open.first + " to " + last.time() + ")",
                last.details(), new Repeats(open.count, open.first, last.time())));
    }

    private Optional<Event> overflow(Budget budget) {
        if (budget.over == 0) {
            return Optional.empty();
        }
        Event sample = budget.sample;
        Event event = Event.builder(EventKind.DAEMON, EventAction.ALERTED, Severity.HIGH)
                .time(budget.lastOver)
                .container(sample.containerId(), sample.containerName(), sample.image(), sample.imageId())
                .detail("dropped", Long.toString(budget.over))
                .repeats(new Repeats(budget.over, budget.firstOver, budget.lastOver))
                .message(budget.over + " events of container " + sample.containerName() + " were not recorded one by one: more than "
                        + perContainer + " different events in " + window.toSeconds() + "s (rate limit); the last was: "
                        + sample.message())
                .build();
        budget.over = 0;
        return Optional.of(event);
    }
}
