package org.medida.protocol;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.medida.edge.api.Batch;
import org.medida.edge.api.DataDropped;
import org.medida.edge.api.EventLog;
import org.medida.edge.api.Interval;
import org.medida.edge.api.IntervalBlock;
import org.medida.edge.api.MeterEvent;
import org.medida.edge.api.MeterLink;
import org.medida.edge.api.MeterRef;
import org.medida.edge.api.MeterSecurity;
import org.medida.edge.api.MeterTask;
import org.medida.edge.api.Priority;
import org.medida.edge.api.ProfileChannel;
import org.medida.edge.api.ProfileGap;
import org.medida.edge.api.RegisterReading;
import org.medida.edge.api.SupplyState;
import org.medida.edge.api.TaskKind;
import org.medida.edge.api.TaskOutcome;
import org.medida.edge.api.TaskStatus;

/** One message of every kind, shaped like what a gateway really sends. */
final class SampleMessages {

    static final String SERIAL = "LGZ0012345678";
    static final LocalDate DAY = LocalDate.of(2026, 11, 21);
    static final Instant MIDNIGHT = Instant.parse("2026-11-21T00:00:00Z");

    private SampleMessages() {
    }

    /** A meter's day of 15-minute entries: A+ and A- cumulative in Wh, a power-down entry and a missing hour. */
    static IntervalBlock loadProfileDay(long seed) {
        Random random = new Random(seed);
        List<Interval> intervals = new ArrayList<>();
        long importWh = 12_345_678;
        long exportWh = 45_678;
        for (int i = 1; i <= 96; i++) {
            if (i >= 40 && i < 44) {
                continue;
            }
            importWh += 50 + random.nextInt(600);
            exportWh += random.nextInt(3) == 0 ? random.nextInt(200) : 0;
            int status = i == 44 ? 0x80 : 0;
            intervals.add(new Interval(MIDNIGHT.plus(Duration.ofMinutes(15L * i)), status,
                    List.of(BigDecimal.valueOf(importWh), BigDecimal.valueOf(exportWh, 1))));
        }
        return new IntervalBlock(SERIAL, "1.0.99.1.0.255", Duration.ofMinutes(15),
                List.of(new ProfileChannel("1.0.1.8.0.255", "Wh"), new ProfileChannel("1.0.2.8.0.255", "Wh")),
                intervals);
    }

    static Batch.Intervals intervals() {
        return new Batch.Intervals(41, SERIAL, DAY, List.of(loadProfileDay(7)));
    }

    static List<Batch> everyClass() {
        Instant readAt = MIDNIGHT.plusSeconds(600);
        return List.of(
                new Batch.Events(17, SERIAL, DAY, List.of(
                        new MeterEvent(EventLog.STANDARD, 1, MIDNIGHT.plusSeconds(3600), 0),
                        new MeterEvent(EventLog.FRAUD, 44, MIDNIGHT.plusSeconds(7200), 0),
                        new MeterEvent(EventLog.POWER_FAILURE, 1, MIDNIGHT.plusSeconds(3600), 3725))),
                new Batch.Registers(18, SERIAL, DAY, List.of(
                        new RegisterReading("1.0.1.8.0.255", new BigDecimal("12345.678"), "Wh", MIDNIGHT, readAt),
                        new RegisterReading("1.0.1.8.1.255", new BigDecimal("-5E+3"), "Wh", MIDNIGHT, readAt),
                        new RegisterReading("1.0.32.7.0.255", new BigDecimal("230.1"), "V", null, readAt))),
                new Batch.Drops(19, SERIAL, DAY, List.of(
                        new DataDropped(SERIAL, MIDNIGHT.plusSeconds(900), MIDNIGHT.plusSeconds(86_400), 96))),
                new Batch.Gaps(20, SERIAL, DAY, List.of(
                        new ProfileGap(SERIAL, "1.0.99.1.0.255", MIDNIGHT.plusSeconds(36_000), MIDNIGHT.plusSeconds(38_700)))),
                intervals());
    }

    static MeterTask task() {
        return new MeterTask("wo-2026-000042", SERIAL, TaskKind.SET_POWER_LIMIT, 3450, Priority.HIGH,
                MIDNIGHT.plusSeconds(300));
    }

    static TaskOutcome outcome() {
        return new TaskOutcome("wo-2026-000042", SERIAL, TaskStatus.WARN, "limit set, relay state read twice",
                MIDNIGHT.plusSeconds(31),
                List.of(new RegisterReading("1.0.1.7.0.255", new BigDecimal("1.250"), "W", null, MIDNIGHT.plusSeconds(30))),
                new SupplyState(true, SupplyState.CONNECTED));
    }

    static GatewayStatus birth() {
        return new GatewayStatus(true, 12, MIDNIGHT, "medida-edge 0.1.0");
    }

    static InventoryChange commission() {
        return InventoryChange.commission("0b7f6a52-2d7e-4c1e-9a41-5f0c6f1d2e3a", new MeterRef(SERIAL,
                new MeterLink.TcpHdlc("10.0.0.7", 4059, 17, 1, "plc-a"),
                MeterSecurity.hls5Gmac(new byte[16], java.util.HexFormat.of().parseHex("000102030405060708090a0b0c0d0e0f"))));
    }

    static InventoryChange decommission() {
        return InventoryChange.decommission("5c1d8e1e-1b1f-4a0e-8a0e-0e0b0d0c0a09", SERIAL);
    }

    static InventoryResult inventoryResult() {
        return new InventoryResult("0b7f6a52-2d7e-4c1e-9a41-5f0c6f1d2e3a", SERIAL, InventoryResult.Status.FAIL,
                "meter table: disk full");
    }
}
