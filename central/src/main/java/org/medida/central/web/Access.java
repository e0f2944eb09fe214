package org.medida.central.web;

import io.javalin.security.RouteRole;

/**
 * The routes anyone may call without logging in: the login page and form, and the dashboard's own script and
 * style sheet. Every other route names a {@link Role}; a route with neither is refused (fail closed).
 */
enum Access implements RouteRole {
    ANYONE
}
