package org.medida.central.web;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.javalin.config.RoutesConfig;
import io.javalin.http.BadRequestResponse;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.javalin.http.NotFoundResponse;
import org.medida.central.db.Database;

/**
 * Operators and the audit log, for admins: {@code GET/POST /api/users}, {@code PUT /api/users/{name}} (role,
 * enabled, new password: each change audited, the password never), {@code GET /api/audit?user=&action=&limit=}.
 * An admin cannot disable or demote themself, so the last admin cannot lock everyone out by accident.
 */
final class UserRoutes implements FeatureRoutes {

    record NewUser(String username, String role, String password) {
    }

    record UserChange(String role, Boolean enabled, String password) {
    }

    record AuditEntry(long id, Instant at, String username, String action, String target, String detail) {
    }

    static final int DEFAULT_LIMIT = 200;
    static final int MAX_LIMIT = 5000;

    private final Database database;
    private final Clock clock;

    UserRoutes(Database database, Clock clock) {
        this.database = database;
        this.clock = clock;
    }

    @Override
    public void register(RoutesConfig routes) {
        routes.get("/api/users", this::list, Role.ADMIN);
        routes.post("/api/users", this::create, Role.ADMIN);
        routes.put("/api/users/{name}", this::change, Role.ADMIN);
        routes.get("/api/audit", ctx -> ctx.json(audit(database, ctx.queryParam("user"), ctx.queryParam("action"),
                limit(ctx))), Role.ADMIN);
    }

    private void list(Context ctx) throws SQLException {
        try (Connection connection = database.connect()) {
            ctx.json(Users.list(connection));
        }
    }

    private void create(Context ctx) throws SQLException {
        Operator operator = Operator.of(ctx);
        NewUser body = JsonBodies.read(ctx, NewUser.class);
        Role role = Users.role(body.role());
        Instant now = clock.instant();
        Users.User user = database.inTransaction(connection -> {
            Users.create(connection, body.username(), role, body.password(), now);
            AuditLog.record(connection, now, operator.username(), "user.create", body.username(),
                    "role=" + LoginCheck.name(role));
            return Users.find(connection, body.username()).orElseThrow();
        });
        ctx.status(HttpStatus.CREATED).json(user);
    }

    private void change(Context ctx) throws SQLException {
        Operator operator = Operator.of(ctx);
        String name = ctx.pathParam("name");
        UserChange body = JsonBodies.read(ctx, UserChange.class);
        Role role = body.role() == null ? null : Users.role(body.role());
        if (body.role() == null && body.enabled() == null && body.password() == null) {
            throw new BadRequestResponse("nothing to change: give 'role', 'enabled' or 'password'");
        }
        if (name.equals(operator.username()) && (Boolean.FALSE.equals(body.enabled())
                || (role != null && role != Role.ADMIN))) {
            throw new BadRequestResponse("you cannot disable or demote yourself; another admin can");
        }
        Instant now = clock.instant();
        Users.User user = database.inTransaction(connection -> {
            Users.find(connection, name).orElseThrow(() -> new NotFoundResponse("no operator " + name));
            List<String> changes = new ArrayList<>();
            if (role != null) {
                Users.setRole(connection, name, role);
                changes.add("role=" + LoginCheck.name(role));
            }
            if (body.enabled() != null) {
                Users.setEnabled(connection, name, body.enabled());
                changes.add("enabled=" + body.enabled());
            }
            if (body.password() != null) {
                Users.setPassword(connection, name, body.password());
                changes.add("password reset");
            }
            if (Boolean.FALSE.equals(body.enabled()) || body.password() != null) {
                Sessions.closeAll(connection, name);
            }
            AuditLog.record(connection, now, operator.username(), "user.update", name, String.join(", ", changes));
            return Users.find(connection, name).orElseThrow();
        });
        ctx.json(user);
    }

    /** Audit entries, newest first, optionally of one operator and one action. */
    static List<AuditEntry> audit(Database database, String user, String action, int limit) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT audit_id, at, username, action, target, detail FROM audit_log "
                + "WHERE 1 = 1");
        List<String> parameters = new ArrayList<>();
        if (user != null && !user.isBlank()) {
            sql.append(" AND username = ?");
            parameters.add(user);
        }
        if (action != null && !action.isBlank()) {
            sql.append(" AND action = ?");
            parameters.add(action);
        }
        sql.append(" ORDER BY audit_id DESC LIMIT ").append(limit);
        List<AuditEntry> entries = new ArrayList<>();
        try (Connection connection = database.connect();
                PreparedStatement select = connection.prepareStatement(sql.toString())) {
            for (int i = 0; i < parameters.size(); i++) {
                select.setString(i + 1, parameters.get(i));
            }
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    entries.add(new AuditEntry(rows.getLong(1), Instant.ofEpochMilli(rows.getLong(2)),
                            rows.getString(3), rows.getString(4), rows.getString(5), rows.getString(6)));
                }
            }
        }
        return entries;
    }

    /** The audit log's {@code ?limit=}: 1 to {@link #MAX_LIMIT}, default {@link #DEFAULT_LIMIT}. */
    static int limit(Context ctx) {
        return QueryParameters.limit(ctx, MAX_LIMIT, DEFAULT_LIMIT);
    }
}
