package org.medida.central.plans;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.medida.edge.api.TaskKind;

/**
 * P1: a plan is checked before it runs, and refused with every problem found, rather than accepted with meters
 * that could only fail: its dates and window make sense and are not over, its target exists and names at least one
 * meter, and every meter of it exists, is commissioned and supports every kind of the plan.
 */
final class PlanValidation {

    /** More meter problems than this are summed up in one line: a refused plan over 10,000 meters stays readable. */
    static final int MAX_METER_PROBLEMS = 50;

    private PlanValidation() {
    }

    static List<String> problems(Connection connection, PlanDefinition plan, Instant now) throws SQLException {
        List<String> problems = new ArrayList<>();
        if (plan.name().isBlank()) {
            problems.add("name: required");
        }
        if (plan.kinds().isEmpty()) {
            problems.add("kinds: at least one task kind");
        }
        if (plan.lastDay() != null && plan.lastDay().isBefore(plan.firstDay())) {
            problems.add("lastDay: " + plan.lastDay() + " is before firstDay " + plan.firstDay());
        } else if (plan.lastDay() != null && !now.isBefore(plan.windowEnd(plan.lastDay()))) {
            problems.add("lastDay: the plan's last window ended at " + plan.windowEnd(plan.lastDay()));
        }
        if (!plan.windowEnd().isAfter(plan.windowStart())) {
            problems.add("windowEnd: " + PlanFormat.time(plan.windowEnd()) + " is not after windowStart "
                    + PlanFormat.time(plan.windowStart()) + " (a window does not cross midnight UTC)");
        }
        problems.addAll(targetProblems(connection, plan));
        return problems;
    }

    private static List<String> targetProblems(Connection connection, PlanDefinition plan) throws SQLException {
        PlanTarget target = plan.target();
        if (target.kind() != PlanTarget.Kind.ALL && target.value().isEmpty()
                || target.kind() == PlanTarget.Kind.LIST && target.serials().isEmpty()) {
            return List.of("target.value: required for a " + target.kind().code() + " target");
        }
        if (target.kind() == PlanTarget.Kind.GATEWAY && !PlanStore.gatewayExists(connection, target.value())) {
            return List.of("target.value: no gateway " + target.value());
        }
        List<PlanStore.TargetMeter> meters = PlanStore.targetMeters(connection, target);
        List<String> problems = new ArrayList<>();
        if (target.kind() == PlanTarget.Kind.LIST) {
            Set<String> known = meters.stream().map(PlanStore.TargetMeter::serial).collect(Collectors.toSet());
            target.serials().stream().filter(serial -> !known.contains(serial))
                    .forEach(serial -> problems.add("meter " + serial + ": unknown"));
        } else if (meters.isEmpty()) {
            return List.of("target: no commissioned meter in " + describe(target));
        }
        for (PlanStore.TargetMeter meter : meters.stream()
                .sorted(Comparator.comparing(PlanStore.TargetMeter::serial)).toList()) {
            problems.addAll(meterProblems(meter, plan.kinds()));
        }
        if (problems.size() > MAX_METER_PROBLEMS) {
            int more = problems.size() - MAX_METER_PROBLEMS;
            List<String> shown = new ArrayList<>(problems.subList(0, MAX_METER_PROBLEMS));
            shown.add("... and " + more + " more meter problems");
            return shown;
        }
        return problems;
    }

    private static List<String> meterProblems(PlanStore.TargetMeter meter, List<TaskKind> kinds) {
        if (!"commissioned".equals(meter.state())) {
            return List.of("meter " + meter.serial() + ": " + meter.state() + ", not commissioned");
        }
        Set<String> capabilities = Capability.parse(meter.capabilities());
        List<String> problems = new ArrayList<>();
        for (TaskKind kind : kinds) {
            String needed = Capability.neededBy(kind);
            if (needed != null && !capabilities.contains(needed)) {
                problems.add("meter " + meter.serial() + ": does not support " + kind + " (no " + needed
                        + " capability)");
            }
        }
        return problems;
    }

    private static String describe(PlanTarget target) {
        return target.kind() == PlanTarget.Kind.ALL ? "the inventory"
                : target.kind().code() + " " + target.value();
    }
}
