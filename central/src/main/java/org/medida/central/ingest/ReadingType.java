package org.medida.central.ingest;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * What a stored value is, as an IEC 61968-9 ReadingType: the 18-field code (macroPeriod . aggregate .
 * measuringPeriod . accumulation . flowDirection . commodity . measurementKind . interharmonic numerator .
 * denominator . argument numerator . denominator . TOU . CPP . consumptionTier . phases . multiplier . unit .
 * currency), derived from the COSEM object (OBIS), its unit and how the value was captured:
 * <ul>
 * <li>a load-profile channel: measuring period = the capture period, bulk quantity (the cumulative value as the
 * meter captured it; deltas are derived later), e.g. 15-min A+ in Wh = 0.0.2.1.1.1.12.0.0.0.0.0.0.0.0.0.72.0;</li>
 * <li>an energy register with a capture time: the daily closure, macro period daily (11);</li>
 * <li>an energy register without one: the current value;</li>
 * <li>a maximum demand register (D = 6): billing-period maximum of demand;</li>
 * <li>an instantaneous value (D = 7): power, voltage or current per phase.</li>
 * </ul>
 * The tariff (OBIS E) is the TOU field. Objects outside these, or units that do not fit the quantity, have no
 * reading type here and make their batch refused rather than stored under a wrong meaning.
 */
public record ReadingType(String code, String obis, String unit, String description) {

    private static final Pattern OBIS = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){5}");

    private static final int FIELDS = 18;
    private static final int MACRO_PERIOD = 0;
    private static final int AGGREGATE = 1;
    private static final int MEASURING_PERIOD = 2;
    private static final int ACCUMULATION = 3;
    private static final int FLOW_DIRECTION = 4;
    private static final int COMMODITY = 5;
    private static final int MEASUREMENT_KIND = 6;
    private static final int TOU = 11;
    private static final int PHASES = 14;
    private static final int UNIT = 16;

    private static final int ELECTRICITY_SECONDARY_METERED = 1;
    private static final int DAILY = 11;
    private static final int BILLING_PERIOD = 8;
    private static final int MAXIMUM = 8;
    private static final int BULK_QUANTITY = 1;
    private static final int INDICATING = 6;
    private static final int INSTANTANEOUS = 12;

    /** OBIS C of active and reactive quantities → CIM flow direction and whether it is reactive. */
    private static final Map<Integer, Flow> FLOWS = Map.of(
            1, new Flow(1, false, "forward active"),
            2, new Flow(19, false, "reverse active"),
            3, new Flow(5, true, "Q1+Q2 reactive"),
            4, new Flow(13, true, "Q3+Q4 reactive"),
            15, new Flow(20, false, "total absolute active"),
            16, new Flow(4, false, "net active"));

    /** OBIS C of per-phase voltage (32, 52, 72) and current (31, 51, 71) → CIM phase code. */
    private static final Map<Integer, Integer> PHASE_OF = Map.of(32, 128, 52, 64, 72, 32, 31, 128, 51, 64, 71, 32);

    /** CIM TimeAttributeKind of the capture periods meters use. */
    private static final Map<Duration, Integer> PERIODS = Map.of(
            Duration.ofMinutes(1), 3, Duration.ofMinutes(5), 6, Duration.ofMinutes(10), 1,
            Duration.ofMinutes(15), 2, Duration.ofMinutes(30), 5, Duration.ofMinutes(60), 7, Duration.ofDays(1), 4);

    /** DLMS unit symbols (as the edge driver writes them, scaler applied) → CIM unit code. */
    private static final Map<String, Integer> UNITS = Map.of("Wh", 72, "varh", 73, "W", 38, "var", 63, "V", 29, "A", 5);

    private record Flow(int direction, boolean reactive, String text) {
    }

    /** The reading type of a load-profile channel captured every {@code capturePeriod}. */
    static ReadingType ofProfileChannel(String obis, String unit, Duration capturePeriod) throws RefusedBatchException {
        Integer period = PERIODS.get(capturePeriod);
        if (period == null) {
            throw new RefusedBatchException("capture period " + capturePeriod + " of " + obis + " has no reading type");
        }
        int[] code = quantity(obis, unit);
        code[MEASURING_PERIOD] = period;
        String minutes = capturePeriod.toMinutes() + "-min ";
        return of(code, obis, unit, minutes + describe(obis, unit));
    }

    /**
     * The reading type of a register value: a daily closure when it is an energy register with a capture time,
     * else what the object is (current energy, maximum demand, instantaneous value).
     */
    static ReadingType ofRegister(String obis, String unit, boolean captured) throws RefusedBatchException {
        int[] code = quantity(obis, unit);
        int d = field(obis, 3);
        if (d == 8 && captured) {
            code[MACRO_PERIOD] = DAILY;
            return of(code, obis, unit, "daily closure of " + describe(obis, unit));
        }
        if (d == 6) {
            if (!captured) {
                throw new RefusedBatchException("maximum demand " + obis + " without its capture time");
            }
            code[MACRO_PERIOD] = BILLING_PERIOD;
            code[AGGREGATE] = MAXIMUM;
            code[ACCUMULATION] = INDICATING;
            return of(code, obis, unit, "billing-period maximum " + describe(obis, unit));
        }
        return of(code, obis, unit, (d == 8 ? "current " : "") + describe(obis, unit));
    }

    /**
     * The capture period of a load-profile channel's reading type {@code code} (its measuring period, the only
     * period field interval values carry), or empty for any other code.
     */
    public static Optional<Duration> capturePeriodOf(String code) {
        String[] fields = code.split("\\.");
        if (fields.length != FIELDS || !fields[MACRO_PERIOD].equals("0")) {
            return Optional.empty();
        }
        return PERIODS.entrySet().stream()
                .filter(period -> fields[MEASURING_PERIOD].equals(period.getValue().toString()))
                .map(Map.Entry::getKey).findFirst();
    }

    private static ReadingType of(int[] code, String obis, String unit, String description) {
        String joined = IntStream.of(code).mapToObj(Integer::toString).collect(Collectors.joining("."));
        return new ReadingType(joined, obis, unit, description);
    }

    /** The code's quantity fields (accumulation, flow, commodity, kind, TOU, phases, unit); periods left at 0. */
    private static int[] quantity(String obis, String unit) throws RefusedBatchException {
        if (!OBIS.matcher(obis).matches() || field(obis, 0) != 1) {
            throw new RefusedBatchException(obis + " is not an electricity quantity central knows");
        }
        int c = field(obis, 2);
        int d = field(obis, 3);
        int[] code = new int[FIELDS];
        code[COMMODITY] = ELECTRICITY_SECONDARY_METERED;
        code[TOU] = field(obis, 4);
        String expectedUnit;
        Flow flow = FLOWS.get(c);
        if (flow != null && (d == 8 || d == 6 || d == 7)) {
            code[FLOW_DIRECTION] = flow.direction();
            code[MEASUREMENT_KIND] = d == 8 ? 12 : d == 6 ? 8 : 37;
            code[ACCUMULATION] = d == 7 ? INSTANTANEOUS : BULK_QUANTITY;
            expectedUnit = d == 8 ? (flow.reactive() ? "varh" : "Wh") : (flow.reactive() ? "var" : "W");
        } else if (PHASE_OF.containsKey(c) && d == 7) {
            boolean voltage = c % 10 == 2;
            code[MEASUREMENT_KIND] = voltage ? 54 : 4;
            code[ACCUMULATION] = INSTANTANEOUS;
            code[PHASES] = PHASE_OF.get(c);
            expectedUnit = voltage ? "V" : "A";
        } else {
            throw new RefusedBatchException(obis + " is not an electricity quantity central knows");
        }
        if (!expectedUnit.equals(unit)) {
            throw new RefusedBatchException(obis + " in '" + unit + "', expected " + expectedUnit);
        }
        code[UNIT] = UNITS.get(unit);
        return code;
    }

    private static String describe(String obis, String unit) {
        int c = field(obis, 2);
        int d = field(obis, 3);
        int tariff = field(obis, 4);
        Flow flow = FLOWS.get(c);
        String what = flow != null
                ? flow.text() + (d == 8 ? " energy" : d == 6 ? " demand" : " power")
                : (c % 10 == 2 ? "voltage" : "current") + " L" + ((c - 11) / 20);
        return what + (tariff > 0 ? " T" + tariff : "") + " (" + unit + ")";
    }

    private static int field(String obis, int index) {
        return Integer.parseInt(obis.split("\\.")[index]);
    }
}
