package org.medida.central.web;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.Cookie;
import io.javalin.http.HttpStatus;
import io.javalin.http.SameSite;
import org.medida.central.db.Database;

/**
 * {@code GET /login} (the form), {@code POST /login} (form fields or a JSON body {@code {username, password}}) and
 * {@code POST /logout}. Logins, failed logins and logouts are in the audit log; passwords never are, nor in logs.
 */
final class LoginRoutes implements FeatureRoutes {

    record Credentials(String username, String password) {
    }

    private final Database database;
    private final Clock clock;
    private final LoginThrottle byName;
    private final LoginThrottle byAddress;

    LoginRoutes(Database database, Clock clock) {
        this.database = database;
        this.clock = clock;
        this.byName = new LoginThrottle(clock);
        this.byAddress = new LoginThrottle(clock);
    }

    @Override
    public void register(RoutesConfig routes) {
        routes.get("/login", this::form, Access.ANYONE);
        routes.post("/login", this::login, Access.ANYONE);
        routes.post("/logout", this::logout, Role.SUPPORT);
    }

    private void form(Context ctx) {
        loginPage(ctx, null);
    }

    private void login(Context ctx) throws SQLException {
        boolean json = ctx.isJson();
        Credentials credentials = json ? JsonBodies.read(ctx, Credentials.class)
                : new Credentials(ctx.formParam("username"), ctx.formParam("password"));
        String username = credentials.username() == null ? "" : credentials.username().strip();
        String password = credentials.password() == null ? "" : credentials.password();
        // many names from one address, or many addresses for one name: either locks
        String nameKey = username.toLowerCase(java.util.Locale.ROOT);
        String addressKey = ctx.ip();
        Duration wait = max(byName.wait(nameKey), byAddress.wait(addressKey));
        Instant now = clock.instant();
        if (!wait.isZero()) {
            refuse(ctx, json, HttpStatus.TOO_MANY_REQUESTS, "too many failed logins: try again in "
                    + Math.max(1, wait.toSeconds()) + " s");
            return;
        }
        String audited = username.length() > 64 ? username.substring(0, 64) : username;
        Optional<Users.User> user = database.inTransaction(connection -> {
            Optional<Users.User> found = Users.authenticate(connection, username, password);
            AuditLog.record(connection, now, audited, found.isPresent() ? "login" : "login.failed", audited,
                    "from " + addressKey);
            return found;
        });
        if (user.isEmpty()) {
            byName.failed(nameKey);
            byAddress.failed(addressKey);
            refuse(ctx, json, HttpStatus.UNAUTHORIZED, "wrong user name or password");
            return;
        }
        byName.succeeded(nameKey);
        byAddress.succeeded(addressKey);
        String token = database.inTransaction(connection -> Sessions.open(connection, username, now));
        ctx.cookie(new Cookie(Sessions.COOKIE, token, "/", (int) Sessions.LIFETIME.toSeconds(),
                "https".equals(ctx.scheme()), true, null, SameSite.STRICT));
        if (json) {
            ctx.json(Map.of("username", username, "role", LoginCheck.name(user.get().accessRole())));
        } else {
            ctx.redirect(safeNext(ctx.formParam("next")), HttpStatus.SEE_OTHER);
        }
    }

    private void logout(Context ctx) throws SQLException {
        Operator operator = Operator.of(ctx);
        String token = ctx.cookie(Sessions.COOKIE);
        database.inTransaction(connection -> {
            Sessions.close(connection, token);
            AuditLog.record(connection, clock.instant(), operator.username(), "logout", operator.username(), "");
            return null;
        });
        ctx.removeCookie(Sessions.COOKIE, "/");
        if (ctx.isJson()) {
            ctx.status(HttpStatus.NO_CONTENT);
        } else {
            ctx.redirect("/login", HttpStatus.SEE_OTHER);
        }
    }

    private static void refuse(Context ctx, boolean json, HttpStatus status, String message) {
        ctx.status(status);
        if (json) {
            ctx.json(Map.of("error", message));
        } else {
            loginPage(ctx, message);
        }
    }

    private static void loginPage(Context ctx, String error) {
        String next = safeNext(ctx.formParam("next") != null ? ctx.formParam("next") : ctx.queryParam("next"));
        String body = (error == null ? "" : "<p class=\"error\" id=\"login-error\">" + Html.escape(error) + "</p>")
                + "<form class=\"login\" method=\"post\" action=\"/login\">"
                + "<input type=\"hidden\" name=\"next\" value=\"" + Html.escape(next) + "\">"
                + "<label>User <input name=\"username\" id=\"username\" autocomplete=\"username\" required></label>"
                + "<label>Password <input name=\"password\" id=\"password\" type=\"password\" "
                + "autocomplete=\"current-password\" required></label>"
                + "<button type=\"submit\" id=\"login\">Log in</button></form>";
        Html.send(ctx, "Log in", "login", null, body);
    }

    /** Where to go after logging in: a local path only, never another site ({@code //host}, {@code /\host}). */
    static String safeNext(String next) {
        if (next == null || !next.startsWith("/") || next.startsWith("//") || next.startsWith("/\\")) {
            return "/";
        }
        return next;
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
