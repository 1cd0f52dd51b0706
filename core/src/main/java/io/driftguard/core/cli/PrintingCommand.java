package io.driftguard.core.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** A command that prints to the streams its command line was given (tests pass their own), never to System.out. */
public abstract class PrintingCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    /** Standard output as the command line was given it. */
    protected PrintWriter out() {
        return spec.commandLine().getOut();
    }

    protected PrintWriter err() {
        return spec.commandLine().getErr();
    }
}
