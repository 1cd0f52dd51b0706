package io.driftguard.daemon.cli;

import io.driftguard.core.cli.JsonAnswer;
import io.driftguard.core.toml.ConfigException;
import java.io.PrintWriter;

/** How the commands that validate files (config check, policy check, policy publish) answer a rejected one. */
final class Rejected {
    private Rejected() {
    }

    /**
     * With {@code json}, the problems as JSON on {@code out}; else each problem, then their count and
     * {@code consequence}, on {@code err}. Returns the exit code, 1.
     */
    static int report(ConfigException e, boolean json, PrintWriter out, PrintWriter err, String consequence) {
        if (json) {
            out.println(JsonAnswer.problems(e));
            return 1;
        }
        err.println(e.getMessage());
        err.println(e.problems().size() + " problem(s); " + consequence);
        return 1;
    }
}
