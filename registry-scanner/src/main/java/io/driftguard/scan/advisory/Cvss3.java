package io.driftguard.scan.advisory;

import io.driftguard.core.event.Severity;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** The CVSS v3.0/v3.1 base score of a vector (FIRST's specification, section 7) and its rating. */
final class Cvss3 {
    private Cvss3() {
    }

    /** Empty when the vector is not a complete CVSS 3 base vector. */
    static Optional<Double> baseScore(String vector) {
        if (!vector.startsWith("CVSS:3.")) {
            return Optional.empty();
        }
        Map<String, String> m = new HashMap<>();
        for (String part : vector.split("/")) {
            int colon = part.indexOf(':');
            if (colon > 0) {
                m.put(part.substring(0, colon), part.substring(colon + 1));
            }
        }
        boolean changed = "C".equals(m.get("S"));
        Double av = weight(m.get("AV"), "N", 0.85, "A", 0.62, "L", 0.55, "P", 0.2);
        Double ac = weight(m.get("AC"), "L", 0.77, "H", 0.44);
        Double pr = weight(m.get("PR"), "N", 0.85, "L", changed ? 0.68 : 0.62, "H", changed ? 0.5 : 0.27);
        Double ui = weight(m.get("UI"), "N", 0.85, "R", 0.62);
        Double c = weight(m.get("C"), "H", 0.56, "L", 0.22, "N", 0.0);
        Double i = weight(m.get("I"), "H", 0.56, "L", 0.22, "N", 0.0);
        Double a = weight(m.get("A"), "H", 0.56, "L", 0.22, "N", 0.0);
        if (av == null || ac == null || pr == null || ui == null || c == null || i == null || a == null || !m.containsKey("S")) {
            return Optional.empty();
        }
        double iss = 1 - (1 - c) * (1 - i) * (1 - a);
        double impact = changed ? 7.52 * (iss - 0.029) - 3.25 * Math.pow(iss - 0.02, 15) : 6.42 * iss;
        double exploitability = 8.22 * av * ac * pr * ui;
        if (impact <= 0) {
            return Optional.of(0.0);
        }
        return Optional.of(roundUp(Math.min(changed ? 1.08 * (impact + exploitability) : impact + exploitability, 10)));
    }

    static Severity rating(double score) {
        if (score >= 9.0) {
            return Severity.CRITICAL;
        }
        if (score >= 7.0) {
            return Severity.HIGH;
        }
        return score >= 4.0 ? Severity.MEDIUM : Severity.LOW;
    }

    /** CVSS 3.1's Roundup, which avoids floating-point surprises by working in integers. */
    private static double roundUp(double value) {
        long scaled = Math.round(value * 100_000);
        return scaled % 10_000 == 0 ? scaled / 100_000.0 : (Math.floor(scaled / 10_000.0) + 1) / 10.0;
    }

    private static Double weight(String value, Object... pairs) {
        for (int k = 0; k < pairs.length; k += 2) {
            if (pairs[k].equals(value)) {
                return (Double) pairs[k + 1];
            }
        }
        return null;
    }
}
