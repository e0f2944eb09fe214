package org.medida.edge.dlms;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import org.medida.edge.api.FailureKind;
import org.medida.edge.api.MeterAccessException;
import org.openmuc.jdlms.datatypes.CosemDateTime;
import org.openmuc.jdlms.datatypes.DataObject;

/** Reads COSEM data the way the object model defines it: numbers, scaler-unit pairs, date-times. */
final class CosemData {

    /** Deviation field value meaning "not specified" (0x8000). */
    private static final int DEVIATION_UNSPECIFIED = -0x8000;
    private static final int NOT_SPECIFIED = 0xFF;

    /** DLMS unit enumeration (IEC 62056-62) to symbol, for the units meters report. */
    private static final Map<Integer, String> UNITS = Map.ofEntries(Map.entry(1, "a"), Map.entry(2, "mo"),
            Map.entry(3, "wk"), Map.entry(4, "d"), Map.entry(5, "h"), Map.entry(6, "min"), Map.entry(7, "s"),
            Map.entry(8, "°"), Map.entry(9, "°C"), Map.entry(13, "m3"), Map.entry(20, "kg"), Map.entry(23, "Pa"),
            Map.entry(25, "J"), Map.entry(27, "W"), Map.entry(28, "VA"), Map.entry(29, "var"), Map.entry(30, "Wh"),
            Map.entry(31, "VAh"), Map.entry(32, "varh"), Map.entry(33, "A"), Map.entry(34, "C"), Map.entry(35, "V"),
            Map.entry(44, "Hz"), Map.entry(52, "K"), Map.entry(56, "%"), Map.entry(57, "Ah"), Map.entry(255, ""));

    private CosemData() {
    }

    /** A value with a scaler and unit, from a register's scaler_unit structure {integer scaler, enum unit}. */
    record ScalerUnit(int scaler, String unit) {
        static final ScalerUnit NONE = new ScalerUnit(0, "");

        BigDecimal apply(DataObject value) throws MeterAccessException {
            return number(value).scaleByPowerOfTen(scaler);
        }
    }

    static ScalerUnit scalerUnit(DataObject structure) throws MeterAccessException {
        List<DataObject> fields = structure(structure, 2);
        int unit = number(fields.get(1)).intValueExact();
        return new ScalerUnit(number(fields.get(0)).intValueExact(), UNITS.getOrDefault(unit, "unit " + unit));
    }

    static BigDecimal number(DataObject value) throws MeterAccessException {
        if (value == null || !value.isNumber()) {
            throw malformed("a number", value);
        }
        Object raw = value.getRawValue();
        if (raw instanceof BigInteger big) {
            return new BigDecimal(big);
        }
        if (raw instanceof Float || raw instanceof Double) {
            return BigDecimal.valueOf(((Number) raw).doubleValue());
        }
        return BigDecimal.valueOf(((Number) raw).longValue());
    }

    static boolean bool(DataObject value) throws MeterAccessException {
        if (value == null || !value.isBoolean()) {
            throw malformed("a boolean", value);
        }
        return value.getValue();
    }

    static List<DataObject> structure(DataObject value, int minimumSize) throws MeterAccessException {
        if (value == null || value.getType() != DataObject.Type.STRUCTURE
                || value.<List<DataObject>>getValue().size() < minimumSize) {
            throw malformed("a structure of " + minimumSize, value);
        }
        return value.getValue();
    }

    static List<DataObject> array(DataObject value) throws MeterAccessException {
        if (value == null || value.getType() != DataObject.Type.ARRAY) {
            throw malformed("an array", value);
        }
        return value.getValue();
    }

    static byte[] octets(DataObject value) throws MeterAccessException {
        if (value == null || value.getType() != DataObject.Type.OCTET_STRING) {
            throw malformed("an octet string", value);
        }
        return value.getValue();
    }

    /** A date-time, either typed or as its 12-byte octet string; null for a null-data entry (compressed profiles). */
    static CosemDateTime dateTimeOrNull(DataObject value) throws MeterAccessException {
        if (value == null || value.isNull()) {
            return null;
        }
        if (value.getRawValue() instanceof CosemDateTime dateTime) {
            return dateTime;
        }
        byte[] octets = octets(value);
        if (octets.length != 12) {
            throw malformed("a 12-byte date-time", value);
        }
        return CosemDateTime.decode(octets);
    }

    /**
     * The instant a COSEM date-time stands for: local time plus deviation (UTC = local + deviation minutes), read
     * from its octets (year 0-1, month 2, day 3, weekday 4, hour 5, minute 6, second 7, hundredths 8, deviation 9-10,
     * clock status 11).
     */
    static Instant instant(CosemDateTime dateTime) throws MeterAccessException {
        byte[] b = dateTime.encode();
        int year = (b[0] & 0xFF) << 8 | b[1] & 0xFF;
        int month = b[2] & 0xFF;
        int day = b[3] & 0xFF;
        int hour = b[5] & 0xFF;
        int minute = b[6] & 0xFF;
        int second = b[7] & 0xFF;
        int hundredths = b[8] & 0xFF;
        int deviation = (short) ((b[9] & 0xFF) << 8 | b[10] & 0xFF);
        if (year == 0xFFFF || month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59
                || second > 59) {
            throw new MeterAccessException(FailureKind.MALFORMED_RESPONSE, "date-time with unspecified fields: "
                    + year + "-" + month + "-" + day + " " + hour + ":" + minute + ":" + second);
        }
        LocalDateTime local = LocalDateTime.of(year, month, day, hour, minute, second,
                hundredths == NOT_SPECIFIED ? 0 : hundredths * 10_000_000);
        Instant asUtc = local.toInstant(ZoneOffset.UTC);
        return deviation == DEVIATION_UNSPECIFIED ? asUtc : asUtc.plusSeconds(60L * deviation);
    }

    static int clockStatus(CosemDateTime dateTime) {
        int status = dateTime.encode()[11] & 0xFF;
        return status == NOT_SPECIFIED ? 0 : status;
    }

    /** A date-time in UTC (deviation 0), as the driver writes the meter clock and profile ranges. */
    static DataObject dateTime(Instant instant) {
        LocalDateTime t = LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
        CosemDateTime dateTime = new CosemDateTime(t.getYear(), t.getMonthValue(), t.getDayOfMonth(),
                t.getDayOfWeek().getValue(), t.getHour(), t.getMinute(), t.getSecond(), t.getNano() / 10_000_000, 0);
        return DataObject.newOctetStringData(dateTime.encode());
    }

    static MeterAccessException malformed(String expected, DataObject got) {
        return new MeterAccessException(FailureKind.MALFORMED_RESPONSE,
                "expected " + expected + ", got " + (got == null ? "nothing" : got.getType()));
    }
}
