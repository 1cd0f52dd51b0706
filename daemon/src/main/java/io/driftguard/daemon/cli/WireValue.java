package io.driftguard.daemon.cli;

import io.driftguard.core.event.EventAction;
import io.driftguard.core.event.EventKind;
import io.driftguard.core.event.Severity;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * An event field's value on the command line, in its wire form (the lower-case name that JSON and
 * journald show); an unknown value is a usage error that lists the valid ones.
 */
abstract class WireValue<E extends Enum<E>> implements ITypeConverter<E>, Iterable<String> {
    private final String what;
    private final E[] values;
    private final Function<E, String> wire;

    WireValue(String what, E[] values, Function<E, String> wire) {
        this.what = what;
        this.values = values;
        this.wire = wire;
    }

    @Override
    public E convert(String text) {
        String wanted = text.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(values).filter(v -> wire.apply(v).equals(wanted)).findFirst()
                .orElseThrow(() -> new TypeConversionException("unknown " + what + " '" + text + "'; valid: "
                        + String.join(", ", names())));
    }

    /** The valid values, for --help and shell completion. */
    @Override
    public Iterator<String> iterator() {
        return names().iterator();
    }

    private List<String> names() {
        return Arrays.stream(values).map(wire).toList();
    }

    static final class Kind extends WireValue<EventKind> {
        Kind() {
            super("kind", EventKind.values(), EventKind::wire);
        }
    }

    static final class Action extends WireValue<EventAction> {
        Action() {
            super("action", EventAction.values(), EventAction::wire);
        }
    }

    static final class Level extends WireValue<Severity> {
        Level() {
            super("severity", Severity.values(), Severity::wire);
        }
    }
}
