package io.driftguard.scan.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.driftguard.core.cli.GroupCommand;
import io.driftguard.core.cli.JsonAnswer;
import io.driftguard.core.store.Database;
import io.driftguard.scan.advisory.OsvImport;
import io.driftguard.scan.config.ScanConfig;
import io.driftguard.scan.store.AdvisoryStore;
import io.driftguard.scan.store.ImportRecord;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code db import} and {@code db status}: the offline OSV advisory database. */
@Command(name = "db", mixinStandardHelpOptions = true, description = "Import OSV advisories, or show what was imported.",
        subcommands = {DbCommand.Import.class, DbCommand.Status.class})
final class DbCommand extends GroupCommand {
    DbCommand() {
        super("import or status");
    }

    @Command(name = "import", mixinStandardHelpOptions = true,
            description = "Import OSV all.zip archives or folders of OSV JSON files (advisories of the same id are replaced).")
    static final class Import extends ConfiguredCommand {

        @Parameters(paramLabel = "FILE_OR_DIR", arity = "1..*", description = "an OSV all.zip, or a folder of OSV .json files")
        List<Path> sources;

        @Option(names = "--json", description = "print each import (or why it failed) as JSON")
        boolean json;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = out();
            PrintWriter err = err();
            ScanConfig scan = config.read();
            int code = ExitCodes.OK;
            ArrayNode imports = JsonAnswer.object().putArray("imports");
            try (Database database = ConfigOption.open(scan)) {
                OsvImport importer = new OsvImport(new AdvisoryStore(database), Clock.systemUTC());
                for (Path source : sources) {
                    if (!Files.exists(source)) {
                        failed(imports, source, "does not exist", err);
                        code = ExitCodes.CANNOT_RUN;
                        continue;
                    }
                    long start = System.nanoTime();
                    OsvImport.Result result;
                    try {
                        result = importer.importFrom(source);
                    } catch (java.io.IOException e) {
                        failed(imports, source, e.getMessage(), err);
                        code = ExitCodes.CANNOT_RUN;
                        continue;
                    }
                    ImportRecord r = result.record();
                    if (json) {
                        ObjectNode o = record(imports.addObject(), r).put("seconds", (System.nanoTime() - start) / 1e9)
                                .put("unusable", result.unusable());
                        result.problems().forEach(o.putArray("problems")::add);
                        if (result.unusable() > 0) {
                            code = ExitCodes.CANNOT_RUN;
                        }
                        continue;
                    }
                    out.printf("imported %d advisories (%s) from %s, sha256 %s, in %.1f s%n", r.advisories(),
                            r.ecosystems().isEmpty() ? "no ecosystem" : r.ecosystems(), r.source(), r.sha256(),
                            (System.nanoTime() - start) / 1e9);
                    if (result.unusable() > 0) {
                        err.println(source + ": " + result.unusable() + " files were not usable advisories and were skipped:");
                        result.problems().forEach(p -> err.println("  " + p));
                        code = ExitCodes.CANNOT_RUN;
                    }
                }
            }
            if (json) {
                out.println(JsonAnswer.object().set("imports", imports));
            }
            return code;
        }

        /** A source that could not be imported: on stderr, or in the JSON answer with --json. */
        private void failed(ArrayNode imports, Path source, String why, PrintWriter err) {
            if (json) {
                imports.addObject().put("source", source.toString()).put("error", why);
            } else {
                err.println("driftguard-scan db import: " + source + ": " + why);
            }
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true, description = "Show what was imported, from which file, and how old it is.")
    static final class Status extends ConfiguredCommand {

        @Option(names = "--json", description = "print the status as JSON")
        boolean json;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = out();
            ScanConfig scan = config.read();
            try (Database database = ConfigOption.open(scan)) {
                AdvisoryStore store = new AdvisoryStore(database);
                List<ImportRecord> imports = store.imports();
                if (json) {
                    return json(out, scan, store, imports);
                }
                if (imports.isEmpty()) {
                    out.println("no advisories imported; run: driftguard-scan db import FILE_OR_DIR");
                    return ExitCodes.FINDINGS;
                }
                Map<String, Long> counts = store.countsByEcosystem();
                out.println("advisories by ecosystem:");
                counts.forEach((ecosystem, n) -> out.println("  " + ecosystem + ": " + n));
                out.println("imports:");
                for (ImportRecord r : imports) {
                    out.println("  " + r.imported() + "  " + r.source() + "  sha256 " + r.sha256() + "  " + r.advisories()
                            + " advisories, newest modified " + r.newestModified());
                }
                Instant last = imports.get(imports.size() - 1).imported();
                Duration age = Duration.between(last, Instant.now());
                boolean old = age.compareTo(scan.images().maxDbAge()) > 0;
                out.println("age: " + age.toDays() + " days since the last import (max_db_age " + scan.images().maxDbAge().toDays()
                        + " days)" + (old ? "; WARNING: older than max_db_age, import fresh archives" : ""));
                return old ? ExitCodes.FINDINGS : ExitCodes.OK;
            }
        }

        /**
         * {@code {"advisories": [{"ecosystem", "count"}], "imports": [...], "age_days", "max_db_age_days", "too_old"}};
         * exit codes as without.
         */
        private static int json(PrintWriter out, ScanConfig scan, AdvisoryStore store, List<ImportRecord> imports) throws Exception {
            ObjectNode root = JsonAnswer.object();
            ArrayNode counts = root.putArray("advisories");
            store.countsByEcosystem().forEach((ecosystem, n) -> counts.addObject().put("ecosystem", ecosystem).put("count", n));
            ArrayNode list = root.putArray("imports");
            imports.forEach(r -> record(list.addObject(), r));
            root.put("max_db_age_days", scan.images().maxDbAge().toDays());
            if (imports.isEmpty()) {
                root.putNull("age_days").put("too_old", true);
                out.println(root);
                return ExitCodes.FINDINGS;
            }
            Duration age = Duration.between(imports.get(imports.size() - 1).imported(), Instant.now());
            boolean old = age.compareTo(scan.images().maxDbAge()) > 0;
            root.put("age_days", age.toDays()).put("too_old", old);
            out.println(root);
            return old ? ExitCodes.FINDINGS : ExitCodes.OK;
        }
    }

    private static ObjectNode record(ObjectNode o, ImportRecord r) {
        return o.put("source", r.source()).put("sha256", r.sha256()).put("imported", r.imported().toString())
                .put("advisories", r.advisories()).put("newest_modified", r.newestModified() == null ? null : r.newestModified().toString())
                .put("ecosystems", r.ecosystems());
    }
}
