package org.medida.central.web;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Comparator;
import java.util.Optional;
import java.util.Set;

import io.javalin.http.Context;
import io.javalin.http.ForbiddenResponse;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import io.javalin.http.UnauthorizedResponse;
import io.javalin.security.RouteRole;
import org.medida.central.db.Database;

/**
 * Runs before every matched route (Javalin beforeMatched): finds the operator of the session cookie, puts them on
 * the context ({@link Operator#of}), and enforces the route's least {@link Role}: 401 when not logged in, 403 when
 * the role is too small. A route that names no role at all is refused (fail closed). A POST must come from the
 * dashboard's own origin: an {@code Origin} header naming this host, or, from clients that send no Origin, a JSON
 * body (which a cross-site HTML form cannot send); with the SameSite=Strict cookie this stops cross-site request
 * forgery.
 */
final class LoginCheck implements Handler {

    private final Database database;
    private final Clock clock;

    LoginCheck(Database database, Clock clock) {
        this.database = database;
        this.clock = clock;
    }

    @Override
    public void handle(Context ctx) throws SQLException {
        Set<RouteRole> roles = ctx.routeRoles();
        // an operator already on the context was authenticated by an earlier handler of central's own
        // (a feature's tests stand in for the login that way); otherwise the session cookie says who it is
        Operator already = ctx.attribute(Operator.ATTRIBUTE);
        Optional<Operator> operator = already != null ? Optional.of(already) : operator(ctx);
        operator.ifPresent(o -> ctx.attribute(Operator.ATTRIBUTE, o));
        if (!roles.contains(Access.ANYONE)) {
            Role needed = roles.stream().filter(Role.class::isInstance).map(Role.class::cast)
                    .min(Comparator.naturalOrder())
                    .orElseThrow(() -> new ForbiddenResponse("this route names no role, so nobody may call it"));
            Operator caller = operator.orElseThrow(() -> new UnauthorizedResponse("log in first"));
            if (!caller.role().covers(needed)) {
                throw new ForbiddenResponse("needs the " + name(needed) + " role; " + caller.username() + " is "
                        + name(caller.role()));
            }
        }
        requireSameOrigin(ctx);
    }

    /** The operator of the request's session cookie, if it is a live session. */
    Optional<Operator> operator(Context ctx) throws SQLException {
        String token = ctx.cookie(Sessions.COOKIE);
        if (token == null || token.isEmpty()) {
            return Optional.empty();
        }
        try (Connection connection = database.connect()) {
            return Sessions.operator(connection, token, clock.instant());
        }
    }

    static void requireSameOrigin(Context ctx) {
        // another site can make a browser send GET and POST (a form) with its cookies, but PUT, PATCH and DELETE
        // only through a CORS preflight, which central never grants
        if (ctx.method() != HandlerType.POST) {
            return;
        }
        String origin = ctx.header("Origin");
        if (origin == null) {
            String type = ctx.contentType();
            if (type == null || !type.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
                throw new ForbiddenResponse("a state-changing request needs Content-Type: application/json "
                        + "or an Origin header of this site");
            }
            return;
        }
        String host = ctx.host();
        if (host == null || !(origin.equals("http://" + host) || origin.equals("https://" + host))) {
            throw new ForbiddenResponse("cross-site request refused: Origin " + origin + " is not this site");
        }
    }

    static String name(Role role) {
        return role.name().toLowerCase(java.util.Locale.ROOT);
    }
}
