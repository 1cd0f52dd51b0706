package io.driftguard.daemon.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.exception.NotModifiedException;
import java.io.IOException;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Stops or restarts containers through the Docker API (POST /containers/ID/stop, /restart, with
 * {@link #GRACE_SECONDS} between SIGTERM and SIGKILL), on one thread of its own so that no
 * decision ever waits for Docker. One request per container at a time: the blocked execs of a
 * loop ask once. It never starts a container.
 */
public final class ContainerResponder implements AutoCloseable {
    /** Seconds Docker waits after SIGTERM before SIGKILL, as {@code docker stop -t 3}. */
    public static final int GRACE_SECONDS = 3;
    private static final int QUEUE = 64;

    /** What to do to the container. */
    public enum Response {
        STOP("stopped"),
        RESTART("restarted");

        private final String done;

        Response(String done) {
            this.done = done;
        }

        /** The past tense, as event details say it ("stopped"). */
        public String done() {
            return done;
        }
    }

    /** How a request ended: {@code error} is null when Docker did it. */
    public record Outcome(String containerId, Response response, String error) {
    }

    /** A container as Docker names it, for the answer to a request by hand. */
    public record Named(String id, String name) {
    }

    private final DockerClient docker;
    private final ThreadPoolExecutor worker;
    private final Set<String> pending = ConcurrentHashMap.newKeySet();

    private ContainerResponder(DockerClient docker) {
        this.docker = docker;
        this.worker = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(QUEUE), r -> {
            Thread t = new Thread(r, "driftguard-responses");
            t.setDaemon(true);
            return t;
        });
    }

    public static ContainerResponder open(String socket) {
        return new ContainerResponder(DockerConnection.open(socket));
    }

    /**
     * Queues {@code response} for the container; {@code done} gets the outcome on the responder's
     * thread. False (and no outcome) when a request for the container is still pending; a full
     * queue is an outcome with an error at once.
     */
    public boolean request(String containerId, Response response, Consumer<Outcome> done) {
        if (!pending.add(containerId)) {
            return false;
        }
        try {
            worker.execute(() -> {
                try {
                    done.accept(new Outcome(containerId, response, perform(containerId, response)));
                } finally {
                    pending.remove(containerId);
                }
            });
        } catch (RejectedExecutionException e) {
            pending.remove(containerId);
            done.accept(new Outcome(containerId, response, QUEUE + " container responses are waiting for Docker already"));
        }
        return true;
    }

    /** Stops the container now (for driftguard stop); a container that does not exist is an IOException saying so. */
    public Named stopNow(String nameOrId) throws IOException {
        InspectContainerResponse inspect;
        try {
            inspect = docker.inspectContainerCmd(nameOrId).exec();
        } catch (NotFoundException e) {
            throw new IOException("no such container: " + nameOrId);
        } catch (RuntimeException e) {
            throw new IOException("cannot look up container " + nameOrId + ": " + e.getMessage());
        }
        Named named = new Named(inspect.getId(), inspect.getName() == null ? nameOrId : inspect.getName().replaceFirst("^/", ""));
        String error = perform(named.id(), Response.STOP);
        if (error != null) {
            throw new IOException("cannot stop container " + named.name() + ": " + error);
        }
        return named;
    }

    /** Null when done (or when the container had stopped already), else Docker's reason. */
    private String perform(String containerId, Response response) {
        try {
            if (response == Response.STOP) {
                docker.stopContainerCmd(containerId).withTimeout(GRACE_SECONDS).exec();
            } else {
                docker.restartContainerCmd(containerId).withTimeout(GRACE_SECONDS).exec();
            }
            return null;
        } catch (NotModifiedException stoppedAlready) {
            return null;
        } catch (NotFoundException e) {
            return "the container is gone";
        } catch (RuntimeException e) {
            return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        worker.shutdownNow();
        worker.awaitTermination(GRACE_SECONDS + 2L, TimeUnit.SECONDS);
        docker.close();
    }
}
