package io.driftguard.daemon.cli;

import io.driftguard.core.cli.GroupCommand;
import io.driftguard.core.cli.JsonAnswer;
import io.driftguard.core.text.Printable;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.driftguard.core.config.Durations;
import io.driftguard.core.model.Digest;
import io.driftguard.daemon.baseline.BaselineFile;
import io.driftguard.daemon.baseline.BaselineStore;
import io.driftguard.daemon.baseline.ImageBaseline;
import io.driftguard.daemon.baseline.ProfileEntry;
import io.driftguard.daemon.baseline.ProfileState;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code driftguard baseline show|learn|reset IMAGE}: an image's file baseline and process profile. */
@Command(name = "baseline", mixinStandardHelpOptions = true,
        description = "Show an image's file baseline and process profile, start learning its profile, or forget it.",
        subcommands = {BaselineCommand.Show.class, BaselineCommand.Learn.class, BaselineCommand.Reset.class})
final class BaselineCommand extends GroupCommand {
    BaselineCommand() {
        super("show, learn or reset");
    }

    /** What every subcommand shares: the image argument, --json and the store. */
    abstract static class ImageCommand extends ConfiguredCommand {
        @Parameters(index = "0", paramLabel = "IMAGE", description = "Image reference (nginx:1.21.0) or id (sha256:...).")
        String image;

        @Option(names = "--json", description = "JSON instead of text.")
        boolean json;

        /** One line of text output; container-chosen names in it are escaped. */
        void print(String line) {
            out().println(Printable.escape(line));
        }

        /** Opens the configured store and runs {@code body} on the image's id; its result is the exit code. */
        Integer onImage(ImageBody body) throws Exception {
            return withStore((settings, store) -> {
                BaselineStore baselines = BaselineStore.on(store.database());
                return body.run(baselines, ImageArgument.resolve(settings, baselines, image));
            });
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "The image's baseline and profile.")
    static final class Show extends ImageCommand {
        @Option(names = "--files", description = "List every file of the baseline, not only the executables.")
        boolean allFiles;

        @Override
        public Integer call() throws Exception {
            return onImage((store, imageId) -> {
                Optional<ImageBaseline> baseline = store.load(imageId);
                Optional<ProfileState> state = store.profileState(imageId);
                List<ProfileEntry> entries = store.profileEntries(imageId);
                if (json) {
                    out().println(json(imageId, baseline, state, entries));
                    return 0;
                }
                print("Image " + image + " (" + imageId + ")");
                if (baseline.isEmpty()) {
                    print("File baseline: none yet (built when a container of the image is first attached"
                            + " by a drift policy, or by driftguard diff)");
                } else {
                    ImageBaseline b = baseline.get();
                    print("File baseline: " + b.files().size() + " files, " + b.executables() + " executable, built "
                            + b.builtAt() + " in " + b.buildMillis() + " ms");
                    b.files().values().stream().filter(f -> allFiles || f.isExecutable())
                            .sorted(java.util.Comparator.comparing(BaselineFile::path))
                            .forEach(f -> print(String.format("  %s %04o %d:%d %s", f.sha256(), f.mode(), f.uid(), f.gid(), f.path())));
                }
                print("Process profile: " + describe(state, entries.size()));
                for (ProfileEntry e : entries) {
                    print("  " + e.path() + " as " + e.invokedName() + ", parent " + e.parent() + ", uid " + e.uid()
                            + ", first seen " + e.firstSeen());
                }
                return 0;
            });
        }

        private static String describe(Optional<ProfileState> state, int known) {
            if (state.isEmpty()) {
                return known + " executables, not learning";
            }
            ProfileState s = state.get();
            return known + " executables, " + (s.learning(Instant.now(), known) ? "learning" : "enforcing")
                    + " (learning from " + s.learnFrom() + (s.learnUntil() == null ? "" : " until " + s.learnUntil())
                    + (s.learnCount() == null ? "" : ", at most " + s.learnCount() + " executables") + ")";
        }

        private String json(Digest imageId, Optional<ImageBaseline> baseline, Optional<ProfileState> state,
                            List<ProfileEntry> entries) {
            ObjectMapper mapper = new ObjectMapper();
            ObjectNode root = mapper.createObjectNode();
            root.put("image", image);
            root.put("image_id", imageId.toString());
            baseline.ifPresent(b -> {
                ObjectNode node = root.putObject("baseline");
                node.put("built_at", b.builtAt().toString());
                node.put("build_ms", b.buildMillis());
                node.put("files", b.files().size());
                node.put("executables", b.executables());
                ArrayNode files = node.putArray(allFiles ? "all_files" : "executable_files");
                b.files().values().stream().filter(f -> allFiles || f.isExecutable())
                        .sorted(java.util.Comparator.comparing(BaselineFile::path))
                        .forEach(f -> files.addObject().put("path", f.path()).put("sha256", f.sha256()).put("size", f.size())
                                .put("mode", String.format("%04o", f.mode())).put("uid", f.uid()).put("gid", f.gid()));
            });
            ObjectNode profile = root.putObject("profile");
            profile.put("learning", state.map(s -> s.learning(Instant.now(), entries.size())).orElse(false));
            state.ifPresent(s -> {
                profile.put("learn_from", s.learnFrom().toString());
                if (s.learnUntil() != null) {
                    profile.put("learn_until", s.learnUntil().toString());
                }
                if (s.learnCount() != null) {
                    profile.put("learn_count", s.learnCount());
                }
            });
            ArrayNode list = profile.putArray("executables");
            entries.forEach(e -> list.addObject().put("path", e.path()).put("sha256", e.sha256()).put("invoked_name", e.invokedName())
                    .put("parent", e.parent()).put("uid", e.uid()).put("first_seen", e.firstSeen().toString()));
            return root.toString();
        }
    }

    @Command(name = "learn", mixinStandardHelpOptions = true,
            description = {"Learn the image's process profile for a while, adding to what it holds.",
                    "A running daemon with a [policy.profile] on the image picks it up within seconds."})
    static final class Learn extends ImageCommand {
        @Option(names = "--for", required = true, paramLabel = "DURATION", description = "How long, e.g. 1h or 30m.")
        String duration;

        @Override
        public Integer call() throws Exception {
            Optional<Duration> length = Durations.parse(duration);
            if (length.isEmpty() || length.get().isZero()) {
                err().println("--for: '" + duration + "' is not a duration such as 1h or 30m");
                return 2;
            }
            return onImage((store, imageId) -> {
                Instant now = Instant.now();
                ProfileState state = new ProfileState(imageId, image, now, now.plus(length.get()), null);
                store.saveProfileState(state);
                out().println(json ? JsonAnswer.object().put("image_id", imageId.toString()).put("learn_until", state.learnUntil().toString())
                        : "Learning the process profile of " + image + " until " + state.learnUntil());
                return 0;
            });
        }
    }

    @Command(name = "reset", mixinStandardHelpOptions = true,
            description = {"Forget the image's process profile (learning starts again where a learn policy applies).",
                    "With --files, forget its file baseline too: it is rebuilt at the next attach."})
    static final class Reset extends ImageCommand {
        @Option(names = "--files", description = "Also forget the file baseline.")
        boolean files;

        @Override
        public Integer call() throws Exception {
            return onImage((store, imageId) -> {
                store.resetProfile(imageId);
                if (files) {
                    store.forgetBaseline(imageId);
                }
                out().println(json ? JsonAnswer.object().put("image_id", imageId.toString()).put("reset", true).put("files", files)
                        : "Forgot the process profile" + (files ? " and file baseline" : "") + " of " + image);
                return 0;
            });
        }
    }

    /** What a subcommand does with the store and the image id (as the store keys it). */
    interface ImageBody {
        int run(BaselineStore store, Digest imageId) throws Exception;
    }
}
