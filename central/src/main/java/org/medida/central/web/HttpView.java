package org.medida.central.web;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;

import io.javalin.Javalin;
import io.javalin.http.BadRequestResponse;
import io.javalin.http.Context;
import io.javalin.http.NotFoundResponse;
import org.medida.central.db.Database;

/**
 * A small HTTP view of what central holds, until the dashboard exists: {@code GET /} a plain page that refreshes
 * itself (gateways, meters, counts, last values), and JSON under {@code /api}:
 * {@code /api/meters/{serial}/intervals?from=&to=} (the gateway and meter lists are provisioning's) (ISO-8601 instants, interval ends in
 * (from, to], default the last 24 hours, at most 31 days). A bad parameter is a 400 that says what is wrong.
 */
public final class HttpView implements AutoCloseable {

    static final Duration DEFAULT_SPAN = Duration.ofHours(24);
    static final Duration MAX_SPAN = Duration.ofDays(31);
    private static final int REFRESH_SECONDS = 5;

    private final Javalin app;

    private HttpView(Javalin app) {
        this.app = app;
    }

    /** Serves the view of {@code database} and the features' routes on {@code host}:{@code port} (0: any free port). */
    public static HttpView start(Database database, String host, int port, List<FeatureRoutes> features) {
        Javalin app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            config.routes.get("/", ctx -> ctx.html(page(database)));
            config.routes.get("/api/meters/{serial}/intervals", ctx -> json(ctx, intervals(database, ctx)));
            features.forEach(feature -> feature.register(config.routes));
            config.routes.exception(SQLException.class, (e, ctx) -> {
                ctx.status(500);
                json(ctx, new Json().beginObject().field("error", "database: " + e.getMessage()).endObject().toString());
            });
        });
        app.start(host, port);
        return new HttpView(app);
    }

    /** The port the view listens on. */
    public int port() {
        return app.port();
    }

    @Override
    public void close() {
        app.stop();
    }

    private interface Read<T> {
        T from(Queries queries) throws SQLException;
    }

    private static <T> T read(Database database, Read<T> read) throws SQLException {
        try (Connection connection = database.connect()) {
            return read.from(new Queries(connection, database.dialect()));
        }
    }

    private static void json(Context ctx, String body) {
        ctx.contentType("application/json; charset=utf-8").result(body);
    }

    private static String intervals(Database database, Context ctx) throws SQLException {
        String serial = ctx.pathParam("serial");
        Instant to = instant(ctx, "to", Instant.now());
        Instant from = instant(ctx, "from", to.minus(DEFAULT_SPAN));
        if (!from.isBefore(to)) {
            throw new BadRequestResponse("'from' (" + from + ") must be before 'to' (" + to + ")");
        }
        if (Duration.between(from, to).compareTo(MAX_SPAN) > 0) {
            throw new BadRequestResponse("at most " + MAX_SPAN.toDays() + " days per request, asked for "
                    + Duration.between(from, to).toDays());
        }
        List<Queries.IntervalValue> values = read(database, q -> q.intervals(serial, from, to))
                .orElseThrow(() -> new NotFoundResponse("no meter " + serial));
        Json json = new Json().beginObject().field("serial", serial).field("from", from).field("to", to);
        json.name("values").beginArray();
        for (Queries.IntervalValue value : values) {
            json.beginObject().field("readingType", value.readingType()).field("end", value.end())
                    .field("value", value.value()).field("status", value.status()).endObject();
        }
        return json.endArray().endObject().toString();
    }

    private static Instant instant(Context ctx, String parameter, Instant absent) {
        String text = ctx.queryParam(parameter);
        if (text == null) {
            return absent;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new BadRequestResponse("'" + parameter + "' is not an ISO-8601 instant like 2026-11-22T00:00:00Z: "
                    + text);
        }
    }

    // ---- the page

    private static String page(Database database) throws SQLException {
        Map<String, Long> totals = read(database, Queries::totals);
        List<Queries.Gateway> gateways = read(database, Queries::gateways);
        List<Queries.Meter> meters = read(database, Queries::meters);
        StringBuilder html = new StringBuilder("""
                <!DOCTYPE html><html><head><meta charset="utf-8">
                <meta http-equiv="refresh" content="%d"><title>Medida central</title>
                <style>body{font-family:sans-serif;margin:1em}table{border-collapse:collapse;margin-bottom:1em}
                td,th{border:1px solid #ccc;padding:2px 6px;text-align:left}.off{color:#a00}.on{color:#070}</style>
                </head><body><h1>Medida central</h1>
                """.formatted(REFRESH_SECONDS));
        html.append("<p>");
        totals.forEach((table, count) -> html.append(escape(table.replace('_', ' '))).append(": <b>").append(count)
                .append("</b> &nbsp; "));
        html.append("</p><h2>Gateways</h2><table><tr><th>gateway</th><th>state</th><th>session</th>"
                + "<th>last seen</th><th>software</th></tr>");
        for (Queries.Gateway gateway : gateways) {
            html.append("<tr><td>").append(escape(gateway.id())).append("</td><td class=\"")
                    .append(gateway.online() ? "on\">online" : "off\">offline").append("</td><td>")
                    .append(text(gateway.session())).append("</td><td>").append(text(gateway.lastSeen()))
                    .append("</td><td>").append(escape(gateway.software())).append("</td></tr>");
        }
        html.append("</table><h2>Meters</h2><table><tr><th>meter</th><th>gateway</th><th>interval values</th>"
                + "<th>readings</th><th>events</th><th>last values</th></tr>");
        for (Queries.Meter meter : meters) {
            html.append("<tr><td>").append(escape(meter.serial())).append("</td><td>").append(escape(meter.gateway()))
                    .append("</td><td>").append(meter.intervalValues()).append("</td><td>").append(meter.readings())
                    .append("</td><td>").append(meter.events()).append("</td><td>");
            for (Queries.LastValue value : meter.lastValues()) {
                html.append(escape(value.description())).append(": ").append(text(value.value())).append(" at ")
                        .append(text(value.at())).append("<br>");
            }
            html.append("</td></tr>");
        }
        return html.append("</table></body></html>").toString();
    }

    private static String text(Object value) {
        return value == null ? "-" : escape(value instanceof BigDecimal decimal ? decimal.toPlainString()
                : value.toString());
    }

    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
