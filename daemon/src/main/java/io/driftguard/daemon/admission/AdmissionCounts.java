package io.driftguard.daemon.admission;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/** How many requests the plugin judged, and how: for status and for the events' counts. */
final class AdmissionCounts {
    final AtomicLong requests = new AtomicLong();
    final AtomicLong allowed = new AtomicLong();
    final AtomicLong denied = new AtomicLong();
    final AtomicLong alerted = new AtomicLong();
    /** Denied because the request could not be judged (missing or unsafe body, old API, engine did not answer). */
    final AtomicLong unjudgeable = new AtomicLong();

    Map<String, Long> snapshot() {
        Map<String, Long> result = new LinkedHashMap<>();
        result.put("requests", requests.get());
        result.put("allowed", allowed.get());
        result.put("denied", denied.get());
        result.put("alerted", alerted.get());
        result.put("unjudgeable", unjudgeable.get());
        return result;
    }
}
