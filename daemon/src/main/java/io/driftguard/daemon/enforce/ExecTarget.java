package io.driftguard.daemon.enforce;

/** A file a rule names, found in a container at attach time: which rule, asked as what. */
record ExecTarget(RuleRef rule, String requested, String resolvedPath) {
    /** "name sh, which is /bin/busybox here", or "path /usr/bin/nc". */
    String describe(String kind) {
        String base = kind + " " + requested;
        return requested.equals(resolvedPath) || resolvedPath.endsWith("/" + requested)
                ? base : base + ", which is " + resolvedPath + " here";
    }
}
