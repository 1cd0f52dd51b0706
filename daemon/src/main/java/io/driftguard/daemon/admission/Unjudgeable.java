package io.driftguard.daemon.admission;

/** A request the plugin cannot judge safely; it is denied with this reason. */
final class Unjudgeable extends RuntimeException {
    Unjudgeable(String reason) {
        super(reason, null, false, false);
    }
}
