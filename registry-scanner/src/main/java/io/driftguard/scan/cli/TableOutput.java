package io.driftguard.scan.cli;

import picocli.CommandLine.Option;

/**
 * The options of the commands that print a table, or JSON instead (a {@code @Mixin}): {@code --json},
 * "print the COMMAND as JSON" in the help, and {@code --wide}. A command whose answer has another
 * name gives the text in its resource bundle's {@code json} key, as {@code image} does.
 */
final class TableOutput {
    @Option(names = "--json", description = "print the ${COMMAND-NAME} as JSON")
    boolean json;

    @Option(names = "--wide", description = "do not cut the table to the terminal's width")
    boolean wide;
}
