package org.medida.central.web;

import java.util.Objects;

import io.javalin.http.Context;
import io.javalin.http.UnauthorizedResponse;

/** The operator behind a request, put on the context by the login check before any route runs. */
public record Operator(String username, Role role) {

    static final String ATTRIBUTE = "medida.operator";

    public Operator {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(role, "role");
    }

    /** The logged-in operator of {@code ctx}; 401 if there is none. */
    public static Operator of(Context ctx) {
        Operator operator = ctx.attribute(ATTRIBUTE);
        if (operator == null) {
            throw new UnauthorizedResponse("log in first");
        }
        return operator;
    }
}
