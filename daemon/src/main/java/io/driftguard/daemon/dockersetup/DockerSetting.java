package io.driftguard.daemon.dockersetup;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One change driftguard makes to Docker's daemon.json, applied and removed as a unit by
 * {@code driftguard docker setup} and {@code undo}. Each only touches its own entries, so that
 * settings of other tools and of the user stay as they are.
 */
public interface DockerSetting {
    /** For messages: "authorization plugin driftguard". */
    String description();

    /** Throws {@link SetupException} saying why applying it now would break Docker (its socket does not answer). */
    void checkReady() throws SetupException;

    boolean isApplied(ObjectNode daemonJson);

    void apply(ObjectNode daemonJson);

    void remove(ObjectNode daemonJson);
}
