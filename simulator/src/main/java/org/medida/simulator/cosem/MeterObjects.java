package org.medida.simulator.cosem;

import static org.medida.simulator.cosem.CosemValues.dateTime;
import static org.medida.simulator.cosem.CosemValues.u16;
import static org.medida.simulator.cosem.CosemValues.u32;
import static org.medida.simulator.cosem.CosemValues.u8;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import org.medida.simulator.model.BillingEntry;
import org.medida.simulator.model.EnergyTotals;
import org.medida.simulator.model.EventLog;
import org.medida.simulator.model.LoggedEvent;
import org.medida.simulator.model.MeterModel;
import org.medida.simulator.model.PowerFailure;
import org.medida.simulator.model.ProfileEntry;
import org.openmuc.jdlms.CosemInterfaceObject;

/** The IDIS-style object model of one meter, every value read live from its {@link MeterModel}. */
public final class MeterObjects {

    public static final String LOAD_PROFILE = "1.0.99.1.0.255";
    public static final String DAILY_BILLING = "0.0.98.2.0.255";
    public static final String POWER_FAILURE_LOG = "1.0.99.97.0.255";
    public static final String AMR_STATUS = "0.0.96.10.1.255";
    public static final String POWER_FAILURE_DURATION = "0.0.96.7.19.255";

    private static final int UNIT_W = 27;
    private static final int UNIT_WH = 30;
    private static final int UNIT_VARH = 32;
    private static final int UNIT_A = 33;
    private static final int UNIT_V = 35;

    private static final CaptureObject AMR = new CaptureObject(1, AMR_STATUS, 2);
    private static final CaptureObject A_PLUS = new CaptureObject(3, "1.0.1.8.0.255", 2);
    private static final CaptureObject A_MINUS = new CaptureObject(3, "1.0.2.8.0.255", 2);

    private MeterObjects() {
    }

    public static List<CosemInterfaceObject> create(MeterModel model, boolean rangeAccess, Authorization authorization) {
        List<CosemInterfaceObject> objects = new ArrayList<>();
        objects.add(new ClockObject(model, authorization));
        objects.add(energy("1.0.1.8.0.255", UNIT_WH, model, EnergyTotals::importWh));
        for (int t = 1; t <= EnergyTotals.TARIFFS; t++) {
            int tariff = t;
            objects.add(energy("1.0.1.8." + t + ".255", UNIT_WH, model, e -> e.tariffWh(tariff)));
        }
        objects.add(energy("1.0.2.8.0.255", UNIT_WH, model, EnergyTotals::exportWh));
        objects.add(energy("1.0.3.8.0.255", UNIT_VARH, model, EnergyTotals::reactiveImportVarh));
        objects.add(energy("1.0.4.8.0.255", UNIT_VARH, model, EnergyTotals::reactiveExportVarh));
        objects.add(new MaxDemandRegister(model));
        objects.add(new Register("1.0.1.7.0.255", 0, UNIT_W, model::instantaneousPowerW));
        objects.add(new Register("1.0.32.7.0.255", -1, UNIT_V, model::voltageDeciVolt));
        objects.add(new Register("1.0.31.7.0.255", -2, UNIT_A, model::currentCentiAmpere));
        objects.add(new DataValue(AMR_STATUS, () -> u8(model.amrStatus())));
        objects.add(new ProfileGeneric(LOAD_PROFILE, loadProfile(model), rangeAccess));
        objects.add(new ProfileGeneric(DAILY_BILLING, dailyBilling(model), rangeAccess));
        for (EventLog log : EventLog.values()) {
            objects.add(new ProfileGeneric(log.obis(), eventLog(model, log), rangeAccess));
            objects.add(new DataValue(log.eventCodeObis(), () -> u16(lastOf(model.events(log), 0, LoggedEvent::code))));
        }
        objects.add(new ProfileGeneric(POWER_FAILURE_LOG, powerFailureLog(model), rangeAccess));
        objects.add(new DataValue(POWER_FAILURE_DURATION,
                () -> u32(lastOf(model.powerFailures(), 0L, f -> f.duration().toSeconds()))));
        objects.add(new DisconnectControl(model, authorization));
        objects.add(new Limiter(model, authorization));
        return objects;
    }

    private static Register energy(String obis, int unit, MeterModel model, Function<EnergyTotals, Long> register) {
        return new Register(obis, 0, unit, () -> register.apply(model.totals()));
    }

    private static ProfileTable loadProfile(MeterModel model) {
        return table(List.of(CaptureObject.CLOCK, AMR, A_PLUS, A_MINUS), model.profilePeriod().toSeconds(),
                model.profileEntries(), () -> model.loadProfile().stream().map(MeterObjects::row).toList());
    }

    private static ProfileTable.Row row(ProfileEntry e) {
        return new ProfileTable.Row(e.time(), List.of(dateTime(e.time()), u8(e.status()), u32(e.importWh()),
                u32(e.exportWh())));
    }

    private static ProfileTable dailyBilling(MeterModel model) {
        List<CaptureObject> columns = List.of(CaptureObject.CLOCK, AMR, A_PLUS, new CaptureObject(3, "1.0.1.8.1.255", 2),
                new CaptureObject(3, "1.0.1.8.2.255", 2), new CaptureObject(3, "1.0.1.8.3.255", 2), A_MINUS);
        return table(columns, 86_400, MeterModel.BILLING_ENTRIES,
                () -> model.dailyBilling().stream().map(MeterObjects::row).toList());
    }

    private static ProfileTable.Row row(BillingEntry b) {
        EnergyTotals t = b.totals();
        return new ProfileTable.Row(b.time(), List.of(dateTime(b.time()), u8(b.status()), u32(t.importWh()),
                u32(t.tariffWh(1)), u32(t.tariffWh(2)), u32(t.tariffWh(3)), u32(t.exportWh())));
    }

    private static ProfileTable eventLog(MeterModel model, EventLog log) {
        return table(List.of(CaptureObject.CLOCK, new CaptureObject(1, log.eventCodeObis(), 2)), 0, EventLog.CAPACITY,
                () -> model.events(log).stream()
                        .map(e -> new ProfileTable.Row(e.time(), List.of(dateTime(e.time()), u16(e.code()))))
                        .toList());
    }

    private static ProfileTable powerFailureLog(MeterModel model) {
        return table(List.of(CaptureObject.CLOCK, new CaptureObject(1, POWER_FAILURE_DURATION, 2)), 0,
                MeterModel.POWER_FAILURE_ENTRIES, () -> model.powerFailures().stream()
                        .map(MeterObjects::row).toList());
    }

    private static ProfileTable.Row row(PowerFailure f) {
        return new ProfileTable.Row(f.start(), List.of(dateTime(f.start()), u32(f.duration().toSeconds())));
    }

    private static <T, R> R lastOf(List<T> list, R none, Function<T, R> field) {
        return list.isEmpty() ? none : field.apply(list.get(list.size() - 1));
    }

    private static ProfileTable table(List<CaptureObject> columns, long periodSeconds, int capacity,
            Supplier<List<ProfileTable.Row>> rows) {
        return new ProfileTable() {
            @Override
            public List<CaptureObject> columns() {
                return columns;
            }

            @Override
            public List<ProfileTable.Row> rows() {
                return rows.get();
            }

            @Override
            public long capturePeriodSeconds() {
                return periodSeconds;
            }

            @Override
            public int capacity() {
                return capacity;
            }
        };
    }
}
