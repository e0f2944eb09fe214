package org.medida.central.plans;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Objects;

import org.medida.central.workorders.RetryPolicy;
import org.medida.edge.api.TaskKind;

/**
 * What a plan does (P1): on every day from {@code firstDay} to {@code lastDay} (null: every day, open-ended), between
 * {@code windowStart} and {@code windowEnd} (UTC; a window does not cross midnight), run {@code kinds} one after the
 * other on every meter of {@code target}, each order tried as {@code retry} says.
 */
public record PlanDefinition(String name, PlanTarget target, List<TaskKind> kinds, LocalDate firstDay,
        LocalDate lastDay, LocalTime windowStart, LocalTime windowEnd, RetryPolicy retry) {

    public PlanDefinition {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(firstDay, "firstDay");
        Objects.requireNonNull(windowStart, "windowStart");
        Objects.requireNonNull(windowEnd, "windowEnd");
        Objects.requireNonNull(retry, "retry");
        kinds = List.copyOf(kinds);
    }

    /** Whether the plan runs every day without an end. */
    public boolean daily() {
        return lastDay == null;
    }

    /** Whether {@code day} is one of the plan's days. */
    boolean covers(LocalDate day) {
        return !day.isBefore(firstDay) && (lastDay == null || !day.isAfter(lastDay));
    }

    Instant windowStart(LocalDate day) {
        return day.atTime(windowStart).toInstant(ZoneOffset.UTC);
    }

    Instant windowEnd(LocalDate day) {
        return day.atTime(windowEnd).toInstant(ZoneOffset.UTC);
    }
}
