package io.driftguard.scan.version;

/**
 * Debian version ordering as deb-version(5) defines it: {@code [epoch:]upstream[-revision]}; the
 * epoch compares as a number, upstream and revision by alternating non-digit and digit runs, where
 * {@code ~} sorts before everything (even the end), letters before other characters.
 * No Java library covering dpkg, apk and rpm is kept up; io.github.nscuro:versatile covers Debian only.
 */
final class DpkgVersion {
    private DpkgVersion() {
    }

    static int compare(String a, String b) {
        Parts x = Parts.of(a);
        Parts y = Parts.of(b);
        int c = Long.compare(x.epoch, y.epoch);
        if (c != 0) {
            return c;
        }
        c = runs(x.upstream, y.upstream);
        return c != 0 ? c : runs(x.revision, y.revision);
    }

    private record Parts(long epoch, String upstream, String revision) {
        static Parts of(String v) {
            String s = v.strip();
            long epoch = 0;
            int colon = s.indexOf(':');
            if (colon > 0 && s.substring(0, colon).chars().allMatch(Character::isDigit) && colon <= 18) {
                epoch = Long.parseLong(s.substring(0, colon));
                s = s.substring(colon + 1);
            }
            int dash = s.lastIndexOf('-');
            return dash < 0 ? new Parts(epoch, s, "") : new Parts(epoch, s.substring(0, dash), s.substring(dash + 1));
        }
    }

    private static int order(int c) {
        if (isDigit(c)) {
            return 0;
        }
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
            return c;
        }
        if (c == '~') {
            return -1;
        }
        return c == 0 ? 0 : c + 256;
    }

    /** dpkg's verrevcmp: a character past the end reads as 0. */
    private static int runs(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() || j < b.length()) {
            while ((i < a.length() && !isDigit(at(a, i))) || (j < b.length() && !isDigit(at(b, j)))) {
                int ac = order(at(a, i));
                int bc = order(at(b, j));
                if (ac != bc) {
                    return Integer.signum(ac - bc);
                }
                i++;
                j++;
            }
            while (at(a, i) == '0') {
                i++;
            }
            while (at(b, j) == '0') {
                j++;
            }
            int firstDiff = 0;
            while (isDigit(at(a, i)) && isDigit(at(b, j))) {
                if (firstDiff == 0) {
                    firstDiff = at(a, i) - at(b, j);
                }
                i++;
                j++;
            }
            if (isDigit(at(a, i))) {
                return 1;
            }
            if (isDigit(at(b, j))) {
                return -1;
            }
            if (firstDiff != 0) {
                return Integer.signum(firstDiff);
            }
        }
        return 0;
    }

    private static int at(String s, int i) {
        return i < s.length() ? s.charAt(i) : 0;
    }

    private static boolean isDigit(int c) {
        return c >= '0' && c <= '9';
    }
}
