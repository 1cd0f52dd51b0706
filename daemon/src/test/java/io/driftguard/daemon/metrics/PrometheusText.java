package io.driftguard.daemon.metrics;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict reader of Prometheus' text exposition format 0.0.4: every line is a HELP, a TYPE or a
 * sample of a family whose TYPE came first, with the format's name, label and value syntax; a
 * counter's samples end in {@code _total} (or {@code _created}), a histogram's are its buckets
 * (with {@code le}), sum and count. Anything else fails the test with the line.
 */
public final class PrometheusText {
    private static final String NAME = "[a-zA-Z_:][a-zA-Z0-9_:]*";
    private static final String LABEL = "[a-zA-Z_][a-zA-Z0-9_]*=\"(?:[^\"\\\\\\n]|\\\\[\\\\\"n])*\"";
    private static final String VALUE = "(?:[-+]?(?:[0-9]+(?:\\.[0-9]*)?|\\.[0-9]+)(?:[eE][-+]?[0-9]+)?|NaN|[-+]Inf)";
    private static final Pattern HELP = Pattern.compile("# HELP (" + NAME + ") .*");
    private static final Pattern TYPE = Pattern.compile("# TYPE (" + NAME + ") (counter|gauge|histogram|summary|untyped)");
    private static final Pattern SAMPLE = Pattern.compile("(" + NAME + ")(\\{(?:" + LABEL + "(?:," + LABEL + ")*,?)?})? (" + VALUE + ")( -?[0-9]+)?");

    private PrometheusText() {
    }

    /** Every sample, keyed by its name and labels as written ({@code name{a="b"}}). */
    public static Map<String, Double> parse(String text) {
        Map<String, String> types = new HashMap<>();
        Map<String, Double> samples = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            Matcher m;
            if (line.isEmpty() || HELP.matcher(line).matches()) {
                continue;
            }
            if ((m = TYPE.matcher(line)).matches()) {
                if (types.put(m.group(1), m.group(2)) != null) {
                    throw new AssertionError("a second TYPE line for " + m.group(1));
                }
            } else if ((m = SAMPLE.matcher(line)).matches()) {
                checkFamily(types, m.group(1), m.group(2) == null ? "" : m.group(2), line);
                if (samples.put(m.group(1) + (m.group(2) == null ? "" : m.group(2)), Double.parseDouble(m.group(3).replace("Inf", "Infinity"))) != null) {
                    throw new AssertionError("a sample twice: " + line);
                }
            } else {
                throw new AssertionError("not Prometheus text format: '" + line + "'");
            }
        }
        return samples;
    }

    private static void checkFamily(Map<String, String> types, String name, String labels, String line) {
        for (Map.Entry<String, String> family : types.entrySet()) {
            String base = family.getKey();
            boolean ok = switch (family.getValue()) {
                case "counter" -> name.equals(base) && base.endsWith("_total") || name.equals(base + "_total") || name.equals(base + "_created");
                case "histogram" -> name.equals(base + "_bucket") && labels.contains("le=\"") || name.equals(base + "_sum") || name.equals(base + "_count")
                        || name.equals(base + "_created");
                case "summary" -> name.equals(base) || name.equals(base + "_sum") || name.equals(base + "_count");
                default -> name.equals(base);
            };
            if (ok) {
                return;
            }
        }
        throw new AssertionError("sample of no declared family: " + line);
    }

    /** The sum of the samples of {@code name} whose labels contain every one of {@code labels} ({@code kind="process"}). */
    public static double sum(Map<String, Double> samples, String name, String... labels) {
        double total = 0;
        for (Map.Entry<String, Double> sample : samples.entrySet()) {
            String key = sample.getKey();
            if (!(key.equals(name) || key.startsWith(name + "{"))) {
                continue;
            }
            boolean all = true;
            for (String label : labels) {
                all &= key.contains(label);
            }
            if (all) {
                total += sample.getValue();
            }
        }
        return total;
    }
}
