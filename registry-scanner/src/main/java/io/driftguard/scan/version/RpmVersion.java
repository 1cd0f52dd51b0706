package io.driftguard.scan.version;

/**
 * RPM ordering: {@code [epoch:]version[-release]}, epoch as a number, version and release by
 * rpm's rpmvercmp (rpmio/rpmvercmp.c): runs of digits or letters, separators ignored, numbers
 * beat letters, {@code ~} sorts before the end and {@code ^} after it but before anything else.
 */
final class RpmVersion {
    private RpmVersion() {
    }

    static int compare(String a, String b) {
        String[] x = evr(a);
        String[] y = evr(b);
        int c = Long.compare(Long.parseLong(x[0]), Long.parseLong(y[0]));
        if (c != 0) {
            return c;
        }
        c = rpmvercmp(x[1], y[1]);
        return c != 0 ? c : rpmvercmp(x[2], y[2]);
    }

    /** {epoch, version, release}; a missing epoch is 0, a missing release is empty (sorts first). */
    private static String[] evr(String v) {
        String s = v.strip();
        String epoch = "0";
        int colon = s.indexOf(':');
        if (colon > 0 && colon <= 18 && s.substring(0, colon).chars().allMatch(Character::isDigit)) {
            epoch = s.substring(0, colon);
            s = s.substring(colon + 1);
        }
        int dash = s.lastIndexOf('-');
        return dash < 0 ? new String[] {epoch, s, ""} : new String[] {epoch, s.substring(0, dash), s.substring(dash + 1)};
    }

    static int rpmvercmp(String a, String b) {
        if (a.equals(b)) {
            return 0;
        }
        int i = 0;
        int j = 0;
        while (i < a.length() || j < b.length()) {
            while (i < a.length() && separator(a.charAt(i))) {
                i++;
            }
            while (j < b.length() && separator(b.charAt(j))) {
                j++;
            }
            int ca = at(a, i);
            int cb = at(b, j);
            if (ca == '~' || cb == '~') {
                if (ca != '~') {
                    return 1;
                }
                if (cb != '~') {
                    return -1;
                }
                i++;
                j++;
                continue;
            }
            if (ca == '^' || cb == '^') {
                if (ca == 0) {
                    return -1;
                }
                if (cb == 0) {
                    return 1;
                }
                if (ca != '^') {
                    return 1;
                }
                if (cb != '^') {
                    return -1;
                }
                i++;
                j++;
                continue;
            }
            if (ca == 0 || cb == 0) {
                break;
            }
            boolean numeric = isDigit(ca);
            int ei = i;
            int ej = j;
            while (ei < a.length() && (numeric ? isDigit(a.charAt(ei)) : isAlpha(a.charAt(ei)))) {
                ei++;
            }
            while (ej < b.length() && (numeric ? isDigit(b.charAt(ej)) : isAlpha(b.charAt(ej)))) {
                ej++;
            }
            if (ej == j) {
                // Different kinds of run: a number is newer than letters.
                return numeric ? 1 : -1;
            }
            String sa = a.substring(i, ei);
            String sb = b.substring(j, ej);
            if (numeric) {
                sa = sa.replaceFirst("^0+", "");
                sb = sb.replaceFirst("^0+", "");
                if (sa.length() != sb.length()) {
                    return sa.length() > sb.length() ? 1 : -1;
                }
            }
            int c = sa.compareTo(sb);
            if (c != 0) {
                return c < 0 ? -1 : 1;
            }
            i = ei;
            j = ej;
        }
        if (i >= a.length() && j >= b.length()) {
            return 0;
        }
        return i >= a.length() ? -1 : 1;
    }

    private static boolean separator(char c) {
        return !isDigit(c) && !isAlpha(c) && c != '~' && c != '^';
    }

    private static int at(String s, int i) {
        return i < s.length() ? s.charAt(i) : 0;
    }

    private static boolean isDigit(int c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isAlpha(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }
}
