package io.driftguard.core.store;

import java.sql.Connection;
import java.sql.SQLException;

/** Statements on one connection as one transaction, the connection back in auto-commit after. */
public final class Transaction {
    private Transaction() {
    }

    /** What runs inside the transaction. */
    @FunctionalInterface
    public interface Work {
        void run() throws SQLException;
    }

    /** Commits what {@code work} did if it returns; rolls it back if it throws, and rethrows. */
    public static void run(Connection db, Work work) throws SQLException {
        db.setAutoCommit(false);
        try {
            work.run();
            db.commit();
        } catch (SQLException | RuntimeException e) {
            db.rollback();
            throw e;
        } finally {
            db.setAutoCommit(true);
        }
    }
}
