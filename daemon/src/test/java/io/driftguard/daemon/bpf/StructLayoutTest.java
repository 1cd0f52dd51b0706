package io.driftguard.daemon.bpf;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.jna.Pointer;
import io.driftguard.daemon.kernel.LibBpf;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Java mirrors in DriftguardH against the BTF that clang wrote into driftguard.bpf.o: same
 * members in the same order at the same offsets with the same sizes, same struct sizes, and the
 * same enum values. A field added, moved or resized on one side only fails here.
 */
class StructLayoutTest {
    private static final LibBpf BPF = LibBpf.INSTANCE;
    private static Pointer btf;

    @BeforeAll
    static void parseBtf() throws URISyntaxException {
        Path object = Path.of(StructLayoutTest.class.getResource("/io/driftguard/daemon/bpf/driftguard.bpf.o").toURI());
        btf = BPF.btf__parse(object.toString(), null);
        assertThat(btf).as("btf__parse(%s)", object).isNotNull();
    }

    @AfterAll
    static void freeBtf() {
        BPF.btf__free(btf);
    }

    /** One member as BTF describes it: name, byte offset, byte size. */
    record Member(String name, int offset, long size) {
    }

    @Test
    void everyMirroredStructMatchesTheBtfOfTheObject() {
        for (DriftguardH.Mirror mirror : DriftguardH.all()) {
            int id = BPF.btf__find_by_name_kind(btf, mirror.cName(), LibBpf.BTF_KIND_STRUCT);
            assertThat(id).as("struct %s in the object's BTF", mirror.cName()).isPositive();
            LibBpf.btf_type type = BPF.btf__type_by_id(btf, id);

            List<Member> java = new ArrayList<>();
            for (String name : mirror.fieldNames()) {
                java.add(new Member(name, mirror.offsetOf(name), javaSize(mirror, name)));
            }
            assertThat(java).as("members of struct %s (Java DriftguardH vs C driftguard.h)", mirror.cName())
                    .containsExactlyElementsOf(btfMembers(type));
            assertThat((long) mirror.size()).as("sizeof(struct %s)", mirror.cName()).isEqualTo(type.size_or_type);
        }
    }

    @Test
    void enumConstantsMatch() throws IllegalAccessException {
        Map<String, Integer> c = new LinkedHashMap<>();
        c.putAll(btfEnum("dg_event_kind"));
        c.putAll(btfEnum("dg_verdict"));
        c.putAll(btfEnum("dg_how"));
        Map<String, Integer> java = new LinkedHashMap<>();
        for (Field f : DriftguardH.class.getDeclaredFields()) {
            if (Modifier.isStatic(f.getModifiers()) && (f.getName().startsWith("DG_EVENT_") || f.getName().startsWith("DG_VERDICT_")
                    || f.getName().startsWith("DG_HOW_"))) {
                java.put(f.getName(), f.getInt(null));
            }
        }
        assertThat(java).isEqualTo(c);
    }

    /** The bytes a Java field occupies: a primitive, or an array of them. */
    private static long javaSize(DriftguardH.Mirror mirror, String name) {
        try {
            Object value = mirror.getClass().getField(name).get(mirror);
            Class<?> type = value.getClass().isArray() ? value.getClass().getComponentType() : value.getClass();
            int count = value.getClass().isArray() ? java.lang.reflect.Array.getLength(value) : 1;
            return (long) count * com.sun.jna.Native.getNativeSize(type);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    private static List<Member> btfMembers(LibBpf.btf_type type) {
        List<Member> members = new ArrayList<>();
        Pointer first = type.getPointer().share(type.size());
        for (int i = 0; i < type.vlen(); i++) {
            LibBpf.btf_member m = new LibBpf.btf_member(first.share((long) i * 12));
            members.add(new Member(BPF.btf__name_by_offset(btf, m.name_off), m.offset / 8, BPF.btf__resolve_size(btf, m.type)));
        }
        return members;
    }

    private static Map<String, Integer> btfEnum(String name) {
        int id = BPF.btf__find_by_name_kind(btf, name, LibBpf.BTF_KIND_ENUM);
        assertThat(id).as("enum %s in the object's BTF", name).isPositive();
        LibBpf.btf_type type = BPF.btf__type_by_id(btf, id);
        Pointer first = type.getPointer().share(type.size());
        Map<String, Integer> values = new LinkedHashMap<>();
        for (int i = 0; i < type.vlen(); i++) {
            LibBpf.btf_enum e = new LibBpf.btf_enum(first.share((long) i * 8));
            values.put(BPF.btf__name_by_offset(btf, e.name_off), e.val);
        }
        return values;
    }
}
