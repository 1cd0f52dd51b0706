package io.driftguard.daemon.archfixture.app;

import io.driftguard.daemon.archfixture.cli.Command;

/** app using the command line: nothing may use cli. */
public class Config {
    public Command command;
}
