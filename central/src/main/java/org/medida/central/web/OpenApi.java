package org.medida.central.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.jar.JarFile;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The HTTP API's OpenAPI 3.0 document, merged at start from every feature's fragment on the class path
 * ({@code openapi/<feature>.json}, each {@code {"paths": {...}, "components": {"schemas": {...}, ...}}}). Two
 * fragments that document the same operation, or define one component name differently, are a start-up error
 * naming both files.
 */
final class OpenApi {

    static final String DIRECTORY = "openapi";

    private OpenApi() {
    }

    /** The merged document. */
    static ObjectNode document() {
        ObjectNode document = JsonBodies.MAPPER.createObjectNode();
        document.put("openapi", "3.0.3");
        document.putObject("info").put("title", "Medida central").put("version", "1")
                .put("description", "The operators' API. Log in with POST /login; the session cookie then "
                        + "authenticates every call. State-changing calls send JSON (Content-Type: application/json). "
                        + "Errors are {\"error\": \"...\"}: 400 bad input, 401 not logged in, 403 role too small.");
        ObjectNode paths = document.putObject("paths");
        ObjectNode components = document.putObject("components");
        components.putObject("securitySchemes").putObject("session").put("type", "apiKey").put("in", "cookie")
                .put("name", Sessions.COOKIE);
        document.putArray("security").addObject().putArray("session");
        Map<String, String> sources = new java.util.HashMap<>();
        for (String name : fragmentNames()) {
            JsonNode fragment = read(name);
            merge(name, fragment.path("paths"), paths, sources, true, "path");
            for (Iterator<Map.Entry<String, JsonNode>> sections = fragment.path("components").fields();
                    sections.hasNext();) {
                Map.Entry<String, JsonNode> section = sections.next();
                ObjectNode into = components.has(section.getKey()) ? (ObjectNode) components.get(section.getKey())
                        : components.putObject(section.getKey());
                merge(name, section.getValue(), into, sources, false, section.getKey());
            }
        }
        return document;
    }

    private static void merge(String file, JsonNode from, ObjectNode into, Map<String, String> sources,
            boolean operations, String kind) {
        for (Iterator<Map.Entry<String, JsonNode>> it = from.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> entry = it.next();
            if (!operations) {
                // the same component defined alike in two fragments is one component
                if (!entry.getValue().equals(into.get(entry.getKey()))) {
                    claim(sources, kind + " " + entry.getKey(), file);
                    into.set(entry.getKey(), entry.getValue());
                }
                continue;
            }
            ObjectNode item = into.has(entry.getKey()) ? (ObjectNode) into.get(entry.getKey())
                    : into.putObject(entry.getKey());
            for (Iterator<Map.Entry<String, JsonNode>> ops = entry.getValue().fields(); ops.hasNext();) {
                Map.Entry<String, JsonNode> op = ops.next();
                claim(sources, op.getKey() + " " + entry.getKey(), file);
                item.set(op.getKey(), op.getValue());
            }
        }
    }

    private static void claim(Map<String, String> sources, String what, String file) {
        String earlier = sources.putIfAbsent(what, file);
        if (earlier != null) {
            throw new IllegalStateException("OpenAPI: " + what + " is in both " + earlier + " and " + file);
        }
    }

    private static JsonNode read(String name) {
        try (InputStream in = OpenApi.class.getClassLoader().getResourceAsStream(DIRECTORY + "/" + name)) {
            JsonNode fragment = JsonBodies.MAPPER.readTree(in);
            if (fragment == null || !fragment.isObject()) {
                throw new IllegalStateException("OpenAPI fragment " + name + " is not a JSON object");
            }
            return fragment;
        } catch (IOException e) {
            throw new IllegalStateException("OpenAPI fragment " + name + " is not valid JSON: " + e.getMessage(), e);
        }
    }

    /** The fragments' file names, sorted, from directories and jars on the class path alike. */
    static List<String> fragmentNames() {
        List<String> names = new ArrayList<>();
        try {
            Enumeration<URL> roots = OpenApi.class.getClassLoader().getResources(DIRECTORY);
            for (URL root : Collections.list(roots)) {
                if ("file".equals(root.getProtocol())) {
                    try (Stream<Path> files = Files.list(Path.of(root.toURI()))) {
                        files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".json")).forEach(names::add);
                    }
                } else if ("jar".equals(root.getProtocol())) {
                    JarURLConnection connection = (JarURLConnection) root.openConnection();
                    connection.setUseCaches(false);
                    try (JarFile jar = connection.getJarFile()) {
                        jar.stream().map(e -> e.getName()).filter(n -> n.startsWith(DIRECTORY + "/")
                                && n.endsWith(".json") && n.indexOf('/', DIRECTORY.length() + 1) < 0)
                                .map(n -> n.substring(DIRECTORY.length() + 1)).forEach(names::add);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("listing the OpenAPI fragments", e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException("listing the OpenAPI fragments", e);
        }
        return names.stream().distinct().sorted().toList();
    }
}
