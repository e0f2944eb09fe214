package org.medida.protocol;

import java.util.List;

import org.medida.edge.api.DataClass;
import org.medida.edge.api.EventLog;
import org.medida.edge.api.MeterSecurity;
import org.medida.edge.api.Priority;
import org.medida.edge.api.TaskKind;
import org.medida.edge.api.TaskStatus;

/**
 * The byte each enumerated value has on the wire: its index in a fixed table here, never a Java ordinal, so that
 * reordering or extending an enum in the API cannot silently change the meaning of bytes already in flight.
 * New values are appended at the end of a table.
 */
final class WireCodes {

    static final List<DataClass> DATA_CLASSES = List.of(
            DataClass.EVENTS, DataClass.REGISTERS, DataClass.DROPS, DataClass.GAPS, DataClass.INTERVALS);
    static final List<EventLog> EVENT_LOGS = List.of(
            EventLog.STANDARD, EventLog.FRAUD, EventLog.DISCONNECTOR, EventLog.POWER_QUALITY, EventLog.POWER_FAILURE);
    static final List<TaskKind> TASK_KINDS = List.of(
            TaskKind.READ_REGISTERS, TaskKind.READ_PROFILE, TaskKind.READ_EVENTS, TaskKind.READ_INSTANTANEOUS,
            TaskKind.SYNC_CLOCK, TaskKind.DISCONNECT, TaskKind.RECONNECT, TaskKind.SET_POWER_LIMIT,
            TaskKind.CLEAR_POWER_LIMIT);
    static final List<TaskStatus> TASK_STATUSES = List.of(TaskStatus.EXE, TaskStatus.WARN, TaskStatus.FAIL);
    static final List<Priority> PRIORITIES = List.of(Priority.HIGH, Priority.NORMAL);
    static final List<InventoryChange.Action> INVENTORY_ACTIONS = List.of(
            InventoryChange.Action.COMMISSION, InventoryChange.Action.DECOMMISSION);
    static final List<InventoryResult.Status> INVENTORY_STATUSES = List.of(
            InventoryResult.Status.OK, InventoryResult.Status.FAIL);
    static final List<MeterSecurity.Level> SECURITY_LEVELS = List.of(
            MeterSecurity.Level.NONE, MeterSecurity.Level.LLS, MeterSecurity.Level.HLS5_GMAC);
    /** Meter link kinds: TCP wrapper, HDLC over TCP, serial mode E. */
    static final int LINK_WRAPPER = 0;
    static final int LINK_HDLC = 1;
    static final int LINK_SERIAL = 2;

    private WireCodes() {
    }

    static <E> int codeOf(List<E> table, E value) {
        int code = table.indexOf(value);
        if (code < 0) {
            throw new IllegalArgumentException("no wire code for " + value);
        }
        return code;
    }

    static <E> E read(List<E> table, PayloadReader reader, String field) throws MalformedPayloadException {
        int code = reader.code(field);
        if (code >= table.size()) {
            throw reader.fault(field, "unknown code " + code);
        }
        return table.get(code);
    }
}
