package org.medida.central.plans;

import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

import org.medida.central.workorders.RetryPolicy;
import org.medida.edge.api.TaskKind;

/**
 * The body of {@code POST /api/plans}: {@code target {kind: list|gateway|group|all, value}}, {@code kinds} task kind
 * names, days as ISO dates ({@code lastDay} absent: every day from {@code firstDay}), the window as "HH:MM" UTC,
 * {@code maxAttempts} (default {@value #DEFAULT_ATTEMPTS}) and {@code retryAfterSeconds} (default
 * {@value #DEFAULT_RETRY_SECONDS}). Each ill-formed field is a problem naming it.
 */
record PlanRequest(String name, Target target, List<String> kinds, String firstDay, String lastDay,
        String windowStart, String windowEnd, Integer maxAttempts, Long retryAfterSeconds) {

    record Target(String kind, String value) {
    }

    static final int DEFAULT_ATTEMPTS = 3;
    static final long DEFAULT_RETRY_SECONDS = 600;
    private static final Pattern HH_MM = Pattern.compile("\\d{2}:\\d{2}");

    /** The plan asked for; its meaning (dates, meters) is checked by the service. */
    PlanDefinition definition() throws InvalidPlanException {
        List<String> problems = new ArrayList<>();
        PlanTarget planTarget = target(problems);
        List<TaskKind> taskKinds = kinds(problems);
        LocalDate first = day("firstDay", firstDay, true, problems);
        LocalDate last = day("lastDay", lastDay, false, problems);
        LocalTime start = time("windowStart", windowStart, problems);
        LocalTime end = time("windowEnd", windowEnd, problems);
        RetryPolicy retry = retry(problems);
        if (!problems.isEmpty()) {
            throw new InvalidPlanException(problems);
        }
        return new PlanDefinition(name == null ? "" : name.strip(), planTarget, taskKinds, first, last, start, end,
                retry);
    }

    private PlanTarget target(List<String> problems) {
        if (target == null || target.kind() == null) {
            problems.add("target.kind: required (list, gateway, group or all)");
            return null;
        }
        PlanTarget.Kind kind = PlanTarget.Kind.ofCode(target.kind());
        if (kind == null) {
            problems.add("target.kind: '" + target.kind() + "' is not list, gateway, group or all");
            return null;
        }
        return new PlanTarget(kind, target.value());
    }

    private List<TaskKind> kinds(List<String> problems) {
        List<TaskKind> parsed = new ArrayList<>();
        for (String kind : kinds == null ? List.<String>of() : kinds) {
            try {
                TaskKind taskKind = TaskKind.valueOf(String.valueOf(kind));
                if (!parsed.contains(taskKind)) {
                    parsed.add(taskKind);
                }
            } catch (IllegalArgumentException e) {
                problems.add("kinds: unknown kind '" + kind + "' (known: " + Arrays.toString(TaskKind.values()) + ")");
            }
        }
        return parsed;
    }

    private static LocalDate day(String field, String text, boolean required, List<String> problems) {
        if (text == null) {
            if (required) {
                problems.add(field + ": required, an ISO date like 2026-11-22");
            }
            return null;
        }
        try {
            return LocalDate.parse(text);
        } catch (DateTimeParseException e) {
            problems.add(field + ": '" + text + "' is not an ISO date like 2026-11-22");
            return null;
        }
    }

    private static LocalTime time(String field, String text, List<String> problems) {
        if (text == null) {
            problems.add(field + ": required, a UTC time like 01:00");
            return null;
        }
        try {
            if (HH_MM.matcher(text).matches()) {
                return LocalTime.parse(text);
            }
        } catch (DateTimeParseException e) {
            // reported below, like any other text that is not HH:MM
        }
        problems.add(field + ": '" + text + "' is not a UTC time HH:MM like 01:00");
        return null;
    }

    private RetryPolicy retry(List<String> problems) {
        int attempts = maxAttempts == null ? DEFAULT_ATTEMPTS : maxAttempts;
        long retrySeconds = retryAfterSeconds == null ? DEFAULT_RETRY_SECONDS : retryAfterSeconds;
        boolean valid = true;
        if (attempts < 1 || attempts > 100) {
            problems.add("maxAttempts: " + attempts + " is not 1 to 100");
            valid = false;
        }
        if (retrySeconds < 0) {
            problems.add("retryAfterSeconds: " + retrySeconds + " is negative");
            valid = false;
        }
        return valid ? new RetryPolicy(attempts, Duration.ofSeconds(retrySeconds)) : null;
    }
}
