package org.medida.central.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.time.Instant;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("no-database")
class JsonTest {

    @Test
    void escapesStringsAndWritesDecimalsExactly() {
        String json = new Json().beginObject()
                .field("text", "a\"b\\c\nd\te\u0001f\u2028")
                .field("none", (String) null)
                .field("value", new BigDecimal("1E+3"))
                .field("scaled", new BigDecimal("12.500"))
                .optionalField("absent", null)
                .field("at", Instant.parse("2026-11-21T00:15:00Z"))
                .name("list").beginArray().beginObject().field("n", 1).endObject().beginObject().field("b", true)
                .endObject().endArray()
                .endObject().toString();
        assertEquals("{\"text\":\"a\\\"b\\\\c\\nd\\te\\u0001f\\u2028\",\"none\":null,\"value\":1000,\"scaled\":12.500,"
                + "\"absent\":null,\"at\":\"2026-11-21T00:15:00Z\",\"list\":[{\"n\":1},{\"b\":true}]}", json);
    }
}
