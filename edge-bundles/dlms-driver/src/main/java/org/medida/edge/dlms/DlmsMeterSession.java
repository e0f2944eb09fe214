package org.medida.edge.dlms;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.medida.edge.api.ClockReading;
import org.medida.edge.api.CommandResult;
import org.medida.edge.api.DriverResult;
import org.medida.edge.api.EventLog;
import org.medida.edge.api.FailureKind;
import org.medida.edge.api.Interval;
import org.medida.edge.api.IntervalBlock;
import org.medida.edge.api.MeterAccessException;
import org.medida.edge.api.MeterCommand;
import org.medida.edge.api.MeterEvent;
import org.medida.edge.api.MeterRef;
import org.medida.edge.api.MeterSession;
import org.medida.edge.api.ProfileChannel;
import org.medida.edge.api.RegisterReading;
import org.medida.edge.api.SupplyState;
import org.medida.edge.dlms.CosemData.ScalerUnit;
import org.openmuc.jdlms.AttributeAddress;
import org.openmuc.jdlms.GetResult;
import org.openmuc.jdlms.MethodParameter;
import org.openmuc.jdlms.ObisCode;
import org.openmuc.jdlms.datatypes.CosemDateTime;
import org.openmuc.jdlms.datatypes.DataObject;

/** The IDIS objects of one meter, read and driven over one open association. */
final class DlmsMeterSession implements MeterSession {

    private static final String CLOCK = "0.0.1.0.0.255";
    private static final String DISCONNECT_CONTROL = "0.0.96.3.10.255";
    private static final String LIMITER = "0.0.17.0.0.255";
    /** AMR profile status objects (0.0.96.10.x.255): their profile column is the entry's status byte. */
    private static final String AMR_STATUS_PREFIX = "0.0.96.10.";

    private static final int REGISTER = 3;
    private static final int EXTENDED_REGISTER = 4;
    private static final int CLOCK_CLASS = 8;
    private static final int DISCONNECT_CONTROL_CLASS = 70;
    private static final int LIMITER_CLASS = 71;
    private static final int VALUE = 2;
    private static final int SCALER_UNIT = 3;
    private static final int CAPTURE_TIME = 5;
    private static final int OUTPUT_STATE = 2;
    private static final int CONTROL_STATE = 3;
    private static final int THRESHOLD_NORMAL = 4;
    private static final int REMOTE_DISCONNECT = 1;
    private static final int REMOTE_RECONNECT = 2;
    private static final int SHIFT_TIME = 6;

    private final MeterRef meter;
    private final Requests requests;
    private final ProfileReader profiles;

    DlmsMeterSession(MeterRef meter, Requests requests, Set<String> metersWithoutRangeAccess,
            Map<String, ProfileReader.Shape> profileShapes) {
        this.meter = meter;
        this.requests = requests;
        this.profiles = new ProfileReader(requests, metersWithoutRangeAccess, profileShapes, meter.serial());
    }

    @Override
    public MeterRef meter() {
        return meter;
    }

    /**
     * Reads every register in one request where the meter allows it. Maximum demand registers (value group D = 6)
     * are extended registers (class 4) with a capture time; the others are registers (class 3).
     */
    @Override
    public List<DriverResult<RegisterReading>> readRegisters(List<String> obisCodes) throws MeterAccessException {
        List<AttributeAddress> addresses = new ArrayList<>();
        List<ObisCode> codes = new ArrayList<>();
        for (String obis : obisCodes) {
            ObisCode code = parseOrNull(obis);
            codes.add(code);
            if (code != null) {
                addresses.addAll(registerAttributes(code));
            }
        }
        List<GetResult> results = addresses.isEmpty() ? List.of() : requests.getAll(addresses);
        Instant readAt = Instant.now();
        List<DriverResult<RegisterReading>> readings = new ArrayList<>();
        int next = 0;
        for (int i = 0; i < obisCodes.size(); i++) {
            if (codes.get(i) == null) {
                readings.add(DriverResult.failed(FailureKind.OBJECT_UNDEFINED,
                        "not an OBIS code: " + obisCodes.get(i)));
                continue;
            }
            int count = registerAttributes(codes.get(i)).size();
            readings.add(reading(obisCodes.get(i), addresses.subList(next, next + count),
                    results.subList(next, next + count), readAt));
            next += count;
        }
        return readings;
    }

    private static List<AttributeAddress> registerAttributes(ObisCode code) {
        if (isMaximumDemand(code)) {
            return List.of(new AttributeAddress(EXTENDED_REGISTER, code, VALUE),
                    new AttributeAddress(EXTENDED_REGISTER, code, SCALER_UNIT),
                    new AttributeAddress(EXTENDED_REGISTER, code, CAPTURE_TIME));
        }
        return List.of(new AttributeAddress(REGISTER, code, VALUE), new AttributeAddress(REGISTER, code, SCALER_UNIT));
    }

    private static boolean isMaximumDemand(ObisCode code) {
        return (code.bytes()[3] & 0xFF) == 6;
    }

    private static DriverResult<RegisterReading> reading(String obis, List<AttributeAddress> addresses,
            List<GetResult> results, Instant readAt) {
        try {
            DataObject value = Requests.valueOf(addresses.get(0), results.get(0));
            ScalerUnit scalerUnit = CosemData.scalerUnit(Requests.valueOf(addresses.get(1), results.get(1)));
            Instant captureTime = null;
            if (addresses.size() > 2) {
                CosemDateTime time = CosemData.dateTimeOrNull(Requests.valueOf(addresses.get(2), results.get(2)));
                captureTime = time == null ? null : CosemData.instant(time);
            }
            return DriverResult.success(
                    new RegisterReading(obis, scalerUnit.apply(value), scalerUnit.unit(), captureTime, readAt));
        } catch (MeterAccessException e) {
            return new DriverResult.Failed<>(e.failure());
        }
    }

    @Override
    public ClockReading readClock() throws MeterAccessException {
        CosemDateTime time = CosemData.dateTimeOrNull(requests.get(new AttributeAddress(CLOCK_CLASS, CLOCK, VALUE)));
        Instant gatewayTime = Instant.now();
        if (time == null) {
            throw CosemData.malformed("the clock's date-time", null);
        }
        return new ClockReading(CosemData.instant(time), gatewayTime, CosemData.clockStatus(time));
    }

    @Override
    public IntervalBlock readProfile(String profileObis, Instant from, Instant to) throws MeterAccessException {
        ProfileReader.Entries entries = profiles.read(profileObis, from, to);
        List<Integer> valueColumns = new ArrayList<>();
        int statusColumn = -1;
        for (int c = 0; c < entries.columns().size(); c++) {
            ProfileReader.Column column = entries.columns().get(c);
            if (column.obis().startsWith(AMR_STATUS_PREFIX)) {
                statusColumn = c;
            } else if (c != entries.clockColumn()) {
                valueColumns.add(c);
            }
        }
        List<ScalerUnit> scalers = scalersOf(valueColumns.stream().map(entries.columns()::get).toList());
        List<ProfileChannel> channels = new ArrayList<>();
        for (int i = 0; i < valueColumns.size(); i++) {
            channels.add(new ProfileChannel(entries.columns().get(valueColumns.get(i)).obis(), scalers.get(i).unit()));
        }
        List<Interval> intervals = new ArrayList<>();
        for (ProfileReader.Row row : entries.rows()) {
            List<BigDecimal> values = new ArrayList<>();
            for (int i = 0; i < valueColumns.size(); i++) {
                values.add(scalers.get(i).apply(row.values().get(valueColumns.get(i))));
            }
            int status = statusColumn < 0 ? 0 : CosemData.number(row.values().get(statusColumn)).intValue();
            intervals.add(new Interval(row.time(), status, values));
        }
        return new IntervalBlock(meter.serial(), profileObis, entries.capturePeriod(), channels, intervals);
    }

    /** The scaler and unit of every register column; other columns are taken as they are. */
    private List<ScalerUnit> scalersOf(List<ProfileReader.Column> columns) throws MeterAccessException {
        List<ScalerUnit> scalers = new ArrayList<>();
        for (ProfileReader.Column column : columns) {
            boolean register = column.classId() == REGISTER || column.classId() == EXTENDED_REGISTER;
            scalers.add(register && column.attribute() == VALUE
                    ? CosemData.scalerUnit(requests.get(new AttributeAddress(column.classId(), column.obis(),
                            SCALER_UNIT)))
                    : ScalerUnit.NONE);
        }
        return scalers;
    }

    /**
     * Event log entries carry the event code in their first column after the clock; power failure log entries carry
     * the outage duration in seconds there instead.
     */
    @Override
    public List<MeterEvent> readEvents(EventLog log, Instant from, Instant to) throws MeterAccessException {
        ProfileReader.Entries entries = profiles.read(log.obis(), from, to);
        int valueColumn = entries.clockColumn() == 0 ? 1 : 0;
        if (entries.columns().size() < 2) {
            throw new MeterAccessException(FailureKind.MALFORMED_RESPONSE, log + " log captures no event value");
        }
        List<MeterEvent> events = new ArrayList<>();
        for (ProfileReader.Row row : entries.rows()) {
            long value = CosemData.number(row.values().get(valueColumn)).longValue();
            events.add(log == EventLog.POWER_FAILURE
                    ? new MeterEvent(log, 1, row.time(), value)
                    : new MeterEvent(log, (int) value, row.time(), 0));
        }
        return events;
    }

    @Override
    public SupplyState readSupplyState() throws MeterAccessException {
        AttributeAddress output = new AttributeAddress(DISCONNECT_CONTROL_CLASS, DISCONNECT_CONTROL, OUTPUT_STATE);
        AttributeAddress control = new AttributeAddress(DISCONNECT_CONTROL_CLASS, DISCONNECT_CONTROL, CONTROL_STATE);
        List<GetResult> results = requests.getAll(List.of(output, control));
        return new SupplyState(CosemData.bool(Requests.valueOf(output, results.get(0))),
                CosemData.number(Requests.valueOf(control, results.get(1))).intValueExact());
    }

    @Override
    public CommandResult execute(MeterCommand command) throws MeterAccessException {
        SupplyState supply = null;
        if (command instanceof MeterCommand.Disconnect) {
            requests.action(new MethodParameter(DISCONNECT_CONTROL_CLASS, DISCONNECT_CONTROL, REMOTE_DISCONNECT,
                    DataObject.newInteger8Data((byte) 0)));
            supply = readSupplyState();
        } else if (command instanceof MeterCommand.Reconnect) {
            requests.action(new MethodParameter(DISCONNECT_CONTROL_CLASS, DISCONNECT_CONTROL, REMOTE_RECONNECT,
                    DataObject.newInteger8Data((byte) 0)));
            supply = readSupplyState();
        } else if (command instanceof MeterCommand.SetPowerLimit limit) {
            setPowerLimit(limit.thresholdWatts());
            supply = readSupplyState();
        } else if (command instanceof MeterCommand.ClearPowerLimit) {
            // a threshold of 0 means no limit
            setPowerLimit(0);
            supply = readSupplyState();
        } else if (command instanceof MeterCommand.SetClock setClock) {
            requests.set(new AttributeAddress(CLOCK_CLASS, CLOCK, VALUE), CosemData.dateTime(setClock.time()));
        } else if (command instanceof MeterCommand.ShiftClock shift) {
            requests.action(new MethodParameter(CLOCK_CLASS, CLOCK, SHIFT_TIME,
                    DataObject.newInteger16Data((short) shift.seconds())));
        } else {
            throw new IllegalArgumentException("unknown command " + command);
        }
        return new CommandResult(command, Instant.now(), supply);
    }

    private void setPowerLimit(long watts) throws MeterAccessException {
        requests.set(new AttributeAddress(LIMITER_CLASS, LIMITER, THRESHOLD_NORMAL),
                DataObject.newUInteger32Data(watts));
    }

    private static ObisCode parseOrNull(String obis) {
        try {
            return new ObisCode(obis);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
