package io.driftguard.daemon.admission;

/**
 * A host path a container would see: {@code source} on the host, {@code how} as the user wrote
 * it ("-v", "--mount type=bind", "volume NAME (local bind)"), for messages.
 */
record HostMount(String source, String target, String how) {
}
