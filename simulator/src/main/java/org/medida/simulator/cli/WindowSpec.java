package org.medida.simulator.cli;

import java.time.Duration;
import java.time.Instant;
import org.medida.simulator.TimeWindow;
import picocli.CommandLine.ITypeConverter;

/** A window written {@code START+LENGTH}, both durations, START counted from the fleet epoch in meter time. */
record WindowSpec(Duration start, Duration length) {

    static WindowSpec parse(String text) {
        String[] parts = text.split("\\+");
        if (parts.length != 2) {
            throw new IllegalArgumentException("a window is START+LENGTH, e.g. 2h+30m: " + text);
        }
        return new WindowSpec(DurationConverter.parse(parts[0]), DurationConverter.parse(parts[1]));
    }

    /** Lets picocli report a malformed window as a usage error. */
    static final class Converter implements ITypeConverter<WindowSpec> {
        @Override
        public WindowSpec convert(String text) {
            return parse(text);
        }
    }

    TimeWindow from(Instant epoch) {
        return TimeWindow.of(epoch.plus(start), length);
    }
}
