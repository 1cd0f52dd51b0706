package io.driftguard.daemon.policy;

import java.util.List;
import java.util.Map;

/**
 * Which containers a policy selects. Selectors are ANDed; within one selector any entry may match.
 * A match with no selector selects every container.
 */
public record Match(Map<String, String> labels, List<Glob> images, List<Glob> names) {
    public Match {
        labels = Map.copyOf(labels);
        images = List.copyOf(images);
        names = List.copyOf(names);
    }

    public boolean selects(ContainerFacts container) {
        for (Map.Entry<String, String> label : labels.entrySet()) {
            if (!label.getValue().equals(container.labels().get(label.getKey()))) {
                return false;
            }
        }
        if (!images.isEmpty() && images.stream().noneMatch(g -> imageMatches(g, container.image()))) {
            return false;
        }
        return names.isEmpty() || names.stream().anyMatch(g -> g.matches(container.name()));
    }

    /** "nginx:*" must select a container run as plain "nginx", which Docker reads as nginx:latest. */
    private static boolean imageMatches(Glob glob, String image) {
        if (glob.matches(image)) {
            return true;
        }
        String last = image.substring(image.lastIndexOf('/') + 1);
        return !last.contains(":") && !image.contains("@") && glob.matches(image + ":latest");
    }
}
