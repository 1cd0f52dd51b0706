package io.driftguard.daemon.policy;

import io.driftguard.core.toml.TomlTable;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Strict parsing of a rule's {@code except} table ({@code except.paths}, {@code except.parents}), shared by process, drift and file rules. */
final class ExceptTable {
    private static final String PATH_PATTERN = "must be an absolute, normalised path pattern such as \"/usr/local/bin/*\""
            + " ('**' a whole path element; '*' and '?' the only wildcards), not '";
    private ExceptTable() {
    }

    /** {@code parents}: false where a rule cannot know the parent (file events arrive after the write). */
    static RuleExceptions parse(TomlTable rule, boolean parents) {
        Optional<TomlTable> found = rule.table("except");
        if (found.isEmpty()) {
            return RuleExceptions.NONE;
        }
        TomlTable except = found.get();
        List<PathGlob> paths = globs(except, RuleText.nonEmptyList(except, "paths"));
        List<PathGlob> parentPaths = new ArrayList<>();
        List<String> parentNames = new ArrayList<>();
        List<String> texts = RuleText.nonEmptyList(except, "parents");
        if (!parents && !texts.isEmpty()) {
            except.problem("parents", "a file rule cannot except by parent: file events arrive after the write, when the"
                    + " writer may be gone; use except.paths");
        }
        for (int i = 0; i < texts.size() && parents; i++) {
            String text = texts.get(i);
            if (text.contains("/")) {
                Optional<PathGlob> glob = PathGlob.parse(text);
                if (glob.isEmpty()) {
                    except.problem("parents", i, PATH_PATTERN + RuleText.printable(text) + "'");
                } else {
                    parentPaths.add(glob.get());
                }
            } else if (text.isEmpty() || RuleText.hasControl(text) || text.getBytes(StandardCharsets.UTF_8).length > 15) {
                except.problem("parents", i, "a parent name is the process name the kernel keeps (comm: at most 15 bytes, such as"
                        + " \"healthcheck.sh\"); use a path with '/' for the parent's executable, not '" + RuleText.printable(text) + "'");
            } else {
                parentNames.add(text);
            }
        }
        except.finish();
        if (paths.isEmpty() && texts.isEmpty()) {
            except.problem(null, "an except table needs paths or parents");
        }
        return new RuleExceptions(paths, parentPaths, parentNames);
    }

    private static List<PathGlob> globs(TomlTable except, List<String> texts) {
        List<PathGlob> globs = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            Optional<PathGlob> glob = PathGlob.parse(texts.get(i));
            if (glob.isEmpty()) {
                except.problem("paths", i, PATH_PATTERN + RuleText.printable(texts.get(i)) + "'");
            } else {
                globs.add(glob.get());
            }
        }
        return globs;
    }
}
