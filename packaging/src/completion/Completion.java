import java.nio.file.Files;
import java.nio.file.Path;
import picocli.AutoComplete;
import picocli.CommandLine;

/**
 * Writes a program's bash completion from its whole command tree, which its Main's static
 * commandLine() builds (a command line builds only the command it names). Run by
 * make-completions.sh as a single-file program: Completion PROGRAM FILE MAIN_CLASS.
 */
public final class Completion {
    public static void main(String[] args) throws Exception {
        CommandLine tree = (CommandLine) Class.forName(args[2]).getMethod("commandLine").invoke(null);
        Files.writeString(Path.of(args[1]), AutoComplete.bash(args[0], tree));
    }
}
