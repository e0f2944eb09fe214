package org.medida.central.web;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

import io.javalin.http.Context;

/**
 * The dashboard's pages: one layout (navigation by role, the operator, log out), HTML escaping of everything that
 * comes from data, and the security headers. Pages carry no inline script: the content security policy allows
 * only the dashboard's own script and the chart library, both served by central.
 */
final class Html {

    static final String CHART_JS = "/webjars/chartjs/4.4.3/dist/chart.umd.js";
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);
    private static final String POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    private Html() {
    }

    /** Sends a full page: {@code page} names the script's part for it ({@code data-page}), {@code body} is HTML. */
    static void send(Context ctx, String title, String page, Operator operator, String body) {
        secure(ctx);
        StringBuilder html = new StringBuilder("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
                .append("<title>").append(escape(title)).append(" - Medida</title>")
                .append("<link rel=\"stylesheet\" href=\"/assets/dashboard.css\">")
                .append("<script src=\"").append(CHART_JS).append("\" defer></script>")
                .append("<script src=\"/assets/dashboard.js\" defer></script></head>")
                .append("<body data-page=\"").append(escape(page)).append("\"");
        if (operator != null) {
            html.append(" data-role=\"").append(LoginCheck.name(operator.role())).append("\"");
        }
        html.append("><header><a class=\"brand\" href=\"/\">Medida</a>");
        if (operator != null) {
            html.append("<nav><a href=\"/\">Fleet</a><a href=\"/meters\">Meters</a><a href=\"/workorders\">Work orders</a>")
                    .append("<a href=\"/plans\">Plans</a><a href=\"/alarms\">Alarms</a>");
            if (operator.role().covers(Role.ADMIN)) {
                html.append("<a href=\"/users\">Users</a><a href=\"/audit\">Audit</a>");
            }
            html.append("<a href=\"/docs/api\">API</a></nav><form class=\"who\" method=\"post\" action=\"/logout\">")
                    .append("<span id=\"operator\">").append(escape(operator.username())).append(" (")
                    .append(LoginCheck.name(operator.role())).append(")</span> <button type=\"submit\">Log out</button>")
                    .append("</form>");
        }
        html.append("</header><main><h1>").append(escape(title)).append("</h1>").append(body)
                .append("</main></body></html>");
        ctx.html(html.toString());
    }

    /** Headers every page gets: the content security policy, no sniffing, no framing, no referrer elsewhere. */
    static void secure(Context ctx) {
        ctx.header("Content-Security-Policy", POLICY);
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("Referrer-Policy", "same-origin");
        ctx.header("Cache-Control", "no-store");
    }

    static String escape(String text) {
        if (text == null) {
            return "";
        }
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

    /** A value for a table cell: escaped, instants in UTC, exact decimals, "-" when absent or blank. */
    static String text(Object value) {
        if (value == null || value.toString().isBlank()) {
            return "-";
        }
        if (value instanceof Instant instant) {
            return TIME.format(instant);
        }
        return escape(value instanceof BigDecimal decimal ? decimal.toPlainString() : value.toString());
    }

    /** A URL path segment or query value. */
    static String url(String text) {
        return java.net.URLEncoder.encode(text, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** A table: header cells, then rows of already-escaped cells. */
    static String table(String id, java.util.List<String> headers, java.util.List<java.util.List<String>> rows) {
        StringBuilder html = new StringBuilder("<table id=\"").append(escape(id)).append("\"><thead><tr>");
        headers.forEach(h -> html.append("<th>").append(escape(h)).append("</th>"));
        html.append("</tr></thead><tbody>");
        if (rows.isEmpty()) {
            html.append("<tr><td class=\"none\" colspan=\"").append(headers.size()).append("\">none</td></tr>");
        }
        for (java.util.List<String> row : rows) {
            html.append("<tr>");
            row.forEach(cell -> html.append("<td>").append(cell).append("</td>"));
            html.append("</tr>");
        }
        return html.append("</tbody></table>").toString();
    }

    static String link(String href, String text) {
        return "<a href=\"" + escape(href) + "\">" + escape(text) + "</a>";
    }
}
