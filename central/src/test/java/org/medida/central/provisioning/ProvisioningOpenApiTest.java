package org.medida.central.provisioning;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** The OpenAPI fragment documents every provisioning route, and every schema it refers to exists. */
class ProvisioningOpenApiTest {

    private static final Map<String, List<String>> ROUTES = Map.of(
            "/api/gateways", List.of("get", "post"),
            "/api/gateways/{id}", List.of("get"),
            "/api/meters", List.of("get", "post"),
            "/api/meters/{serial}", List.of("get"),
            "/api/meters/{serial}/commission", List.of("post"),
            "/api/meters/{serial}/decommission", List.of("post"),
            "/api/meters/{serial}/relink", List.of("post"),
            "/api/meters/{serial}/usage-point", List.of("post", "delete"),
            "/api/meters/{serial}/contract", List.of("post"),
            "/api/groups/{name}/meters", List.of("post"));

    @Test
    void everyRouteIsDocumentedAndEveryReferenceResolves() throws Exception {
        JsonNode fragment;
        try (InputStream in = getClass().getResourceAsStream("/openapi/provisioning.json")) {
            fragment = new ObjectMapper().readTree(in);
        }
        ROUTES.forEach((path, methods) -> methods.forEach(method -> assertTrue(
                fragment.path("paths").path(path).has(method), method + " " + path + " is not documented")));
        List<String> refs = new ArrayList<>();
        collectRefs(fragment, refs);
        for (String ref : refs) {
            String name = ref.substring("#/components/schemas/".length());
            assertTrue(fragment.path("components").path("schemas").has(name), "no schema " + name);
        }
        assertTrue(refs.size() > 20);
    }

    private static void collectRefs(JsonNode node, List<String> refs) {
        if (node.has("$ref")) {
            refs.add(node.get("$ref").asText());
        }
        node.elements().forEachRemaining(child -> collectRefs(child, refs));
    }
}
