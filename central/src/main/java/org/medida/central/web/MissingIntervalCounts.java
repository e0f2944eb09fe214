package org.medida.central.web;

import java.sql.SQLException;
import java.time.LocalDate;
import java.util.Map;

/**
 * How many load-profile intervals each meter of a gateway should have per UTC day, and how many of those central
 * lacks: what the gateway page's heatmap shows. The events feature, which owns gaps, computes it, the same count
 * its gap watcher and {@code /api/gateways/{id}/missing} use; the web side only knows this interface.
 */
public interface MissingIntervalCounts {

    /** One meter's day: the intervals due (0 when none is yet) and how many of them are missing. */
    record Day(int expected, int missing) {
    }

    /**
     * Per meter of {@code gatewayId} in service (not decommissioned), by serial, each day from {@code fromDay} to
     * {@code toDay} (both included).
     */
    Map<String, Map<LocalDate, Day>> perMeterPerDay(String gatewayId, LocalDate fromDay, LocalDate toDay)
            throws SQLException;
}
