package io.driftguard.scan.archfixture.drift;

import java.sql.Connection;

/** SQL outside the store. */
public class History {
    public Connection connection;
}
