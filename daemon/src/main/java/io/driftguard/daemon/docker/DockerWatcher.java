package io.driftguard.daemon.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Event;
import com.github.dockerjava.api.model.EventType;
import io.driftguard.core.log.Log;
import io.driftguard.core.model.ContainerId;
import java.io.Closeable;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Follows Docker's container events and reports them to a {@link ContainerListener}: created,
 * started, stopped (die and destroy), removed, renamed, and the full lists on every connect (so
 * that kernel rules can be in place before a container's first exec). When the socket drops or dockerd restarts it
 * reconnects with backoff, subscribes first and lists second, so that no container that started
 * meanwhile is missed.
 */
public final class DockerWatcher implements AutoCloseable {
    private static final Log LOG = Log.of(DockerWatcher.class);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

    private final DockerClient docker;
    private final ContainerInspector inspector;
    private final ContainerListener listener;
    private final Thread thread;
    private final CountDownLatch firstSync = new CountDownLatch(1);
    private volatile boolean connected;
    private volatile boolean stopping;
    private volatile Closeable stream;

    /** A watcher on its own client of the engine at {@code socket}; {@link #close} closes both. */
    public static DockerWatcher open(String socket, ContainerListener listener) {
        return new DockerWatcher(DockerConnection.open(socket), listener);
    }

    private DockerWatcher(DockerClient docker, ContainerListener listener) {
        this.docker = docker;
        this.inspector = new ContainerInspector(docker);
        this.listener = listener;
        this.thread = new Thread(this::run, "driftguard-docker");
        this.thread.setDaemon(true);
    }

    public void start() {
        thread.start();
    }

    /** Waits until the first list of running containers was applied (or the timeout passed). */
    public boolean awaitFirstSync(Duration timeout) throws InterruptedException {
        return firstSync.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    public boolean connected() {
        return connected;
    }

    /** A container as the engine lists it, without waiting on its lock; safe while the container starts. */
    public Optional<KnownContainer> listed(ContainerId id) {
        try {
            return inspector.listed(id);
        } catch (RuntimeException e) {
            LOG.warn("listing container " + id + ": " + e.getMessage());
            return Optional.empty();
        }
    }

    private void run() {
        Duration backoff = Duration.ofSeconds(1);
        while (!stopping) {
            CountDownLatch ended = new CountDownLatch(1);
            try {
                stream = docker.eventsCmd()
                        .withEventTypeFilter(EventType.CONTAINER)
                        .withEventFilter("create", "start", "die", "destroy", "rename")
                        .exec(new ResultCallback.Adapter<Event>() {
                            @Override
                            public void onNext(Event event) {
                                handle(event);
                            }

                            @Override
                            public void onError(Throwable error) {
                                if (!stopping) {
                                    LOG.warn("Docker event stream failed: " + error.getMessage());
                                }
                                ended.countDown();
                            }

                            @Override
                            public void onComplete() {
                                ended.countDown();
                            }
                        });
                listener.known(inspector.all());
                List<ContainerInfo> running = inspector.running();
                listener.resynced(running);
                if (!connected) {
                    LOG.info("connected to Docker; " + running.size() + " running containers");
                }
                connected = true;
                firstSync.countDown();
                backoff = Duration.ofSeconds(1);
                ended.await();
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.warn("cannot reach Docker: " + e.getMessage());
            } finally {
                closeStream();
            }
            if (stopping) {
                return;
            }
            if (connected) {
                LOG.warn("lost the Docker connection; reconnecting");
            }
            connected = false;
            try {
                Thread.sleep(backoff.toMillis());
            } catch (InterruptedException e) {
                return;
            }
            backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
        }
    }

    private void handle(Event event) {
        String id = event.getId();
        String action = event.getAction() != null ? event.getAction() : event.getStatus();
        if (id == null || action == null) {
            return;
        }
        try {
            switch (action) {
                // The list, not inspect: inspect waits for the container's lock, which dockerd holds
                // while it starts the container, and the template must be in place before that.
                case "create" -> inspector.listed(ContainerId.parse(id)).ifPresent(listener::created);
                case "start" -> inspector.inspect(id).ifPresent(listener::started);
                case "die" -> listener.stopped(ContainerId.parse(id));
                case "destroy" -> {
                    listener.stopped(ContainerId.parse(id));
                    listener.removed(ContainerId.parse(id));
                }
                case "rename" -> {
                    String name = event.getActor() == null ? null : event.getActor().getAttributes().get("name");
                    if (name != null) {
                        listener.renamed(ContainerId.parse(id), name.replaceFirst("^/", ""));
                    }
                }
                default -> {
                }
            }
        } catch (RuntimeException e) {
            LOG.error("handling Docker event " + action + " of " + id + ": " + e.getMessage());
        }
    }

    private void closeStream() {
        Closeable current = stream;
        stream = null;
        if (current != null) {
            try {
                current.close();
            } catch (java.io.IOException | RuntimeException ignored) {
                // Already broken.
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        stopping = true;
        closeStream();
        thread.interrupt();
        thread.join(TimeUnit.SECONDS.toMillis(5));
        try {
            docker.close();
        } catch (java.io.IOException e) {
            LOG.warn("closing the Docker client: " + e.getMessage());
        }
    }
}
