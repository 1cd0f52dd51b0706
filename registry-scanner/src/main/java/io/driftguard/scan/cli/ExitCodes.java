package io.driftguard.scan.cli;

/** The program's exit codes, shared by all commands. */
final class ExitCodes {
    static final int OK = 0;
    static final int FINDINGS = 1;
    static final int CANNOT_RUN = 2;

    private ExitCodes() {
    }
}
