package org.medida.edge.dlms;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.medida.edge.api.FailureKind;
import org.medida.edge.api.MeterAccessException;
import org.openmuc.jdlms.AttributeAddress;
import org.openmuc.jdlms.ObisCode;
import org.openmuc.jdlms.SelectiveAccessDescription;
import org.openmuc.jdlms.datatypes.CosemDateTime;
import org.openmuc.jdlms.datatypes.DataObject;

/**
 * Reads the entries of a profile generic (class 7) whose clock lies in a time window: by range (selector 1) with the
 * clock column as restricting object; by entry (selector 2) when the meter refuses range access, finding the window
 * from entries_in_use and the capture period instead of reading the whole buffer; and the whole buffer only when the
 * meter offers no selective access at all.
 */
final class ProfileReader {

    private static final int PROFILE_GENERIC = 7;
    private static final int BUFFER = 2;
    private static final int CAPTURE_OBJECTS = 3;
    private static final int CAPTURE_PERIOD = 4;
    private static final int ENTRIES_IN_USE = 7;
    private static final int CLOCK_CLASS = 8;
    private static final int CLOCK_TIME = 2;
    private static final int BY_RANGE = 1;
    private static final int BY_ENTRY = 2;
    /** Entries read at a time when a profile has no capture period to estimate positions from (event logs). */
    private static final int SCAN_CHUNK = 16;

    /** A captured column: which attribute of which object the meter copies into the profile. */
    record Column(int classId, String obis, int attribute) {
        boolean isClock() {
            return classId == CLOCK_CLASS && attribute == CLOCK_TIME;
        }
    }

    /** One entry with its time (a null clock already replaced by the previous entry's time plus the period). */
    record Row(Instant time, List<DataObject> values) {
    }

    /** The entries of a window, oldest first, with the columns that describe them. */
    record Entries(Duration capturePeriod, List<Column> columns, int clockColumn, List<Row> rows) {
    }

    /** What a profile captures and how often: fixed by the meter's configuration, so read once and kept. */
    record Shape(List<Column> columns, int clockColumn, Duration capturePeriod) {
    }

    private final Requests requests;
    /** Meters known to refuse range access, so that they are read by entry straight away. */
    private final Set<String> metersWithoutRangeAccess;
    /** Profile shapes by meter and profile (see {@link #shapeKey}), shared by all conversations of the driver. */
    private final Map<String, Shape> shapes;
    private final String serial;

    ProfileReader(Requests requests, Set<String> metersWithoutRangeAccess, Map<String, Shape> shapes,
            String serial) {
        this.requests = requests;
        this.metersWithoutRangeAccess = metersWithoutRangeAccess;
        this.shapes = shapes;
        this.serial = serial;
    }

    /**
     * The entries in {@code [from, to]}. The profile's shape comes from the cache when an earlier read took it; any
     * failure drops the cached shape, because the meter may have been reconfigured (the next read takes it afresh).
     */
    Entries read(String profileObis, Instant from, Instant to) throws MeterAccessException {
        ObisCode profile = obis(profileObis);
        String key = shapeKey(profileObis);
        try {
            Shape shape = shapes.get(key);
            if (shape == null) {
                shape = shapeOf(profile, profileObis);
                shapes.put(key, shape);
            }
            return read(profile, shape, from, to);
        } catch (MeterAccessException | RuntimeException e) {
            shapes.remove(key);
            throw e;
        }
    }

    private String shapeKey(String profileObis) {
        return serial + " " + profileObis;
    }

    private Shape shapeOf(ObisCode profile, String profileObis) throws MeterAccessException {
        List<Column> columns = captureObjects(profile);
        int clockColumn = clockColumn(columns, profileObis);
        Duration period = Duration.ofSeconds(CosemData.number(
                requests.get(new AttributeAddress(PROFILE_GENERIC, profile, CAPTURE_PERIOD))).longValueExact());
        return new Shape(List.copyOf(columns), clockColumn, period);
    }

    private Entries read(ObisCode profile, Shape shape, Instant from, Instant to) throws MeterAccessException {
        List<Column> columns = shape.columns();
        int clockColumn = shape.clockColumn();
        Duration period = shape.capturePeriod();
        Layout layout = new Layout(columns.size(), clockColumn, period);
        // Oldest first; an entry read twice (the buffer moved on while reading) counts once. Only time AND values
        // make an entry the same: event logs hold several different entries stamped in one second.
        Map<Instant, List<Row>> window = new TreeMap<>();
        for (Row row : rowsIn(profile, columns.get(clockColumn), layout, from, to)) {
            if (!row.time().isBefore(from) && !row.time().isAfter(to)) {
                List<Row> sameTime = window.computeIfAbsent(row.time(), t -> new ArrayList<>());
                if (sameTime.stream().noneMatch(seen -> sameValues(seen, row))) {
                    sameTime.add(row);
                }
            }
        }
        return new Entries(period, columns, clockColumn, window.values().stream().flatMap(List::stream).toList());
    }

    /** jDLMS's DataObject has no equals: its rendering names the type and the value of every element. */
    private static boolean sameValues(Row a, Row b) {
        return a.values().toString().equals(b.values().toString());
    }

    private List<Row> rowsIn(ObisCode profile, Column clock, Layout layout, Instant from, Instant to)
            throws MeterAccessException {
        if (!metersWithoutRangeAccess.contains(serial)) {
            try {
                return layout.timed(byRange(profile, clock, from, to));
            } catch (SelectiveAccessUnavailable e) {
                return layout.timed(CosemData.array(requests.get(new AttributeAddress(PROFILE_GENERIC, profile,
                        BUFFER))));
            } catch (MeterAccessException e) {
                if (!refusesRange(e.failure().kind())) {
                    throw e;
                }
                metersWithoutRangeAccess.add(serial);
            }
        }
        return new EntryWindow(profile, layout).covering(from, to);
    }

    /** How a meter without range access answers a range request. */
    private static boolean refusesRange(FailureKind kind) {
        return kind == FailureKind.ACCESS_DENIED || kind == FailureKind.METER_ERROR
                || kind == FailureKind.MALFORMED_RESPONSE;
    }

    private List<DataObject> byRange(ObisCode profile, Column clock, Instant from, Instant to)
            throws MeterAccessException {
        DataObject restrictingObject = DataObject.newStructureData(DataObject.newUInteger16Data(clock.classId()),
                DataObject.newOctetStringData(obis(clock.obis()).bytes()),
                DataObject.newInteger8Data((byte) clock.attribute()), DataObject.newUInteger16Data(0));
        DataObject range = DataObject.newStructureData(restrictingObject, CosemData.dateTime(from),
                CosemData.dateTime(to), DataObject.newArrayData(List.of()));
        return CosemData.array(select(profile, new SelectiveAccessDescription(BY_RANGE, range)));
    }

    private List<DataObject> byEntry(ObisCode profile, long firstEntry, long lastEntry) throws MeterAccessException {
        DataObject entries = DataObject.newStructureData(DataObject.newUInteger32Data(firstEntry),
                DataObject.newUInteger32Data(lastEntry), DataObject.newUInteger16Data(1),
                DataObject.newUInteger16Data(0));
        return CosemData.array(select(profile, new SelectiveAccessDescription(BY_ENTRY, entries)));
    }

    private DataObject select(ObisCode profile, SelectiveAccessDescription access) throws MeterAccessException {
        try {
            return requests.get(new AttributeAddress(PROFILE_GENERIC, profile, BUFFER, access));
        } catch (IllegalArgumentException e) {
            // jDLMS refuses selective access itself when the meter's conformance block does not offer it
            throw new SelectiveAccessUnavailable();
        }
    }

    private List<Column> captureObjects(ObisCode profile) throws MeterAccessException {
        List<Column> columns = new ArrayList<>();
        for (DataObject definition : CosemData.array(
                requests.get(new AttributeAddress(PROFILE_GENERIC, profile, CAPTURE_OBJECTS)))) {
            List<DataObject> fields = CosemData.structure(definition, 3);
            columns.add(new Column(CosemData.number(fields.get(0)).intValueExact(),
                    new ObisCode(CosemData.octets(fields.get(1))).asDecimalString(),
                    CosemData.number(fields.get(2)).intValueExact()));
        }
        return columns;
    }

    private static int clockColumn(List<Column> columns, String profileObis) throws MeterAccessException {
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).isClock()) {
                return i;
            }
        }
        throw new MeterAccessException(FailureKind.MALFORMED_RESPONSE, profileObis + " does not capture the clock");
    }

    static ObisCode obis(String obis) throws MeterAccessException {
        try {
            return new ObisCode(obis);
        } catch (IllegalArgumentException e) {
            throw new MeterAccessException(FailureKind.OBJECT_UNDEFINED, "not an OBIS code: " + obis);
        }
    }

    /** The shape of a profile's entries, to give each entry its time. */
    private record Layout(int columnCount, int clockColumn, Duration period) {

        /**
         * Entries with their times, oldest first. A null clock takes the previous time plus the capture period; a
         * leading entry with a null clock has no time to go by and is left out.
         */
        List<Row> timed(List<DataObject> entries) throws MeterAccessException {
            List<Row> rows = new ArrayList<>(entries.size());
            Instant previous = null;
            for (DataObject entry : entries) {
                List<DataObject> values = CosemData.structure(entry, columnCount);
                CosemDateTime clock = CosemData.dateTimeOrNull(values.get(clockColumn));
                Instant time = clock != null ? CosemData.instant(clock)
                        : previous == null ? null : previous.plus(period);
                if (time != null) {
                    rows.add(new Row(time, values));
                }
                previous = time;
            }
            return rows;
        }
    }

    /**
     * A contiguous run of entries, widened by entry number until it covers a time window. Positions are estimated
     * from the newest entry's time and the capture period; an outage leaves fewer entries than the period suggests,
     * so the run is widened further where it falls short.
     */
    private final class EntryWindow {

        private final ObisCode profile;
        private final Layout layout;
        private final TreeMap<Long, DataObject> entries = new TreeMap<>();

        EntryWindow(ObisCode profile, Layout layout) {
            this.profile = profile;
            this.layout = layout;
        }

        List<Row> covering(Instant from, Instant to) throws MeterAccessException {
            long inUse = CosemData.number(
                    requests.get(new AttributeAddress(PROFILE_GENERIC, profile, ENTRIES_IN_USE))).longValueExact();
            if (inUse == 0) {
                return List.of();
            }
            long periodSeconds = layout.period().toSeconds();
            if (periodSeconds == 0) {
                read(Math.max(1, inUse - SCAN_CHUNK + 1), inUse);
            } else {
                Instant newest = newestTime(inUse);
                long first = inUse - ceilDiv(Duration.between(from, newest).toSeconds(), periodSeconds);
                long last = to.isBefore(newest)
                        ? inUse - Duration.between(to, newest).toSeconds() / periodSeconds : inUse;
                read(clamp(first, inUse), clamp(Math.max(first, last), inUse));
            }
            while (entries.firstKey() > 1 && firstTime().isAfter(from)) {
                long step = stepFor(Duration.between(from, firstTime()));
                if (read(Math.max(1, entries.firstKey() - step), entries.firstKey() - 1) == 0) {
                    break;
                }
            }
            while (entries.lastKey() < inUse && lastTime().isBefore(to)) {
                long step = stepFor(Duration.between(lastTime(), to));
                if (read(entries.lastKey() + 1, Math.min(inUse, entries.lastKey() + step)) == 0) {
                    break;
                }
            }
            return rows();
        }

        /** The newest entry's time, reading back over entries with a null clock; the run then starts afresh. */
        private Instant newestTime(long inUse) throws MeterAccessException {
            read(inUse, inUse);
            Instant newest = lastTime();
            entries.clear();
            return newest;
        }

        /**
         * Reads entries and, while the first one has no time to go by, the ones before it.
         *
         * @return how many entries the meter gave
         */
        private int read(long first, long last) throws MeterAccessException {
            List<DataObject> given = byEntry(profile, first, last);
            for (int i = 0; i < given.size(); i++) {
                entries.put(first + i, given.get(i));
            }
            if (entries.isEmpty()) {
                throw new MeterAccessException(FailureKind.MALFORMED_RESPONSE,
                        "no entries " + first + ".." + last + " although the profile has them");
            }
            while (entries.firstKey() > 1 && rows().isEmpty()) {
                long before = entries.firstKey() - 1;
                List<DataObject> previous = byEntry(profile, before, before);
                if (previous.isEmpty()) {
                    break;
                }
                entries.put(before, previous.get(0));
            }
            return given.size();
        }

        private List<Row> rows() throws MeterAccessException {
            return layout.timed(List.copyOf(entries.values()));
        }

        private Instant firstTime() throws MeterAccessException {
            return timedRows().get(0).time();
        }

        private Instant lastTime() throws MeterAccessException {
            List<Row> rows = timedRows();
            return rows.get(rows.size() - 1).time();
        }

        private List<Row> timedRows() throws MeterAccessException {
            List<Row> rows = rows();
            if (rows.isEmpty()) {
                throw new MeterAccessException(FailureKind.MALFORMED_RESPONSE, "no profile entry has a clock");
            }
            return rows;
        }

        private long stepFor(Duration missing) {
            long periodSeconds = layout.period().toSeconds();
            return periodSeconds == 0 ? SCAN_CHUNK : Math.max(1, ceilDiv(missing.toSeconds(), periodSeconds));
        }
    }

    private static long clamp(long entry, long inUse) {
        return Math.max(1, Math.min(inUse, entry));
    }

    private static long ceilDiv(long a, long b) {
        return -Math.floorDiv(-a, b);
    }

    /** jDLMS would not send selective access: the meter did not offer it in the association. */
    private static final class SelectiveAccessUnavailable extends MeterAccessException {
        private static final long serialVersionUID = 1L;

        SelectiveAccessUnavailable() {
            super(FailureKind.ACCESS_DENIED, "the meter offers no selective access");
        }
    }
}
