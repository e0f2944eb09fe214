package org.medida.central.web;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import io.javalin.Javalin;
import io.javalin.json.JavalinJackson;
import io.javalin.router.Endpoint;
import io.javalin.http.BadRequestResponse;
import io.javalin.http.Context;
import io.javalin.http.NotFoundResponse;
import io.javalin.http.staticfiles.Location;
import org.medida.central.db.Database;

/**
 * Central's web side: the operators' dashboard (server-rendered pages, {@link Pages}), the JSON API under
 * {@code /api} with the features' routes, its OpenAPI document, all behind the operators' login ({@link LoginCheck}).
 * Its own read API: {@code /api/meters/{serial}/intervals?from=&to=} (the gateway and meter lists are provisioning's)
 * (ISO-8601 instants, interval ends in (from, to], default the last 24 hours, at most 31 days). A bad parameter is
 * a 400 that says what is wrong.
 */
public final class HttpView implements AutoCloseable {

    static final Duration DEFAULT_SPAN = Duration.ofHours(24);
    static final Duration MAX_SPAN = Duration.ofDays(31);

    private final Javalin app;

    private HttpView(Javalin app) {
        this.app = app;
    }

    /**
     * Serves the dashboard, the API and the features' routes on {@code host}:{@code port} (0: any free port), behind
     * the operators' login. On first start creates the {@code admin} operator (see {@link Users#createFirstAdmin}).
     * The gateway page's heatmap shows {@code missingIntervals}.
     */
    public static HttpView start(Database database, String host, int port, Path adminPasswordFile, Clock clock,
            MissingIntervalCounts missingIntervals, List<FeatureRoutes> features) throws SQLException {
        Users.createFirstAdmin(database, adminPasswordFile, clock.instant());
        List<FeatureRoutes> withPages = new ArrayList<>(List.of(new Pages(database, clock, missingIntervals)));
        withPages.addAll(features);
        return serve(database, host, port, clock, withPages);
    }

    /**
     * The API without creating a first operator and without the dashboard's pages, for a feature's route tests that
     * put their {@link Operator} on the context themselves ({@code routes.before(ctx -> ctx.attribute(...))})
     * instead of logging in.
     */
    public static HttpView start(Database database, String host, int port, List<FeatureRoutes> features) {
        return serve(database, host, port, Clock.systemUTC(), features);
    }

    private static HttpView serve(Database database, String host, int port, Clock clock, List<FeatureRoutes> features) {
        List<FeatureRoutes> all = new ArrayList<>(List.of(new LoginRoutes(database, clock),
                new UserRoutes(database, clock), new OpenApiRoutes()));
        all.addAll(features);
        LoginCheck loginCheck = new LoginCheck(database, clock);
        Javalin app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            config.jsonMapper(new JavalinJackson(JsonBodies.MAPPER, false));
            // the chart library's WebJar, open to anyone like the login page's script (static files pass the
            // login check too, so they name their role)
            config.staticFiles.add(files -> {
                files.hostedPath = "/webjars/chartjs";
                files.directory = "META-INF/resources/webjars/chartjs";
                files.location = Location.CLASSPATH;
                files.roles = Set.of(Access.ANYONE);
            });
            config.routes.beforeMatched(loginCheck);
            config.routes.get("/api/meters/{serial}/intervals", ctx -> json(ctx, intervals(database, ctx)),
                    Role.SUPPORT);
            all.forEach(feature -> feature.register(config.routes));
            Errors.register(config.routes);
        });
        app.start(host, port);
        return new HttpView(app);
    }

    /** Every route served (not the before/after handlers), for the tests that check each names a role. */
    public List<Endpoint> endpoints() {
        return app.unsafe.internalRouter.allHttpHandlers().stream().map(parsed -> parsed.endpoint)
                .filter(endpoint -> endpoint.method.isHttpMethod()).toList();
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
        Instant to = QueryParameters.instant(ctx, "to", Instant.now());
        Instant from = QueryParameters.instant(ctx, "from", to.minus(DEFAULT_SPAN));
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
}
