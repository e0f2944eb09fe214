package org.medida.central.web;

import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.javalin.http.BadRequestResponse;
import io.javalin.http.Context;

/**
 * The API's JSON: one Jackson mapper for Javalin (instants as ISO-8601 strings, decimals in plain notation) and
 * request bodies read with a 400 that names the field that is wrong.
 */
final class JsonBodies {

    static final ObjectMapper MAPPER = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .enable(com.fasterxml.jackson.core.JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN);

    private JsonBodies() {
    }

    static <T> T read(Context ctx, Class<T> type) {
        try {
            T body = MAPPER.readValue(ctx.body(), type);
            if (body == null) {
                throw new BadRequestResponse("the body must be a JSON object");
            }
            return body;
        } catch (JsonMappingException e) {
            throw new BadRequestResponse(problem(e));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new BadRequestResponse("the body is not JSON: " + e.getOriginalMessage());
        }
    }

    /** What is wrong with a body, naming the field: {@code 'enabled': Cannot deserialize ...}. */
    static String problem(JsonMappingException e) {
        String path = e.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .reduce((a, b) -> b.startsWith("[") ? a + b : a + "." + b).orElse("");
        String message = e.getOriginalMessage();
        int cut = message.indexOf('\n');
        message = cut < 0 ? message : message.substring(0, cut);
        return path.isEmpty() ? "bad JSON body: " + message : "'" + path + "': " + message;
    }
}
