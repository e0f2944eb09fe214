package org.medida.central.web;

import io.javalin.security.RouteRole;

/**
 * What an operator may do (U3): support staff read, technical staff also change supplies and run orders and
 * plans, admins also manage users and configuration. A route names the least role that may call it.
 */
public enum Role implements RouteRole {
    SUPPORT,
    TECHNICAL,
    ADMIN;

    /** Whether an operator with this role may call a route that needs {@code needed}. */
    public boolean covers(Role needed) {
        return compareTo(needed) >= 0;
    }
}
