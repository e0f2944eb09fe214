package org.medida.central.web;

import java.time.Instant;
import java.time.LocalDate;
import java.util.function.Function;
import java.util.function.Predicate;

import io.javalin.http.BadRequestResponse;
import io.javalin.http.Context;

/**
 * The query parameters of the API and the pages, read alike everywhere: an absent or blank one (a form's empty
 * field) takes its default; a bad one is a 400 that names it and says what it must be, e.g.
 * {@code 'limit' must be a whole number from 1 to 1000, not 'many'}, answered {@code {"error": ...}} under
 * {@code /api} like every refusal. (Javalin's {@code queryParamAsClass} answers in a shape of its own and converts
 * instants and days only with converters registered on the app, which a feature's route test does not have.)
 */
public final class QueryParameters {

    private QueryParameters() {
    }

    /** {@code ?limit=}: how many rows at the most, 1 to {@code max}. */
    public static int limit(Context ctx, int max, int absent) {
        return (int) wholeNumber(ctx, "limit", 1, max, absent);
    }

    /** A whole number from {@code min} to {@code max} ({@link Long#MAX_VALUE}: no upper bound). */
    public static long wholeNumber(Context ctx, String name, long min, long max, long absent) {
        String range = max == Long.MAX_VALUE ? "of at least " + min : "from " + min + " to " + max;
        return parameter(ctx, name, Long::valueOf, number -> number >= min && number <= max,
                "a whole number " + range, absent);
    }

    /** An ISO-8601 instant such as {@code 2026-11-22T00:00:00Z}; {@code absent} may be null. */
    public static Instant instant(Context ctx, String name, Instant absent) {
        return parameter(ctx, name, Instant::parse, instant -> true,
                "an ISO-8601 instant like 2026-11-22T00:00:00Z", absent);
    }

    /** A day such as {@code 2026-11-22}; {@code absent} may be null. */
    public static LocalDate day(Context ctx, String name, LocalDate absent) {
        return parameter(ctx, name, LocalDate::parse, day -> true, "a day like 2026-11-22", absent);
    }

    private static <T> T parameter(Context ctx, String name, Function<String, T> parse, Predicate<T> rule,
            String mustBe, T absent) {
        String text = ctx.queryParam(name);
        if (text == null || text.isBlank()) {
            return absent;
        }
        try {
            T value = parse.apply(text);
            if (rule.test(value)) {
                return value;
            }
        } catch (RuntimeException e) {
            // not of the type at all: the same answer as a value out of range, what it must be
        }
        throw new BadRequestResponse("'" + name + "' must be " + mustBe + ", not '" + text + "'");
    }
}
