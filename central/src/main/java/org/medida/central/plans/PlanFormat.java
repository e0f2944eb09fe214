package org.medida.central.plans;

import java.time.LocalTime;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * How plans write themselves: windows as "HH:MM", JSON through one Jackson mapper. Instants and days go into the
 * JSON views as ISO-8601 strings already, so the mapper needs no time module.
 */
final class PlanFormat {

    static final ObjectMapper JSON = new ObjectMapper();

    private PlanFormat() {
    }

    static String time(LocalTime time) {
        return String.format("%02d:%02d", time.getHour(), time.getMinute());
    }

    static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            // the views are records of strings, numbers and lists: they always serialise
            throw new IllegalStateException("cannot write " + value.getClass().getSimpleName() + " as JSON", e);
        }
    }
}
