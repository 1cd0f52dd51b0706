package io.driftguard.daemon.archfixture.cli;

/** The command line, which nothing may use. */
public class Command {
}
