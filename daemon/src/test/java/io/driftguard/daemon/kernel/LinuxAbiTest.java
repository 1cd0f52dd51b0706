package io.driftguard.daemon.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.jna.Native;
import com.sun.jna.Structure;
import io.driftguard.core.testing.Prerequisites;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * LibC against the C headers, as gcc compiles them: every constant's value, and every struct's
 * size, field offsets and field sizes. The C side is generated from LibC itself, so a constant or
 * struct added there is checked without touching this test; a field moved, resized or misnamed on
 * either side fails here (a name gcc does not know fails to compile).
 */
class LinuxAbiTest {
    private static Map<String, Long> javaSide;
    private static Map<String, Long> cSide;

    @BeforeAll
    static void compileTheHeaders(@TempDir Path dir) throws Exception {
        Prerequisites.requireCommand("gcc");
        javaSide = new LinkedHashMap<>();
        StringBuilder main = new StringBuilder("\nint main(void)\n{\n");
        for (Field f : constants()) {
            javaSide.put("const " + f.getName(), ((Number) f.get(null)).longValue());
            main.append(String.format("\tprintf(\"const %1$s %%lld\\n\", (long long)(%1$s));%n", f.getName()));
        }
        for (Class<?> struct : structs()) {
            String name = struct.getSimpleName();
            LibC.Struct layout = (LibC.Struct) struct.getConstructor().newInstance();
            javaSide.put("sizeof " + name, (long) layout.size());
            main.append(String.format("\tprintf(\"sizeof %1$s %%zu\\n\", sizeof(struct %1$s));%n", name));
            for (String field : struct.getAnnotation(Structure.FieldOrder.class).value()) {
                javaSide.put("offsetof " + name + "." + field, (long) layout.offsetOf(field));
                javaSide.put("sizeof " + name + "." + field, fieldSize(layout, field));
                main.append(String.format("\tprintf(\"offsetof %1$s.%2$s %%zu\\n\", offsetof(struct %1$s, %2$s));%n", name, field));
                main.append(String.format("\tprintf(\"sizeof %1$s.%2$s %%zu\\n\", sizeof(((struct %1$s *)0)->%2$s));%n", name, field));
            }
        }
        main.append("\treturn 0;\n}\n");
        cSide = run(compile(dir, main.toString()));
    }

    @Test
    void everyConstantHasTheValueOfTheHeaders() {
        assertThat(differences("const ")).as("LibC constants that differ from the C headers (Java vs C)").isEmpty();
        assertThat(only(cSide, "const ")).isNotEmpty();
    }

    @Test
    void everyStructHasTheLayoutOfTheHeaders() {
        assertThat(differences("sizeof ")).as("LibC struct and field sizes that differ from the C headers").isEmpty();
        assertThat(differences("offsetof ")).as("LibC field offsets that differ from the C headers").isEmpty();
        assertThat(cSide).containsEntry("sizeof statx", 256L).containsEntry("sizeof fanotify_event_metadata", 24L);
    }

    /** "name: Java v, C w" for each entry of that kind whose two sides differ. */
    private static List<String> differences(String kind) {
        Map<String, Long> java = only(javaSide, kind);
        Map<String, Long> c = only(cSide, kind);
        assertThat(java.keySet()).as("what gcc printed for %s", kind).isEqualTo(c.keySet());
        List<String> out = new ArrayList<>();
        java.forEach((k, v) -> {
            if (!v.equals(c.get(k))) {
                out.add(k + ": Java " + v + ", C " + c.get(k));
            }
        });
        return out;
    }

    /** LibC's constants: its static primitive fields. */
    private static List<Field> constants() {
        List<Field> out = new ArrayList<>();
        for (Field f : LibC.class.getFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType().isPrimitive()) {
                out.add(f);
            }
        }
        return out;
    }

    private static List<Class<?>> structs() {
        List<Class<?>> out = new ArrayList<>();
        for (Class<?> c : LibC.class.getClasses()) {
            if (LibC.Struct.class.isAssignableFrom(c) && !Modifier.isAbstract(c.getModifiers())) {
                out.add(c);
            }
        }
        assertThat(out).isNotEmpty();
        return out;
    }

    /** The bytes a field takes: a primitive, a pointer, an array of them, or a nested struct. */
    private static long fieldSize(Structure layout, String name) throws ReflectiveOperationException {
        Object value = layout.getClass().getField(name).get(layout);
        if (layout.getClass().getField(name).getType() == com.sun.jna.Pointer.class) {
            return Native.POINTER_SIZE;
        }
        if (value instanceof Structure nested) {
            return nested.size();
        }
        if (value.getClass().isArray()) {
            return (long) Array.getLength(value) * Native.getNativeSize(value.getClass().getComponentType());
        }
        return Native.getNativeSize(layout.getClass().getField(name).getType());
    }

    private static Path compile(Path dir, String main) throws IOException, InterruptedException {
        try (InputStream in = LinuxAbiTest.class.getResourceAsStream("linux_abi.h")) {
            Files.copy(in, dir.resolve("linux_abi.h"), StandardCopyOption.REPLACE_EXISTING);
        }
        Path source = dir.resolve("linux_abi.c");
        Files.writeString(source, "#include \"linux_abi.h\"\n" + main);
        Path binary = dir.resolve("linux_abi");
        String output = exec("gcc", "-Wall", "-Werror", "-o", binary.toString(), source.toString());
        assertThat(binary).as("gcc linux_abi.c: %s", output).exists();
        return binary;
    }

    private static Map<String, Long> run(Path binary) throws IOException, InterruptedException {
        Map<String, Long> values = new LinkedHashMap<>();
        for (String line : exec(binary.toString()).split("\n")) {
            int space = line.lastIndexOf(' ');
            values.put(line.substring(0, space), Long.parseLong(line.substring(space + 1)));
        }
        return values;
    }

    private static String exec(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("%s finishes", command[0]).isTrue();
        return output;
    }

    private static Map<String, Long> only(Map<String, Long> all, String prefix) {
        Map<String, Long> out = new LinkedHashMap<>();
        all.forEach((k, v) -> {
            if (k.startsWith(prefix)) {
                out.put(k, v);
            }
        });
        return out;
    }
}
