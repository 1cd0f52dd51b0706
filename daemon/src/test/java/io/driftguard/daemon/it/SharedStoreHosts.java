package io.driftguard.daemon.it;

import io.driftguard.core.event.Event;
import io.driftguard.core.event.EventAction;
import io.driftguard.core.event.EventKind;
import io.driftguard.core.event.Severity;
import io.driftguard.core.store.Database;
import io.driftguard.core.store.Retention;
import io.driftguard.core.store.StoreSettings;
import io.driftguard.core.testing.PostgresCluster;
import io.driftguard.daemon.app.DaemonConfig;
import io.driftguard.daemon.fleet.Fleet;
import io.driftguard.scan.store.ScannerStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Simulated hosts of a fleet without daemons: each a local cache in its own folder and a
 * {@link Fleet} link to one PostgreSQL cluster, configured as a daemon's driftguard.toml would.
 * Everything opened is closed, newest first.
 */
final class SharedStoreHosts implements AutoCloseable {
    private final PostgresCluster cluster;
    private final Path dir;
    private final List<AutoCloseable> open = new ArrayList<>();

    SharedStoreHosts(PostgresCluster cluster, Path dir) {
        this.cluster = cluster;
        this.dir = dir;
    }

    /** One host: its id, local cache, link, and the events its link published. */
    record Host(String id, Database local, Fleet fleet, List<Event> events) {
        void publish(int n, String tag) throws Exception {
            for (int i = 0; i < n; i++) {
                fleet.outbox().accept(Event.builder(EventKind.PROCESS, EventAction.BLOCKED, Severity.HIGH).host(id)
                        .container("c0ffee", "web", "nginx:1", "sha256:" + "ab".repeat(32)).message(tag + " " + i).build());
            }
        }
    }

    synchronized Host host(String name) throws Exception {
        DaemonConfig settings = DaemonConfig.load(config(name, "[daemon]\nhost_id = \"host-" + name + "\"\n"));
        StoreSettings.Postgres shared = (StoreSettings.Postgres) settings.store();
        Database local = Database.open(shared.localCache());
        open.add(local);
        List<Event> events = new CopyOnWriteArrayList<>();
        Fleet fleet = Fleet.open(shared, settings.hostId(), local, Retention.DEFAULT, events::add);
        open.add(fleet);
        return new Host(settings.hostId(), local, fleet, events);
    }

    /** The shared store as a CLI on another machine opens it. */
    synchronized Database central() throws Exception {
        Database db = Database.open(DaemonConfig.load(config("central", "")).store());
        open.add(db);
        return db;
    }

    private Path config(String name, String more) throws Exception {
        Path home = Files.createDirectories(dir.resolve(name));
        Path password = home.resolve("store-password");
        Files.writeString(password, cluster.password() + "\n");
        Files.setPosixFilePermissions(password, PosixFilePermissions.fromString("rw-------"));
        Path config = home.resolve("driftguard.toml");
        Files.writeString(config, "[store]\npath = \"" + home.resolve("driftguard.db") + "\"\nurl = \"" + cluster.url() + "\"\n"
                + "user = \"" + PostgresCluster.USER + "\"\nssl_mode = \"disable\"\npassword_file = \"" + password + "\"\n" + more);
        return config;
    }

    /** The scanner's tables, made by its own migrations, with the triggers that announce changes. */
    static ScannerStore scannerTables(Database central) throws Exception {
        return new ScannerStore(central);
    }

    static long count(Database db, String sql) throws Exception {
        try (Connection c = db.connection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Override
    public synchronized void close() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }
}
