package org.medida.edge.store;

import java.util.Arrays;

import org.medida.edge.api.DataClass;

/**
 * The table each {@link DataClass} is kept in. Every data table has {@code meter_id}, {@code at_ms} (the row's time,
 * epoch milliseconds, which decides its UTC day) and {@code batch_id} (null while pending), so batches are formed,
 * read and deleted the same way for all of them. {@code code} is persisted in {@code pending} and {@code batch};
 * batches go out in the order of their codes.
 */
enum RowTable {
    EVENTS(0, DataClass.EVENTS, "meter_event", "meter_id, at_ms, log_id, code"),
    REGISTERS(1, DataClass.REGISTERS, "register_reading", "meter_id, at_ms, obis_id"),
    DROPS(2, DataClass.DROPS, "data_dropped", "id"),
    GAPS(3, DataClass.GAPS, "profile_gap", "meter_id, at_ms, obis_id"),
    INTERVALS(4, DataClass.INTERVALS, "interval_entry", "meter_id, at_ms, profile_id");

    /** The rows of one meter and one day: parameters meter id, day start, day end (ms). */
    static final String DAY_OF_METER = "meter_id = ? AND at_ms >= ? AND at_ms < ?";

    final int code;
    final DataClass dataClass;
    final String table;
    final String key;

    RowTable(int code, DataClass dataClass, String table, String key) {
        this.code = code;
        this.dataClass = dataClass;
        this.table = table;
        this.key = key;
    }

    static RowTable ofCode(int code) {
        return Arrays.stream(values()).filter(table -> table.code == code).findFirst()
                .orElseThrow(() -> new IllegalStateException("unknown data class code " + code));
    }
}
