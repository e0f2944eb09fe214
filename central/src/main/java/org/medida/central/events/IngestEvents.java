package org.medida.central.events;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.medida.central.ingest.IngestListener;
import org.medida.edge.api.Batch;
import org.medida.edge.api.DataDropped;
import org.medida.edge.api.Interval;
import org.medida.edge.api.IntervalBlock;
import org.medida.edge.api.MeterEvent;
import org.medida.edge.api.ProfileGap;
import org.medida.protocol.GatewayStatus;

/**
 * Turns what the ingest stores into central events, in the ingest's transaction (R5, R6, S3): each entry of a
 * meter's event log, the status-word bits of load-profile entries that say something went wrong, the data a
 * gateway's store had to drop, the profile gaps a gateway found (the meter has no entries for them: no read can
 * fill them), and a gateway going offline (its last will) or coming back. Dedup keys name the
 * occurrence, so a batch sent again records nothing new.
 * <p>
 * A status bit that stays set over consecutive entries (a power down lasting hours) is one event, at the first
 * entry of the run; where a batch begins with a flagged entry, the stored entry before it says whether the run
 * began earlier (one indexed look-up, only then).
 */
public final class IngestEvents implements IngestListener {

    private static final int EVENT_MASK = StatusWord.EVENT_BITS.keySet().stream().reduce(0, (a, b) -> a | b);
    private static final String STORED_STATUS = "SELECT v.status FROM interval_values v "
            + "WHERE v.meter_id = (SELECT meter_id FROM meters WHERE serial = ?) "
            + "AND v.reading_type_id IN (SELECT reading_type_id FROM reading_types WHERE obis = ?) AND v.end_at = ?";

    @Override
    public void batchWritten(Connection connection, String gatewayId, Batch batch, Instant now) throws SQLException {
        List<CentralEvent> events = new ArrayList<>();
        if (batch instanceof Batch.Events meterEvents) {
            meterEvents.events().forEach(event -> events.add(meterLog(batch.serial(), gatewayId, event)));
        } else if (batch instanceof Batch.Intervals intervals) {
            for (IntervalBlock block : intervals.blocks()) {
                statusWords(connection, gatewayId, block, events);
            }
        } else if (batch instanceof Batch.Drops drops) {
            drops.drops().forEach(drop -> events.add(dropped(gatewayId, drop)));
        } else if (batch instanceof Batch.Gaps gaps) {
            gaps.gaps().forEach(gap -> events.add(reportedGap(gatewayId, gap)));
        }
        CentralEvents.recordAll(connection, events, now);
    }

    @Override
    public void statusApplied(Connection connection, String gatewayId, GatewayStatus status, Instant now)
            throws SQLException {
        EventType type = status.online() ? EventType.GATEWAY_ONLINE : EventType.GATEWAY_OFFLINE;
        CentralEvents.record(connection, type.event(null, gatewayId, status.at(), "session " + status.session()
                + (status.software().isEmpty() ? "" : ", " + status.software()),
                "gateway:" + gatewayId + ":" + status.session() + ":" + (status.online() ? "online" : "offline")), now);
    }

    private static CentralEvent meterLog(String serial, String gatewayId, MeterEvent event) {
        String detail = event.log().name().toLowerCase(Locale.ROOT) + " log"
                + (event.durationSeconds() > 0 ? ", lasted " + event.durationSeconds() + " s" : "");
        return new CentralEvent(serial, gatewayId, event.timestamp(), EventSource.METER_LOG, event.code(),
                IdisEvents.name(event), detail, "meter_log:" + serial + ":" + event.log() + ":"
                        + event.timestamp().toEpochMilli() + ":" + event.code());
    }

    private static void statusWords(Connection connection, String gatewayId, IntervalBlock block,
            List<CentralEvent> events) throws SQLException {
        long period = block.capturePeriod().toMillis();
        long previousEnd = Long.MIN_VALUE;
        int previousStatus = 0;
        for (Interval interval : block.intervals()) {
            long end = interval.end().toEpochMilli();
            int flagged = interval.status() & EVENT_MASK;
            int before = previousEnd == end - period ? previousStatus
                    : flagged == 0 ? 0 : storedStatus(connection, block, end - period);
            for (Map.Entry<Integer, String> bit : StatusWord.EVENT_BITS.entrySet()) {
                int mask = bit.getKey();
                if ((flagged & mask) != 0 && (before & mask) == 0) {
                    events.add(new CentralEvent(block.serial(), gatewayId, interval.end(), EventSource.STATUS_WORD,
                            mask, bit.getValue(), "load profile " + block.profileObis() + ", entry ending "
                                    + interval.end(), "status_word:" + block.serial() + ":" + block.profileObis()
                                    + ":" + mask + ":" + end));
                }
            }
            previousEnd = end;
            previousStatus = interval.status();
        }
    }

    /** The status of the meter's stored entry ending at {@code end} of the block's profile, 0 if there is none. */
    private static int storedStatus(Connection connection, IntervalBlock block, long end) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(STORED_STATUS)) {
            select.setString(1, block.serial());
            select.setString(2, block.channels().get(0).obis());
            select.setLong(3, end);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next() ? rows.getInt(1) : 0;
            }
        }
    }

    private static CentralEvent dropped(String gatewayId, DataDropped drop) {
        return EventType.DATA_DROPPED.event(drop.serial(), gatewayId, drop.from(), drop.entries()
                + " load-profile entries ending " + drop.from() + " to " + drop.to() + " dropped by the gateway's store",
                "drop:" + drop.serial() + ":" + drop.from().toEpochMilli() + ":" + drop.to().toEpochMilli());
    }

    private static CentralEvent reportedGap(String gatewayId, ProfileGap gap) {
        return EventType.UNRECOVERABLE_GAP.event(gap.serial(), gatewayId, gap.from(), "the meter has no entries of "
                + gap.profileObis() + " ending " + gap.from() + " to " + gap.to() + " (reported by the gateway)",
                "gap:" + gap.serial() + ":" + gap.profileObis() + ":" + gap.from().toEpochMilli());
    }
}
