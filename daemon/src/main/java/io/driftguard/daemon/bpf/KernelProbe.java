package io.driftguard.daemon.bpf;

import java.util.EnumMap;
import java.util.Map;
import java.util.Set;

/**
 * Loads each program of probe.bpf.o alone (and attaches the tracing ones for a moment) to learn
 * which mechanisms this kernel allows. Every probe program returns at once and changes nothing.
 */
final class KernelProbe {
    private static final String OBJECT = "/io/driftguard/daemon/bpf/probe.bpf.o";

    private KernelProbe() {
    }

    static BpfProbe run() {
        Map<Mechanism, BpfProbe.Result> results = new EnumMap<>(Mechanism.class);
        for (Mechanism m : Mechanism.values()) {
            results.put(m, probe(m));
        }
        return new BpfProbe(results);
    }

    private static BpfProbe.Result probe(Mechanism m) {
        try (BpfObject object = BpfObject.load(OBJECT, Set.of(m.probeProgram()))) {
            if (m.attachInProbe()) {
                object.attach(m.probeProgram()).close();
            }
            return new BpfProbe.Result(true, "ok");
        } catch (BpfException e) {
            return new BpfProbe.Result(false, e.getMessage().lines().findFirst().orElse(""));
        }
    }
}
