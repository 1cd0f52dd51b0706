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

    /** Throws when the file holds something that applying it would silently override. */
    default void checkCompatible(ObjectNode daemonJson) throws SetupException {
    }

    boolean isApplied(ObjectNode daemonJson);

    void apply(ObjectNode daemonJson);

    void remove(ObjectNode daemonJson);

    /**
     * What undo must leave in the original file (restored from the backup) so that reloaded
     * dockerd really stops using the setting; true when that changed the tree.
     */
    default boolean leaveOnUndo(ObjectNode original) {
        return false;
    }
}
