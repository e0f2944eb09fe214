package org.medida.central.provisioning;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;

import org.medida.central.events.CentralEvents;
import org.medida.central.events.EventType;

/**
 * A meter entering {@code commissioned} or {@code decommissioned} (M3): its state and since when, and the
 * {@code lifecycle} event, in the caller's transaction. Entering the state it is in already changes nothing and
 * records no event.
 */
final class Lifecycle {

    static final Lifecycle COMMISSIONED = new Lifecycle("commissioned", EventType.COMMISSIONED,
            InventoryChanges.COMMISSION);
    static final Lifecycle DECOMMISSIONED = new Lifecycle("decommissioned", EventType.DECOMMISSIONED,
            InventoryChanges.DECOMMISSION);

    private final String state;
    private final EventType event;
    private final String action;

    private Lifecycle(String state, EventType event, String action) {
        this.state = state;
        this.event = event;
        this.action = action;
    }

    String state() {
        return state;
    }

    /** The inventory change that brings a gateway's meter there. */
    String action() {
        return action;
    }

    /** Moves the meter; {@code cause} (a correlation id or an audit reference) makes the event's identity. */
    static boolean enter(Connection connection, String serial, String gatewayId, Lifecycle to, String detail,
            String cause, Instant now) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement("UPDATE meters SET state = ?, state_since = ? "
                + "WHERE serial = ? AND state <> ?")) {
            update.setString(1, to.state);
            update.setLong(2, now.toEpochMilli());
            update.setString(3, serial);
            update.setString(4, to.state);
            if (update.executeUpdate() == 0) {
                return false;
            }
        }
        CentralEvents.record(connection, to.event.event(serial, gatewayId, now, detail,
                "lifecycle:" + to.state + ":" + cause), now);
        return true;
    }
}
