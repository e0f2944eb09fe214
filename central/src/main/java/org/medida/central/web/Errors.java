package org.medida.central.web;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonMappingException;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.http.HttpResponseException;
import io.javalin.http.HttpStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How failures answer (Javalin's own 404 for a path no route matches too): under {@code /api} always
 * {@code {"error": "..."}} with the status; on pages, a browser
 * that is not logged in is sent to the login page (and back afterwards), other errors get a short page.
 */
final class Errors {

    private static final Logger LOG = LoggerFactory.getLogger(Errors.class);

    private Errors() {
    }

    static void register(RoutesConfig routes) {
        routes.exception(HttpResponseException.class, (e, ctx) -> answer(ctx, e.getStatus(), e.getMessage()));
        // a feature that reads its body with ctx.bodyAsClass gets the same 400 naming the field
        routes.exception(JsonMappingException.class, (e, ctx) -> answer(ctx, 400, JsonBodies.problem(e)));
        routes.exception(SQLException.class, (e, ctx) -> {
            LOG.warn("{} {}: database: {}", ctx.method(), ctx.path(), e.getMessage());
            answer(ctx, 500, "database: " + e.getMessage());
        });
    }

    private static void answer(Context ctx, int status, String message) {
        if (api(ctx)) {
            ctx.status(status).json(Map.of("error", message));
        } else if (status == 401 && ctx.method() == HandlerType.GET) {
            String back = ctx.path() + (ctx.queryString() == null ? "" : "?" + ctx.queryString());
            ctx.redirect("/login?next=" + URLEncoder.encode(back, StandardCharsets.UTF_8), HttpStatus.SEE_OTHER);
        } else {
            ctx.status(status);
            Html.send(ctx, HttpStatus.forStatus(status).getMessage(), "error", ctx.attribute(Operator.ATTRIBUTE),
                    "<p class=\"error\">" + Html.escape(message) + "</p>");
        }
    }

    private static boolean api(Context ctx) {
        return ctx.path().startsWith("/api/");
    }
}
