package io.driftguard.scan.version;

/**
 * Alpine ordering as apk-tools compares versions (src/version.c):
 * {@code digit{.digit}...{letter}{_suffix{number}}...{-r#}}. Pre-release suffixes
 * (alpha, beta, pre, rc) sort before the bare version, post-release ones (cvs, svn, git, hg, p)
 * after it; leading zeros after a dot make a component older (1.01 before 1.1, 1.001 before 1.01).
 * Text apk would call invalid ends the comparison at that point, as in apk.
 */
final class ApkVersion {
    private static final String[] PRE = {"alpha", "beta", "pre", "rc"};
    private static final String[] POST = {"cvs", "svn", "git", "hg", "p"};

    /** Token kinds in apk's order: a longer version wins unless its next token is a pre-release suffix. */
    private enum Kind { INVALID, DIGIT_OR_ZERO, DIGIT, LETTER, SUFFIX, SUFFIX_NO, REVISION_NO, END }

    private ApkVersion() {
    }

    static int compare(String a, String b) {
        Cursor x = new Cursor(a.strip());
        Cursor y = new Cursor(b.strip());
        long av = 0;
        long bv = 0;
        while (x.kind == y.kind && x.kind != Kind.END && x.kind != Kind.INVALID && av == bv) {
            av = x.token();
            bv = y.token();
        }
        if (av != bv) {
            return av < bv ? -1 : 1;
        }
        if (x.kind == y.kind) {
            return 0;
        }
        if (x.kind == Kind.SUFFIX && x.copy().token() < 0) {
            return -1;
        }
        if (y.kind == Kind.SUFFIX && y.copy().token() < 0) {
            return 1;
        }
        return x.kind.compareTo(y.kind) > 0 ? -1 : 1;
    }

    private static final class Cursor {
        private final String s;
        private int pos;
        private Kind kind = Kind.DIGIT;

        Cursor(String s) {
            this.s = s;
            if (s.isEmpty()) {
                kind = Kind.END;
            }
        }

        Cursor copy() {
            Cursor c = new Cursor(s);
            c.pos = pos;
            c.kind = kind;
            return c;
        }

        /** The value of the token at the cursor; moves past it and sets the kind of the next one. */
        long token() {
            if (pos >= s.length()) {
                kind = Kind.END;
                return 0;
            }
            long value = 0;
            Kind next = null;
            switch (kind) {
                case DIGIT_OR_ZERO:
                    if (s.charAt(pos) == '0') {
                        // All leading zeros but the last count against the component; the rest reads as a number.
                        int skipped = 0;
                        while (pos + 1 < s.length() && s.charAt(pos + 1) == '0') {
                            pos++;
                            skipped++;
                        }
                        value = -skipped;
                        next = Kind.DIGIT;
                        break;
                    }
                    value = number();
                    break;
                case DIGIT, SUFFIX_NO, REVISION_NO:
                    value = number();
                    break;
                case LETTER:
                    value = s.charAt(pos++);
                    break;
                case SUFFIX:
                    value = suffix();
                    if (kind == Kind.INVALID) {
                        return -1;
                    }
                    break;
                default:
                    kind = Kind.INVALID;
                    return -1;
            }
            if (pos >= s.length()) {
                kind = Kind.END;
            } else if (next != null) {
                kind = next;
            } else {
                advance();
            }
            return value;
        }

        private long number() {
            long v = 0;
            while (pos < s.length() && isDigit(s.charAt(pos))) {
                v = Math.min(v * 10 + (s.charAt(pos++) - '0'), Long.MAX_VALUE / 20);
            }
            return v;
        }

        private long suffix() {
            for (int i = 0; i < PRE.length; i++) {
                if (s.startsWith(PRE[i], pos)) {
                    pos += PRE[i].length();
                    return i - PRE.length;
                }
            }
            for (int i = 0; i < POST.length; i++) {
                if (s.startsWith(POST[i], pos)) {
                    pos += POST[i].length();
                    return i;
                }
            }
            kind = Kind.INVALID;
            return -1;
        }

        /** apk's next_token: what kind of token starts at the cursor, given the one before. */
        private void advance() {
            char c = s.charAt(pos);
            Kind n = Kind.INVALID;
            if ((kind == Kind.DIGIT || kind == Kind.DIGIT_OR_ZERO) && c >= 'a' && c <= 'z') {
                n = Kind.LETTER;
            } else if (kind == Kind.LETTER && isDigit(c)) {
                n = Kind.DIGIT;
            } else if (kind == Kind.SUFFIX && isDigit(c)) {
                n = Kind.SUFFIX_NO;
            } else {
                if (c == '.') {
                    n = Kind.DIGIT_OR_ZERO;
                } else if (c == '_') {
                    n = Kind.SUFFIX;
                } else if (c == '-' && pos + 1 < s.length() && s.charAt(pos + 1) == 'r') {
                    n = Kind.REVISION_NO;
                    pos++;
                }
                pos++;
            }
            if (n.compareTo(kind) < 0 && !((n == Kind.DIGIT_OR_ZERO && kind == Kind.DIGIT)
                    || (n == Kind.SUFFIX && kind == Kind.SUFFIX_NO) || (n == Kind.DIGIT && kind == Kind.LETTER))) {
                n = Kind.INVALID;
            }
            kind = n;
        }
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
