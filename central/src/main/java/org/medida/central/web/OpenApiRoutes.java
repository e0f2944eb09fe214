package org.medida.central.web;

import java.util.Iterator;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.config.RoutesConfig;

/** {@code GET /api/openapi.json} (the merged document) and {@code GET /docs/api}, a page listing the operations. */
final class OpenApiRoutes implements FeatureRoutes {

    private final ObjectNode document = OpenApi.document();

    @Override
    public void register(RoutesConfig routes) {
        routes.get("/api/openapi.json", ctx -> ctx.json(document), Role.SUPPORT);
        routes.get("/docs/api", ctx -> Html.send(ctx, "HTTP API", "docs", Operator.of(ctx), page()), Role.SUPPORT);
    }

    private String page() {
        StringBuilder html = new StringBuilder("<p>The machine-readable document: ")
                .append(Html.link("/api/openapi.json", "/api/openapi.json"))
                .append(" (OpenAPI 3.0). Log in with <code>POST /login</code>; state-changing calls send JSON.</p>")
                .append("<table id=\"operations\"><thead><tr><th>method</th><th>path</th><th>what</th></tr></thead><tbody>");
        for (Iterator<Map.Entry<String, JsonNode>> paths = document.path("paths").fields(); paths.hasNext();) {
            Map.Entry<String, JsonNode> path = paths.next();
            for (Iterator<Map.Entry<String, JsonNode>> ops = path.getValue().fields(); ops.hasNext();) {
                Map.Entry<String, JsonNode> op = ops.next();
                html.append("<tr><td>").append(Html.escape(op.getKey().toUpperCase(java.util.Locale.ROOT)))
                        .append("</td><td><code>").append(Html.escape(path.getKey())).append("</code></td><td>")
                        .append(Html.escape(op.getValue().path("summary").asText(""))).append("</td></tr>");
            }
        }
        return html.append("</tbody></table>").toString();
    }
}
