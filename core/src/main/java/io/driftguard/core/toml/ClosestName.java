package io.driftguard.core.toml;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/** The known name a misspelt one was probably meant to be, for "did you mean" in unknown-key errors. */
public final class ClosestName {
    private ClosestName() {
    }

    /**
     * The name of {@code known} nearest to {@code name} by edit distance (case ignored), if it is
     * near enough to be a slip rather than another word: at most 1 edit for short names, 2 from
     * 5 characters, a quarter of the length for long ones. Ties go to the first in {@code known}.
     */
    public static Optional<String> of(String name, Collection<String> known) {
        String wanted = name.toLowerCase(Locale.ROOT);
        int limit = wanted.length() < 5 ? 1 : Math.max(2, wanted.length() / 4);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : known) {
            int distance = distance(wanted, candidate.toLowerCase(Locale.ROOT));
            if (distance <= limit && distance < bestDistance) {
                best = candidate;
                bestDistance = distance;
            }
        }
        return Optional.ofNullable(best);
    }

    /** "; did you mean 'x'?" for a problem message, or nothing. */
    public static String hint(String name, Collection<String> known) {
        return of(name, known).map(n -> "; did you mean '" + n + "'?").orElse("");
    }

    /** Edit distance where a swap of two neighbours counts as one edit, as typing slips do (optimal string alignment). */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(d[i - 1][j - 1] + cost, Math.min(d[i - 1][j], d[i][j - 1]) + 1);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
