package org.medida.central.web;

import java.io.IOException;
import java.io.InputStream;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.NotFoundResponse;
import org.medida.central.db.Database;

/**
 * The dashboard's pages, rendered on the server from the tables (schema version 2 is their contract): fleet,
 * gateway with its missing-interval heatmap, meter search and detail, work orders, plans, alarms, users and audit
 * log. What changes things (orders, plans, acknowledgements, users) goes through the JSON API from the dashboard's
 * script; its controls are only rendered for roles that may use them, and the API checks again.
 */
final class Pages implements FeatureRoutes {

    private static final Map<String, String> ASSETS = Map.of("dashboard.js", "text/javascript; charset=utf-8",
            "dashboard.css", "text/css; charset=utf-8");
    private static final int LIST_LIMIT = 200;
    private static final int HEATMAP_DAYS = 7;

    private final Database database;
    private final Clock clock;
    private final MissingIntervalCounts missingIntervals;

    Pages(Database database, Clock clock, MissingIntervalCounts missingIntervals) {
        this.database = database;
        this.clock = clock;
        this.missingIntervals = missingIntervals;
    }

    @Override
    public void register(RoutesConfig routes) {
        routes.get("/assets/{name}", this::asset, Access.ANYONE);
        routes.get("/", ctx -> page(ctx, "Fleet", "fleet", this::fleet), Role.SUPPORT);
        routes.get("/gateways/{id}", ctx -> page(ctx, "Gateway " + ctx.pathParam("id"), "gateway", this::gateway),
                Role.SUPPORT);
        routes.get("/meters", ctx -> page(ctx, "Meters", "meters", this::meters), Role.SUPPORT);
        routes.get("/meters/{serial}", ctx -> page(ctx, "Meter " + ctx.pathParam("serial"), "meter", this::meter),
                Role.SUPPORT);
        routes.get("/workorders", ctx -> page(ctx, "Work orders", "workorders", this::workOrders), Role.SUPPORT);
        routes.get("/plans", ctx -> page(ctx, "Plans", "plans", this::plans), Role.SUPPORT);
        routes.get("/plans/{id}", ctx -> page(ctx, "Plan " + ctx.pathParam("id"), "plan", this::plan), Role.SUPPORT);
        routes.get("/alarms", ctx -> page(ctx, "Alarms", "alarms", this::alarms), Role.SUPPORT);
        routes.get("/users", ctx -> page(ctx, "Users", "users", this::users), Role.ADMIN);
        routes.get("/audit", ctx -> page(ctx, "Audit log", "audit", this::audit), Role.ADMIN);
    }

    private interface Body {
        String render(Context ctx, Connection connection, Operator operator) throws SQLException;
    }

    private void page(Context ctx, String title, String name, Body body) throws SQLException {
        Operator operator = Operator.of(ctx);
        String html;
        try (Connection connection = database.connect()) {
            html = body.render(ctx, connection, operator);
        }
        Html.send(ctx, title, name, operator, html);
    }

    private void asset(Context ctx) throws IOException {
        String name = ctx.pathParam("name");
        String type = ASSETS.get(name);
        if (type == null) {
            throw new NotFoundResponse("no asset " + name);
        }
        try (InputStream in = Pages.class.getResourceAsStream("/web/" + name)) {
            ctx.contentType(type).header("X-Content-Type-Options", "nosniff").result(in.readAllBytes());
        }
    }

    // ---- fleet

    private String fleet(Context ctx, Connection connection, Operator operator) throws SQLException {
        Instant now = clock.instant();
        long dayAgo = now.minus(Duration.ofDays(1)).toEpochMilli();
        List<Rows.Row> gateways = Rows.query(connection, """
                SELECT g.gateway_id AS id, g.online AS online, g.last_seen AS last_seen, g.substation AS substation,
                  g.state AS state,
                  (SELECT COUNT(*) FROM meters m WHERE m.gateway_id = g.gateway_id) AS meters,
                  (SELECT COUNT(*) FROM work_orders w WHERE w.gateway_id = g.gateway_id
                     AND w.state IN ('PENDING', 'SENT')) AS waiting,
                  (SELECT MAX(v.end_at) FROM meters m JOIN interval_values v ON v.meter_id = m.meter_id
                     WHERE m.gateway_id = g.gateway_id) AS newest,
                  (SELECT COUNT(*) FROM meters m WHERE m.gateway_id = g.gateway_id AND EXISTS
                     (SELECT 1 FROM interval_values v WHERE v.meter_id = m.meter_id AND v.end_at > ?)) AS read_recently
                FROM gateways g ORDER BY g.gateway_id""", dayAgo);
        long online = gateways.stream().filter(g -> g.number("online") == 1).count();
        Rows.Row orders = Rows.query(connection, """
                SELECT COUNT(*) AS total, SUM(CASE WHEN state = 'EXE' THEN 1 ELSE 0 END) AS exe,
                  SUM(CASE WHEN state = 'WARN' THEN 1 ELSE 0 END) AS warn,
                  SUM(CASE WHEN state = 'FAIL' THEN 1 ELSE 0 END) AS fail
                FROM work_orders WHERE created_at > ?""", dayAgo).get(0);
        long openAlarms = Rows.query(connection, "SELECT COUNT(*) AS n FROM alarms WHERE acknowledged_at IS NULL")
                .get(0).number("n");
        long meters = Rows.query(connection, "SELECT COUNT(*) AS n FROM meters").get(0).number("n");
        long finished = orders.number("exe") + orders.number("warn") + orders.number("fail");
        StringBuilder html = new StringBuilder("<section class=\"tiles\">")
                .append(tile("gateways-online", "gateways online", online + " / " + gateways.size()))
                .append(tile("gateways-offline", "gateways offline", Long.toString(gateways.size() - online)))
                .append(tile("meters", "meters", Long.toString(meters)))
                .append(tile("order-success", "work orders EXE (24 h)", finished == 0 ? "-"
                        : percent((double) orders.number("exe") / finished) + " of " + finished))
                .append(tile("open-alarms", "open alarms", Long.toString(openAlarms)))
                .append("</section><h2>Gateways</h2>");
        List<List<String>> rows = new ArrayList<>();
        for (Rows.Row g : gateways) {
            long count = g.number("meters");
            rows.add(List.of(Html.link("/gateways/" + Html.url(g.text("id")), g.text("id")),
                    g.number("online") == 1 ? "<span class=\"on\">online</span>" : "<span class=\"off\">offline</span>",
                    Html.text(g.instant("last_seen")), Html.text(g.text("substation")), Long.toString(count),
                    Long.toString(g.number("waiting")), Html.text(g.instant("newest")),
                    count == 0 ? "-" : percent((double) g.number("read_recently") / count)));
        }
        html.append(Html.table("gateways", List.of("gateway", "state", "last seen", "substation", "meters",
                "orders waiting", "newest interval", "meters read (24 h)"), rows));
        return html.toString();
    }

    private static String tile(String id, String label, String value) {
        return "<div class=\"tile\" id=\"tile-" + id + "\"><span class=\"value\">" + Html.escape(value)
                + "</span><span class=\"label\">" + Html.escape(label) + "</span></div>";
    }

    private static String percent(double share) {
        return Math.round(share * 1000) / 10.0 + " %";
    }

    // ---- gateway

    private String gateway(Context ctx, Connection connection, Operator operator) throws SQLException {
        String id = ctx.pathParam("id");
        Rows.Row g = Rows.one(connection, "SELECT * FROM gateways WHERE gateway_id = ?", "gateway", id);
        StringBuilder html = new StringBuilder("<dl class=\"facts\">");
        fact(html, "state", g.number("online") == 1 ? "online" : "offline");
        fact(html, "last seen", Html.text(g.instant("last_seen")));
        fact(html, "software", Html.text(g.text("software")));
        fact(html, "inventory state", Html.text(g.text("state")));
        fact(html, "hardware", Html.text(g.text("hardware_type")) + " " + Html.text(g.text("hardware_serial")));
        fact(html, "substation / transformer", Html.text(g.text("substation")) + " / "
                + Html.text(g.text("transformer")));
        fact(html, "communication", Html.text(g.text("comm_type")) + " " + Html.text(g.text("ip")));
        html.append("</dl><h2>Missing intervals</h2><p>Share stored of each UTC day's load-profile intervals due: "
                + "from the meter's commissioning or first interval up to a little before now (the latest are still "
                + "on their way).</p>");
        LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        LocalDate first = today.minusDays(HEATMAP_DAYS - 1);
        html.append("<table id=\"heatmap\" class=\"heatmap\"><thead><tr><th>meter</th>");
        first.datesUntil(today.plusDays(1)).forEach(d -> html.append("<th>").append(d).append("</th>"));
        html.append("</tr></thead><tbody>");
        for (var meter : missingIntervals.perMeterPerDay(id, first, today).entrySet()) {
            html.append("<tr><td>").append(Html.link("/meters/" + Html.url(meter.getKey()), meter.getKey()))
                    .append("</td>");
            meter.getValue().values().forEach(day -> heatmapCell(html, day));
            html.append("</tr>");
        }
        html.append("</tbody></table>");
        html.append("<h2>Meters</h2>").append(meterTable(connection, "WHERE gateway_id = ?", id));
        return html.toString();
    }

    private static void heatmapCell(StringBuilder html, MissingIntervalCounts.Day day) {
        if (day.expected() == 0) {
            html.append("<td title=\"nothing due\">–</td>");
            return;
        }
        int present = day.expected() - day.missing();
        double share = (double) present / day.expected();
        html.append("<td class=\"h").append(Math.round(share * 10)).append("\" title=\"").append(present)
                .append(" of ").append(day.expected()).append("\">").append(Math.round(share * 100)).append("</td>");
    }

    private static void fact(StringBuilder html, String label, String escapedValue) {
        html.append("<dt>").append(Html.escape(label)).append("</dt><dd>").append(escapedValue).append("</dd>");
    }

    // ---- meters

    private String meters(Context ctx, Connection connection, Operator operator) throws SQLException {
        String q = value(ctx.queryParam("q"));
        String state = value(ctx.queryParam("state"));
        StringBuilder html = new StringBuilder("<form class=\"filters\" method=\"get\" action=\"/meters\">")
                .append("<input name=\"q\" id=\"meter-query\" placeholder=\"serial contains\" value=\"")
                .append(Html.escape(q)).append("\"><select name=\"state\" id=\"meter-state\"><option value=\"\">any state</option>");
        for (String s : List.of("discovered", "registered", "commissioned", "decommissioned")) {
            html.append("<option").append(s.equals(state) ? " selected" : "").append(">").append(s).append("</option>");
        }
        html.append("</select><button type=\"submit\" id=\"meter-search\">Search</button></form>");
        String like = "%" + q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
        String where = "WHERE serial LIKE ? ESCAPE '\\'" + (state.isEmpty() ? "" : " AND state = ?");
        Object[] parameters = state.isEmpty() ? new Object[] {like} : new Object[] {like, state};
        return html.append(meterTable(connection, where, parameters)).toString();
    }

    private static String meterTable(Connection connection, String where, Object... parameters) throws SQLException {
        List<List<String>> rows = new ArrayList<>();
        for (Rows.Row m : Rows.query(connection, "SELECT serial, gateway_id, state, connection, manufacturer, "
                + "meter_type, reachable, last_success FROM meters " + where + " ORDER BY serial LIMIT " + LIST_LIMIT,
                parameters)) {
            String gateway = m.text("gateway_id");
            rows.add(List.of(Html.link("/meters/" + Html.url(m.text("serial")), m.text("serial")),
                    gateway == null ? "-" : Html.link("/gateways/" + Html.url(gateway), gateway),
                    Html.text(m.text("state")), Html.text(m.text("connection")),
                    Html.text(m.text("manufacturer")) + " " + Html.text(m.text("meter_type")),
                    m.nullableNumber("reachable") == null ? "-" : m.number("reachable") == 1 ? "yes" : "no",
                    Html.text(m.instant("last_success"))));
        }
        return Html.table("meter-list", List.of("serial", "gateway", "state", "connection", "type", "reachable",
                "last success"), rows);
    }

    private String meter(Context ctx, Connection connection, Operator operator) throws SQLException {
        String serial = ctx.pathParam("serial");
        Rows.Row m = Rows.one(connection, "SELECT * FROM meters WHERE serial = ?", "meter", serial);
        StringBuilder html = new StringBuilder("<dl class=\"facts\">");
        String gateway = m.text("gateway_id");
        fact(html, "gateway", gateway == null ? "- (point to point)" : Html.link("/gateways/" + Html.url(gateway), gateway));
        fact(html, "state", Html.text(m.text("state")) + " since " + Html.text(m.instant("state_since")));
        fact(html, "type", Html.text(m.text("manufacturer")) + " " + Html.text(m.text("meter_type")) + ", firmware "
                + Html.text(m.text("firmware")));
        fact(html, "capabilities", Html.text(m.text("capabilities")));
        fact(html, "relay", "<span id=\"relay\">" + (m.nullableNumber("relay_closed") == null ? "unknown"
                : m.number("relay_closed") == 1 ? "closed (supply on)" : "open (supply off)") + "</span>");
        fact(html, "last success / failure", Html.text(m.instant("last_success")) + " / "
                + Html.text(m.instant("last_failure")) + " " + Html.escape(m.text("last_failure_reason")));
        fact(html, "contract", Html.text(m.text("contract_profile")) + " " + Html.text(m.text("contract_state"))
                + ", tariff " + Html.text(m.text("tariff_profile")));
        html.append("</dl>");
        if (operator.role().covers(Role.TECHNICAL)) {
            html.append("<section id=\"actions\" data-serial=\"").append(Html.escape(serial)).append("\">")
                    .append("<button data-kind=\"READ_REGISTERS\" id=\"read\">Read registers now</button>")
                    .append("<button data-kind=\"DISCONNECT\" id=\"disconnect\" class=\"danger\">Disconnect</button>")
                    .append("<button data-kind=\"RECONNECT\" id=\"reconnect\">Reconnect</button>")
                    .append("<div id=\"order-result\" aria-live=\"polite\"></div></section>");
        }
        html.append("<h2>Latest registers</h2>");
        List<List<String>> registers = new ArrayList<>();
        for (Queries.LastValue value : new Queries(connection, database.dialect()).lastValues(serial)) {
            registers.add(List.of(Html.escape(value.description()), Html.text(value.value()), Html.text(value.at()),
                    "<code>" + Html.escape(value.readingType()) + "</code>"));
        }
        html.append(Html.table("registers", List.of("what", "value", "at", "reading type"), registers));
        Instant newest = Rows.query(connection, "SELECT MAX(v.end_at) AS newest FROM interval_values v "
                + "JOIN meters m ON m.meter_id = v.meter_id WHERE m.serial = ?", serial).get(0).instant("newest");
        Instant to = newest == null ? clock.instant() : newest;
        html.append("<h2>Load profile</h2><form id=\"range\" class=\"filters\"><label>from <input type=\"datetime-local\" ")
                .append("id=\"from\" value=\"").append(local(to.minus(Duration.ofDays(1)))).append("\"></label>")
                .append("<label>to <input type=\"datetime-local\" id=\"to\" value=\"").append(local(to))
                .append("\"></label> UTC <button type=\"submit\" id=\"show\">Show</button></form>")
                .append("<div class=\"chart\"><canvas id=\"profile\" data-serial=\"").append(Html.escape(serial))
                .append("\"></canvas></div><p id=\"chart-note\"></p>");
        html.append("<h2>Events</h2>");
        List<List<String>> events = new ArrayList<>();
        for (Rows.Row e : Rows.query(connection, "SELECT at, source, code, name, detail FROM central_events "
                + "WHERE serial = ? ORDER BY at DESC LIMIT 50", serial)) {
            events.add(List.of(Html.text(e.instant("at")), Html.text(e.text("source")), Html.text(e.text("code")),
                    Html.text(e.text("name")), Html.text(e.text("detail"))));
        }
        html.append(Html.table("events", List.of("at", "source", "code", "event", "detail"), events));
        html.append("<h2>Work orders</h2>").append(orderTable(connection, "WHERE serial = ?", 20, serial));
        return html.toString();
    }

    private static String local(Instant instant) {
        return instant.truncatedTo(java.time.temporal.ChronoUnit.MINUTES).toString().replace("Z", "").substring(0, 16);
    }

    // ---- work orders

    private String workOrders(Context ctx, Connection connection, Operator operator) throws SQLException {
        String serial = value(ctx.queryParam("serial"));
        String state = value(ctx.queryParam("state"));
        StringBuilder html = new StringBuilder("<form class=\"filters\" method=\"get\" action=\"/workorders\">")
                .append("<input name=\"serial\" placeholder=\"meter serial\" value=\"").append(Html.escape(serial))
                .append("\"><select name=\"state\"><option value=\"\">any state</option>");
        for (String s : List.of("PENDING", "SENT", "EXE", "WARN", "FAIL")) {
            html.append("<option").append(s.equals(state) ? " selected" : "").append(">").append(s).append("</option>");
        }
        html.append("</select><button type=\"submit\">Filter</button></form>");
        List<String> conditions = new ArrayList<>();
        List<Object> parameters = new ArrayList<>();
        if (!serial.isEmpty()) {
            conditions.add("serial = ?");
            parameters.add(serial);
        }
        if (!state.isEmpty()) {
            conditions.add("state = ?");
            parameters.add(state);
        }
        String where = conditions.isEmpty() ? "" : "WHERE " + String.join(" AND ", conditions);
        return html.append(orderTable(connection, where, LIST_LIMIT, parameters.toArray())).toString();
    }

    private static String orderTable(Connection connection, String where, int limit, Object... parameters)
            throws SQLException {
        List<List<String>> rows = new ArrayList<>();
        for (Rows.Row w : Rows.query(connection, "SELECT correlation_id, serial, kind, state, reason, origin, "
                + "attempts, created_at, completed_at FROM work_orders " + where + " ORDER BY created_at DESC LIMIT "
                + limit, parameters)) {
            rows.add(List.of(Html.text(w.instant("created_at")),
                    Html.link("/meters/" + Html.url(w.text("serial")), w.text("serial")), Html.text(w.text("kind")),
                    "<span class=\"state " + Html.escape(w.text("state")) + "\">" + Html.text(w.text("state"))
                            + "</span>", Html.text(w.text("reason")), Html.text(w.text("origin")),
                    Long.toString(w.number("attempts")), Html.text(w.instant("completed_at")),
                    "<code>" + Html.escape(w.text("correlation_id")) + "</code>"));
        }
        return Html.table("orders", List.of("created", "meter", "kind", "state", "reason", "origin", "attempts",
                "completed", "correlation id"), rows);
    }

    // ---- plans

    private String plans(Context ctx, Connection connection, Operator operator) throws SQLException {
        StringBuilder html = new StringBuilder();
        List<List<String>> rows = new ArrayList<>();
        for (Rows.Row p : Rows.query(connection, """
                SELECT p.plan_id AS id, p.name AS name, p.target_kind AS target_kind, p.target AS target,
                  p.kinds AS kinds, p.first_day AS first_day, p.last_day AS last_day, p.state AS state,
                  (SELECT COUNT(*) FROM plan_meters pm WHERE pm.plan_id = p.plan_id) AS total,
                  (SELECT COUNT(*) FROM plan_meters pm WHERE pm.plan_id = p.plan_id
                     AND pm.state IN ('EXE', 'WARN', 'FAIL')) AS done
                FROM plans p ORDER BY p.plan_id DESC LIMIT 200""")) {
            rows.add(List.of(Html.link("/plans/" + p.text("id"), p.text("name")), Html.text(p.text("state")),
                    Html.text(p.text("target_kind")) + " " + Html.text(p.text("target")), Html.text(p.text("kinds")),
                    Html.text(p.text("first_day")) + " .. " + Html.text(p.text("last_day")),
                    progress(p.number("done"), p.number("total"))));
        }
        html.append(Html.table("plan-list", List.of("plan", "state", "target", "commands", "days", "progress"), rows));
        if (operator.role().covers(Role.TECHNICAL)) {
            html.append("""
                    <h2>New plan</h2>
                    <form id="new-plan" class="stacked">
                    <label>Name <input name="name" required></label>
                    <label>Target <select name="targetKind"><option>list</option><option>gateway</option>
                      <option>group</option><option>all</option></select>
                      <input name="targetValue" placeholder="serials (comma-separated), gateway id or group"></label>
                    <label>Commands <select name="kinds" multiple size="4"><option selected>READ_REGISTERS</option>
                      <option>READ_PROFILE</option><option>READ_EVENTS</option><option>READ_INSTANTANEOUS</option>
                      <option>SYNC_CLOCK</option></select></label>
                    <label>First day <input name="firstDay" type="date" required></label>
                    <label>Last day <input name="lastDay" type="date" required></label>
                    <label>Window <input name="windowStart" value="00:00" pattern="[0-2][0-9]:[0-5][0-9]"> to
                      <input name="windowEnd" value="23:59" pattern="[0-2][0-9]:[0-5][0-9]"> UTC</label>
                    <label>Attempts <input name="maxAttempts" type="number" min="1" value="3"></label>
                    <label>Retry after (s) <input name="retryAfterSeconds" type="number" min="0" value="300"></label>
                    <button type="submit" id="create-plan">Create plan</button>
                    <div id="plan-problems" class="error"></div></form>""");
        }
        return html.toString();
    }

    private static String progress(long done, long total) {
        return "<progress max=\"" + Math.max(total, 1) + "\" value=\"" + done + "\"></progress> " + done + " / " + total;
    }

    private String plan(Context ctx, Connection connection, Operator operator) throws SQLException {
        long id;
        try {
            id = Long.parseLong(ctx.pathParam("id"));
        } catch (NumberFormatException e) {
            throw new NotFoundResponse("no plan " + ctx.pathParam("id"));
        }
        Rows.Row p = Rows.one(connection, "SELECT * FROM plans WHERE plan_id = ?", "plan", id);
        StringBuilder html = new StringBuilder("<dl class=\"facts\">");
        fact(html, "name", Html.text(p.text("name")));
        fact(html, "state", "<span id=\"plan-state\">" + Html.text(p.text("state")) + "</span>");
        fact(html, "target", Html.text(p.text("target_kind")) + " " + Html.text(p.text("target")));
        fact(html, "commands", Html.text(p.text("kinds")));
        fact(html, "days", Html.text(p.text("first_day")) + " .. " + Html.text(p.text("last_day")) + ", "
                + Html.text(p.text("window_start")) + " to " + Html.text(p.text("window_end")) + " UTC");
        fact(html, "retries", p.number("max_attempts") + " attempts, " + p.number("retry_after_seconds") + " s apart");
        // the counts as they are now; the script then follows them live from GET /api/plans/{id}
        Map<String, Long> counts = new java.util.HashMap<>();
        for (Rows.Row c : Rows.query(connection, "SELECT state, COUNT(*) AS n FROM plan_meters WHERE plan_id = ? "
                + "GROUP BY state", id)) {
            counts.put(c.text("state").toLowerCase(java.util.Locale.ROOT), c.number("n"));
        }
        long total = Math.max(1, counts.values().stream().mapToLong(Long::longValue).sum());
        html.append("</dl><section id=\"plan-progress\" data-plan=\"").append(id).append("\">");
        for (String state : List.of("waiting", "running", "exe", "warn", "fail")) {
            long count = counts.getOrDefault(state, 0L);
            html.append("<div class=\"bar\"><span class=\"label ").append(state).append("\">")
                    .append(state.toUpperCase(java.util.Locale.ROOT)).append("</span><progress id=\"bar-").append(state)
                    .append("\" max=\"").append(total).append("\" value=\"").append(count).append("\"></progress>")
                    .append("<span id=\"count-").append(state).append("\">").append(count).append("</span></div>");
        }
        html.append("</section>");
        if (operator.role().covers(Role.TECHNICAL) && "ACTIVE".equals(p.text("state"))) {
            html.append("<button id=\"cancel-plan\" data-plan=\"").append(id).append("\" class=\"danger\">Cancel plan</button>");
        }
        List<List<String>> rows = new ArrayList<>();
        for (Rows.Row m : Rows.query(connection, "SELECT day, serial, state, reason, attempts, updated_at "
                + "FROM plan_meters WHERE plan_id = ? ORDER BY day DESC, serial LIMIT 1000", id)) {
            rows.add(List.of(Html.text(m.text("day")), Html.link("/meters/" + Html.url(m.text("serial")),
                    m.text("serial")), "<span class=\"state " + Html.escape(m.text("state")) + "\">"
                            + Html.text(m.text("state")) + "</span>", Html.text(m.text("reason")),
                    Long.toString(m.number("attempts")), Html.text(m.instant("updated_at"))));
        }
        html.append("<h2>Meters</h2>").append(Html.table("plan-meters", List.of("day", "meter", "state", "reason",
                "attempts", "updated"), rows));
        return html.toString();
    }

    // ---- alarms

    private String alarms(Context ctx, Connection connection, Operator operator) throws SQLException {
        boolean technical = operator.role().covers(Role.TECHNICAL);
        List<List<String>> rows = new ArrayList<>();
        for (Rows.Row a : Rows.query(connection, """
                SELECT a.alarm_id AS id, a.severity AS severity, a.raised_at AS raised_at,
                  a.acknowledged_by AS acknowledged_by, a.acknowledged_at AS acknowledged_at,
                  e.serial AS serial, e.gateway_id AS gateway_id, e.source AS source, e.name AS name, e.detail AS detail
                FROM alarms a JOIN central_events e ON e.event_id = a.event_id
                ORDER BY CASE WHEN a.acknowledged_at IS NULL THEN 0 ELSE 1 END, a.raised_at DESC LIMIT 500""")) {
            String subject = a.text("serial") != null ? Html.link("/meters/" + Html.url(a.text("serial")), a.text("serial"))
                    : a.text("gateway_id") != null ? Html.link("/gateways/" + Html.url(a.text("gateway_id")),
                            a.text("gateway_id")) : "-";
            String acknowledged = a.instant("acknowledged_at") != null
                    ? Html.text(a.text("acknowledged_by")) + " at " + Html.text(a.instant("acknowledged_at"))
                    : technical ? "<button class=\"acknowledge\" data-alarm=\"" + a.number("id") + "\">Acknowledge</button>"
                    : "open";
            rows.add(List.of(Html.text(a.instant("raised_at")), "<span class=\"severity " + Html.escape(a.text("severity"))
                    + "\">" + Html.text(a.text("severity")) + "</span>", subject, Html.text(a.text("source")),
                    Html.text(a.text("name")), Html.text(a.text("detail")), acknowledged));
        }
        return Html.table("alarm-list", List.of("raised", "severity", "meter / gateway", "source", "event", "detail",
                "acknowledged"), rows);
    }

    // ---- users and audit (admin)

    private String users(Context ctx, Connection connection, Operator operator) throws SQLException {
        List<List<String>> rows = new ArrayList<>();
        for (Users.User user : Users.list(connection)) {
            String name = Html.escape(user.username());
            StringBuilder role = new StringBuilder("<select class=\"user-role\" data-user=\"" + name + "\">");
            for (Role r : Role.values()) {
                String option = LoginCheck.name(r);
                role.append("<option").append(option.equals(user.role()) ? " selected" : "").append(">")
                        .append(option).append("</option>");
            }
            role.append("</select>");
            rows.add(List.of(name, role.toString(), user.enabled() ? "yes" : "no", Html.text(user.createdAt()),
                    "<button class=\"user-enable\" data-user=\"" + name + "\" data-enabled=\"" + !user.enabled()
                            + "\">" + (user.enabled() ? "Disable" : "Enable") + "</button> "
                            + "<button class=\"user-password\" data-user=\"" + name + "\">Reset password</button>"));
        }
        return Html.table("user-list", List.of("user", "role", "enabled", "created", ""), rows) + """
                <h2>New operator</h2>
                <form id="new-user" class="stacked">
                <label>User <input name="username" id="new-username" required></label>
                <label>Role <select name="role" id="new-role"><option>support</option><option>technical</option>
                  <option>admin</option></select></label>
                <label>Password <input name="password" id="new-password" type="password" minlength="10" required></label>
                <button type="submit" id="create-user">Create</button>
                <div id="user-problem" class="error"></div></form>""";
    }

    private String audit(Context ctx, Connection connection, Operator operator) throws SQLException {
        List<List<String>> rows = new ArrayList<>();
        for (UserRoutes.AuditEntry e : UserRoutes.audit(database, ctx.queryParam("user"), ctx.queryParam("action"),
                UserRoutes.limit(ctx))) {
            rows.add(List.of(Html.text(e.at()), Html.text(e.username()), Html.text(e.action()), Html.text(e.target()),
                    Html.text(e.detail())));
        }
        return "<form class=\"filters\" method=\"get\" action=\"/audit\"><input name=\"user\" placeholder=\"user\" value=\""
                + Html.escape(value(ctx.queryParam("user"))) + "\"><input name=\"action\" placeholder=\"action\" value=\""
                + Html.escape(value(ctx.queryParam("action"))) + "\"><button type=\"submit\">Filter</button></form>"
                + Html.table("audit-list", List.of("at", "user", "action", "target", "detail"), rows);
    }

    private static String value(String parameter) {
        return parameter == null ? "" : parameter.strip();
    }
}
