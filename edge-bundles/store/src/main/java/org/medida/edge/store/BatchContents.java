package org.medida.edge.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.medida.edge.api.Batch;
import org.medida.edge.api.DataDropped;
import org.medida.edge.api.EventLog;
import org.medida.edge.api.Interval;
import org.medida.edge.api.IntervalBlock;
import org.medida.edge.api.MeterEvent;
import org.medida.edge.api.ProfileGap;
import org.medida.edge.api.RegisterReading;

/** Reads the rows of a formed batch back into the API's records, oldest first. */
final class BatchContents {

    private final Connection db;
    private final Names meters;
    private final Names obis;
    private final ProfileLayouts profiles;

    BatchContents(Connection db, Names meters, Names obis, ProfileLayouts profiles) {
        this.db = db;
        this.meters = meters;
        this.obis = obis;
        this.profiles = profiles;
    }

    Batch load(long id, Bucket bucket) throws SQLException {
        String serial = meters.nameOf(bucket.meterId());
        LocalDate day = LocalDate.ofEpochDay(bucket.day());
        return switch (bucket.table()) {
            case EVENTS -> new Batch.Events(id, serial, day, rows(id, bucket,
                    "SELECT at_ms, log_id, code, duration_s FROM meter_event", row -> new MeterEvent(
                            eventLog(obis.nameOf(row.getInt(2))), row.getInt(3), instant(row, 1), row.getLong(4))));
            case REGISTERS -> new Batch.Registers(id, serial, day, rows(id, bucket,
                    "SELECT at_ms, obis_id, captured, read_ms, unit, val FROM register_reading",
                    row -> new RegisterReading(obis.nameOf(row.getInt(2)), ValueCodec.decode(row.getBytes(6)).get(0),
                            row.getString(5), row.getBoolean(3) ? instant(row, 1) : null, instant(row, 4))));
            case DROPS -> new Batch.Drops(id, serial, day, rows(id, bucket,
                    "SELECT at_ms, to_ms, entries FROM data_dropped",
                    row -> new DataDropped(serial, instant(row, 1), instant(row, 2), row.getLong(3))));
            case GAPS -> new Batch.Gaps(id, serial, day, rows(id, bucket,
                    "SELECT at_ms, obis_id, to_ms FROM profile_gap",
                    row -> new ProfileGap(serial, obis.nameOf(row.getInt(2)), instant(row, 1), instant(row, 3))));
            case INTERVALS -> new Batch.Intervals(id, serial, day, intervalBlocks(id, bucket, serial));
        };
    }

    /** One block per profile layout, in the order the layouts first occur in the day. */
    private List<IntervalBlock> intervalBlocks(long id, Bucket bucket, String serial) throws SQLException {
        record Entry(int profileId, Interval interval) {
        }
        Map<Integer, List<Interval>> perProfile = new LinkedHashMap<>();
        for (Entry entry : rows(id, bucket, "SELECT at_ms, profile_id, status, vals FROM interval_entry",
                row -> new Entry(row.getInt(2), new Interval(instant(row, 1), row.getInt(3),
                        ValueCodec.decode(row.getBytes(4)))))) {
            perProfile.computeIfAbsent(entry.profileId(), profile -> new ArrayList<>()).add(entry.interval());
        }
        List<IntervalBlock> blocks = new ArrayList<>();
        perProfile.forEach((profileId, intervals) -> {
            ProfileLayout layout = profiles.layoutOf(profileId);
            blocks.add(new IntervalBlock(serial, layout.obis(), layout.capturePeriod(), layout.channels(),
                    intervals));
        });
        return blocks;
    }

    private interface RowReader<T> {
        T read(ResultSet row) throws SQLException;
    }

    private <T> List<T> rows(long id, Bucket bucket, String select, RowReader<T> reader) throws SQLException {
        try (PreparedStatement query = db.prepareStatement(
                select + " WHERE " + RowTable.DAY_OF_METER + " AND batch_id = ? ORDER BY at_ms")) {
            bucket.bindDay(query, 1);
            query.setLong(4, id);
            List<T> rows = new ArrayList<>();
            try (ResultSet row = query.executeQuery()) {
                while (row.next()) {
                    rows.add(reader.read(row));
                }
            }
            return rows;
        }
    }

    private static Instant instant(ResultSet row, int column) throws SQLException {
        return Instant.ofEpochMilli(row.getLong(column));
    }

    private static EventLog eventLog(String obisCode) {
        return Arrays.stream(EventLog.values()).filter(log -> log.obis().equals(obisCode)).findFirst()
                .orElseThrow(() -> new IllegalStateException("no event log has OBIS " + obisCode));
    }
}
