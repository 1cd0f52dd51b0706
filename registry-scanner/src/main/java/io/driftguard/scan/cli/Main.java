package io.driftguard.scan.cli;

import io.driftguard.core.cli.CommandLines;
import io.driftguard.core.cli.GroupCommand;
import io.driftguard.core.cli.NestedHelp;
import io.driftguard.scan.hashing.NssDigests;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code driftguard-scan}: exit 0 no findings, 1 drift or tamper found, 2 the scan could not run (fully). */
@Command(name = "driftguard-scan", mixinStandardHelpOptions = true, version = "driftguard-scan 0.1.0",
        description = "Re-hashes registry content, flags tags whose digest moved away from the approved one, and scans images for vulnerable packages, misconfigurations and secrets against an offline OSV database.",
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:no findings", "1:drift or tamper found, or an image finding at or above [scan] fail_on", "2:the scan could not run, or part of it failed"})
public final class Main extends GroupCommand {
    /** The commands, in the order usage lists them. */
    static final List<Class<?>> COMMANDS = List.of(
            RunCommand.class, ApproveCommand.class, ApprovalsCommand.class, HistoryCommand.class, StatusCommand.class,
            ImageCommand.class, DbCommand.class, NestedHelp.class);

    /** The folder of NSS's libsoftokn3.so, set by bin/driftguard-scan. */
    static final String NSS_PROPERTY = "driftguard.scan.nss";

    public Main() {
        super("run, approve, history, status, image or db");
    }

    public static void main(String[] args) {
        keepAsyncThreads();
        keepConnections();
        nativeDigests();
        System.exit(execute(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }

    /**
     * The JDK's HTTP client completes each sendAsync answer on CompletableFuture's default pool,
     * which on fewer than 3 processors is a new thread per task: a thread per blob streamed (and
     * per tag, when HEADs went through it). With a common pool of 2 the answers reuse its threads. Before any
     * class reads the setting; a value the user gave wins.
     */
    private static void keepAsyncThreads() {
        String parallelism = "java.util.concurrent.ForkJoinPool.common.parallelism";
        if (System.getProperty(parallelism) == null && Runtime.getRuntime().availableProcessors() < 3) {
            System.setProperty(parallelism, "2");
        }
    }

    /**
     * Requests other than blobs go over HttpURLConnection, whose keep-alive cache keeps 5 idle
     * connections to a registry unless told otherwise: with a higher {@code concurrency}, every
     * request past the fifth in flight would open a connection of its own. 64 is the highest
     * {@code concurrency}; a value the user gave wins.
     */
    private static void keepConnections() {
        if (System.getProperty("http.maxConnections") == null) {
            System.setProperty("http.maxConnections", "64");
        }
    }

    /**
     * The launcher names the folder of NSS's softoken when it finds one: under C1 only, which it
     * then picks for short commands, the JDK's SHA-256 would be ten times slower than NSS's.
     */
    private static void nativeDigests() {
        String nss = System.getProperty(NSS_PROPERTY, "");
        if (!nss.isEmpty()) {
            NssDigests.install(Path.of(nss), warning -> System.err.println("driftguard-scan: warning: " + warning));
        }
    }

    /** Runs a command line with the given streams; used by main and by tests. */
    public static int execute(PrintWriter out, PrintWriter err, String... args) {
        return CommandLines.execute(new Main(), COMMANDS, ExitCodes.CANNOT_RUN, out, err, args);
    }

    /** The whole command tree, for tests that walk every command. */
    public static CommandLine commandLine() {
        return CommandLines.tree(new Main(), COMMANDS);
    }
}
