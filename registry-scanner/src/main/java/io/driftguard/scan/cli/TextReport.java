package io.driftguard.scan.cli;

import io.driftguard.core.text.Printable;
import io.driftguard.scan.run.Finding;
import io.driftguard.scan.run.RunSummary;
import java.util.List;

/** The {@code run} report without {@code --json}, for stderr: a line per finding, then the summary. */
final class TextReport {
    private TextReport() {
    }

    static String of(List<Finding> findings, RunSummary summary) {
        StringBuilder out = new StringBuilder();
        // Messages hold image-chosen text (file paths, account names). Under the unit stderr is the
        // journal, where each line is an entry and a leading "<0>" sets its priority: a newline
        // in a path must not start a forged entry.
        findings.forEach(f -> out.append(f.type().wire()).append(": ").append(Printable.escape(f.message())).append('\n'));
        return out.append(summary.text()).toString();
    }
}
