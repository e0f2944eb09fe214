package org.medida.central.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The IEC 61968-9 codes central files values under (DOMAIN.md), one per kind of value, and what it refuses. */
@Tag("no-database")
class ReadingTypeTest {

    @Test
    void loadProfileChannelsAreBulkQuantitiesOfTheirCapturePeriod() throws Exception {
        assertEquals("0.0.2.1.1.1.12.0.0.0.0.0.0.0.0.0.72.0",
                ReadingType.ofProfileChannel("1.0.1.8.0.255", "Wh", Duration.ofMinutes(15)).code());
        assertEquals("0.0.7.1.19.1.12.0.0.0.0.0.0.0.0.0.72.0",
                ReadingType.ofProfileChannel("1.0.2.8.0.255", "Wh", Duration.ofHours(1)).code());
        assertEquals("0.0.2.1.5.1.12.0.0.0.0.0.0.0.0.0.73.0",
                ReadingType.ofProfileChannel("1.0.3.8.0.255", "varh", Duration.ofMinutes(15)).code());
    }

    @Test
    void registersAreClosuresCurrentValuesDemandsOrInstantaneousValues() throws Exception {
        ReadingType closure = ReadingType.ofRegister("1.0.1.8.2.255", "Wh", true);
        assertEquals("11.0.0.1.1.1.12.0.0.0.0.2.0.0.0.0.72.0", closure.code(), "daily bulk, tariff 2");
        assertEquals("daily closure of forward active energy T2 (Wh)", closure.description());
        assertEquals("0.0.0.1.1.1.12.0.0.0.0.0.0.0.0.0.72.0", ReadingType.ofRegister("1.0.1.8.0.255", "Wh", false).code());
        assertEquals("8.8.0.6.1.1.8.0.0.0.0.0.0.0.0.0.38.0", ReadingType.ofRegister("1.0.1.6.0.255", "W", true).code());
        assertEquals("0.0.0.12.1.1.37.0.0.0.0.0.0.0.0.0.38.0", ReadingType.ofRegister("1.0.1.7.0.255", "W", false).code());
        assertEquals("0.0.0.12.0.1.54.0.0.0.0.0.0.0.64.0.29.0", ReadingType.ofRegister("1.0.52.7.0.255", "V", false).code());
        ReadingType current = ReadingType.ofRegister("1.0.71.7.0.255", "A", false);
        assertEquals("0.0.0.12.0.1.4.0.0.0.0.0.0.0.32.0.5.0", current.code());
        assertEquals("current L3 (A)", current.description());
    }

    @Test
    void everyCodeHasEighteenFields() throws Exception {
        assertEquals(18, ReadingType.ofRegister("1.0.16.8.0.255", "Wh", true).code().split("\\.").length);
    }

    @Test
    void refusesWhatItHasNoMeaningFor() {
        assertTrue(assertThrows(RefusedBatchException.class, () -> ReadingType.ofRegister("0.0.1.0.0.255", "", false))
                .getMessage().contains("not an electricity quantity"));
        assertThrows(RefusedBatchException.class, () -> ReadingType.ofRegister("1.0.1.8.0.255", "kWh", true));
        assertThrows(RefusedBatchException.class, () -> ReadingType.ofRegister("1.0.1.6.0.255", "W", false),
                "a maximum demand needs its capture time");
        assertThrows(RefusedBatchException.class, () -> ReadingType.ofRegister("1.0.99.8.0.255", "Wh", false));
        assertThrows(RefusedBatchException.class,
                () -> ReadingType.ofProfileChannel("1.0.1.8.0.255", "Wh", Duration.ofMinutes(20)));
        assertThrows(RefusedBatchException.class,
                () -> ReadingType.ofProfileChannel("1.0.32.7.0.255", "A", Duration.ofMinutes(15)));
    }
}
