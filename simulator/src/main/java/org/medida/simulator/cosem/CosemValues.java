package org.medida.simulator.cosem;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import org.openmuc.jdlms.ObisCode;
import org.openmuc.jdlms.datatypes.CosemDateTime;
import org.openmuc.jdlms.datatypes.DataObject;

/** Conversions between Java values and the A-XDR data COSEM attributes carry. */
public final class CosemValues {

    /** Deviation field meaning "not specified" in a COSEM date-time. */
    private static final int DEVIATION_UNSPECIFIED = 0x8000;

    private CosemValues() {
    }

    /** A 12-byte COSEM date-time octet string in UTC (deviation 0), the way profiles capture the clock. */
    public static DataObject dateTime(Instant t) {
        ZonedDateTime z = t.atZone(ZoneOffset.UTC);
        byte[] b = {
            (byte) (z.getYear() >> 8), (byte) z.getYear(), (byte) z.getMonthValue(), (byte) z.getDayOfMonth(),
            (byte) z.getDayOfWeek().getValue(), (byte) z.getHour(), (byte) z.getMinute(), (byte) z.getSecond(),
            (byte) (z.getNano() / 10_000_000), 0, 0, 0
        };
        return DataObject.newOctetStringData(b);
    }

    /**
     * The instant a COSEM date-time denotes, given as an octet string or as a date-time value. A specified
     * deviation is the offset of local time to UTC in minutes (UTC = local + deviation); unspecified means UTC.
     */
    public static Instant instantOf(DataObject value) {
        byte[] b = value.getRawValue() instanceof CosemDateTime dt ? dt.encode() : value.getValue();
        if (b.length != 12) {
            throw new IllegalArgumentException("a COSEM date-time has 12 bytes, not " + b.length);
        }
        int year = (b[0] & 0xFF) << 8 | b[1] & 0xFF;
        int hundredths = b[8] & 0xFF;
        LocalDateTime local = LocalDateTime.of(year, b[2], b[3], b[5], b[6], b[7],
                hundredths == 0xFF ? 0 : hundredths * 10_000_000);
        int deviation = (b[9] & 0xFF) << 8 | b[10] & 0xFF;
        int minutes = deviation == DEVIATION_UNSPECIFIED ? 0 : (short) deviation;
        return local.toInstant(ZoneOffset.UTC).plusSeconds(minutes * 60L);
    }

    public static DataObject u8(long v) {
        return DataObject.newUInteger8Data((short) v);
    }

    public static DataObject u16(long v) {
        return DataObject.newUInteger16Data((int) v);
    }

    public static DataObject u32(long v) {
        return DataObject.newUInteger32Data(v);
    }

    public static DataObject obis(String logicalName) {
        return DataObject.newOctetStringData(new ObisCode(logicalName).bytes());
    }

    /** Register scaler_unit: value x 10^scaler in the DLMS unit (27 W, 30 Wh, 32 varh, 33 A, 35 V). */
    public static DataObject scalerUnit(int scaler, int unit) {
        return DataObject.newStructureData(DataObject.newInteger8Data((byte) scaler), DataObject.newEnumerateData(unit));
    }

    /** Any integer-valued data as a long. */
    public static long longOf(DataObject value) {
        return ((Number) value.getValue()).longValue();
    }

    public static DataObject structure(List<DataObject> elements) {
        return DataObject.newStructureData(elements);
    }
}
