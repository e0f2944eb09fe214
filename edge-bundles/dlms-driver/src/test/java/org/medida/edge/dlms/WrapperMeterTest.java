package org.medida.edge.dlms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.medida.edge.dlms.TestMeters.failure;
import static org.medida.edge.dlms.TestMeters.read;
import static org.medida.edge.dlms.TestMeters.settings;
import static org.medida.edge.dlms.TestMeters.talk;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medida.edge.api.ClockReading;
import org.medida.edge.api.CommandResult;
import org.medida.edge.api.DriverResult;
import org.medida.edge.api.EventLog;
import org.medida.edge.api.Failure;
import org.medida.edge.api.FailureKind;
import org.medida.edge.api.Interval;
import org.medida.edge.api.IntervalBlock;
import org.medida.edge.api.MeterCommand;
import org.medida.edge.api.MeterEvent;
import org.medida.edge.api.MeterRef;
import org.medida.edge.api.MeterSecurity;
import org.medida.edge.api.RegisterReading;
import org.medida.edge.api.SupplyState;
import org.medida.simulator.FleetConfig;
import org.medida.simulator.SimulatedMeter;
import org.medida.simulator.LinkEmulation;
import org.medida.simulator.model.LoggedEvent;
import org.medida.simulator.model.PowerFailure;
import org.medida.simulator.model.ProfileEntry;

/** The driver against a simulated meter on the TCP wrapper, at every security level. */
class WrapperMeterTest {

    private static final String A_PLUS = "1.0.1.8.0.255";
    private static final String LOAD_PROFILE = "1.0.99.1.0.255";

    @TempDir
    static Path state;
    private static MeterWithOutage bench;
    private static SimulatedMeter meter;
    private static DlmsMeterDriver driver;

    @BeforeAll
    static void startMeter() throws Exception {
        bench = MeterWithOutage.start(FleetConfig.builder().keySeed("wrapper-test"), Duration.ofHours(5),
                Duration.ofMinutes(50), state);
        meter = bench.meter();
        driver = bench.driver();
    }

    @AfterAll
    static void stopMeter() {
        bench.close();
    }

    @Test
    void publicClientReadsRegistersWithScalerAndUnit() throws Exception {
        long before = meter.model().totals().importWh();
        List<DriverResult<RegisterReading>> readings = read(driver, TestMeters.publicClient(meter),
                s -> s.readRegisters(List.of(A_PLUS, "1.0.32.7.0.255", "1.0.1.6.0.255")));
        long after = meter.model().totals().importWh();

        RegisterReading energy = success(readings.get(0));
        assertEquals("Wh", energy.unit());
        assertTrue(energy.value().compareTo(BigDecimal.valueOf(before)) >= 0
                && energy.value().compareTo(BigDecimal.valueOf(after)) <= 0,
                energy + " outside " + before + ".." + after);
        RegisterReading voltage = success(readings.get(1));
        assertEquals("V", voltage.unit());
        assertEquals(1, voltage.value().scale(), "scaler -1 keeps one decimal: " + voltage.value());
        RegisterReading maximumDemand = success(readings.get(2));
        assertEquals("W", maximumDemand.unit());
        assertEquals(meter.model().maxDemand().captureTime(), maximumDemand.captureTime());
    }

    @Test
    void aMissingRegisterFailsAloneWhileTheOthersAreRead() throws Exception {
        List<DriverResult<RegisterReading>> readings = read(driver, TestMeters.lls(meter),
                s -> s.readRegisters(List.of("1.0.99.8.0.255", A_PLUS, "not-obis")));
        assertEquals(FailureKind.OBJECT_UNDEFINED, failure(readings.get(0)).kind());
        assertEquals(A_PLUS, success(readings.get(1)).obis());
        assertEquals(FailureKind.OBJECT_UNDEFINED, failure(readings.get(2)).kind());
    }

    @Test
    void hls5ReadsTheClockWithItsDeviation() throws Exception {
        ClockReading clock = read(driver, TestMeters.hls5(meter), s -> s.readClock());
        assertTrue(clock.deviation().abs().compareTo(Duration.ofSeconds(2)) < 0, "deviation " + clock.deviation());
    }

    @Test
    void profileByRangeHoldsExactlyTheMeterEntriesOfTheWindow() throws Exception {
        Instant to = meter.clock();
        Instant from = to.minus(Duration.ofHours(8));
        IntervalBlock block = read(driver, TestMeters.hls5(meter), s -> s.readProfile(LOAD_PROFILE, from, to));
        assertProfileMatchesModel(meter, block, from, to);
    }

    static void assertProfileMatchesModel(SimulatedMeter meter, IntervalBlock block, Instant from, Instant to) {
        List<ProfileEntry> expected = meter.model().loadProfile().stream()
                .filter(e -> !e.time().isBefore(from) && !e.time().isAfter(to)).toList();
        assertEquals(Duration.ofMinutes(15), block.capturePeriod());
        assertEquals(A_PLUS, block.channels().get(0).obis());
        assertEquals("Wh", block.channels().get(0).unit());
        int exportChannel = block.channels().size() - 1;
        assertEquals("1.0.2.8.0.255", block.channels().get(exportChannel).obis());
        assertEquals(expected.size(), block.intervals().size(), "entries in " + from + " .. " + to);
        for (int i = 0; i < expected.size(); i++) {
            Interval interval = block.intervals().get(i);
            assertEquals(expected.get(i).time(), interval.end());
            assertEquals(expected.get(i).status(), interval.status());
            assertEquals(BigDecimal.valueOf(expected.get(i).importWh()), interval.values().get(0));
            assertEquals(BigDecimal.valueOf(expected.get(i).exportWh()), interval.values().get(exportChannel));
        }
    }

    @Test
    void eventsAndPowerFailuresOfTheWindow() throws Exception {
        Instant to = meter.clock();
        Instant from = to.minus(Duration.ofDays(30));
        List<MeterEvent> events = read(driver, TestMeters.lls(meter), s -> s.readEvents(EventLog.STANDARD, from, to));
        List<LoggedEvent> expected = meter.model().events(org.medida.simulator.model.EventLog.STANDARD).stream()
                .filter(e -> !e.time().isBefore(from) && !e.time().isAfter(to)).toList();
        assertFalse(expected.isEmpty(), "the simulated meter logs standard events");
        // COSEM time stamps carry hundredths of a second
        assertEquals(expected.stream().map(e -> hundredths(e.time()) + " " + e.code()).toList(),
                events.stream().map(e -> e.timestamp() + " " + e.code()).toList());

        List<MeterEvent> outages = read(driver, TestMeters.lls(meter),
                s -> s.readEvents(EventLog.POWER_FAILURE, from, to));
        List<PowerFailure> failures = meter.model().powerFailures();
        assertEquals(failures.size(), outages.size());
        assertEquals(hundredths(failures.get(0).start()), outages.get(0).timestamp());
        assertEquals(failures.get(0).duration().toSeconds(), outages.get(0).durationSeconds());
    }

    @Test
    void disconnectThenReconnectIsReadBackFromTheMeter() throws Exception {
        MeterRef manager = TestMeters.hls5(meter);
        CommandResult disconnected = read(driver, manager, s -> s.execute(new MeterCommand.Disconnect()));
        assertEquals(new SupplyState(false, SupplyState.DISCONNECTED), disconnected.supplyState());
        assertFalse(meter.relayClosed());

        CommandResult reconnected = read(driver, manager, s -> s.execute(new MeterCommand.Reconnect()));
        assertTrue(reconnected.supplyState().relayClosed());
        assertEquals(SupplyState.CONNECTED, reconnected.supplyState().controlState());
        assertTrue(meter.relayClosed());
    }

    @Test
    void eventsStampedInTheSameSecondAreAllRead() throws Exception {
        MeterRef manager = TestMeters.hls5(meter);
        List<Integer> before = disconnectorLog(manager);
        read(driver, manager, s -> List.of(s.execute(new MeterCommand.Disconnect()),
                s.execute(new MeterCommand.Reconnect())));
        List<Integer> after = disconnectorLog(manager);

        // one more remote disconnect (62) and one more remote reconnect (63), most likely with one time stamp
        assertEquals(Collections.frequency(before, 62) + 1, Collections.frequency(after, 62), "log " + after);
        assertEquals(Collections.frequency(before, 63) + 1, Collections.frequency(after, 63), "log " + after);
    }

    private List<Integer> disconnectorLog(MeterRef manager) throws Exception {
        Instant now = meter.clock();
        return read(driver, manager, s -> s.readEvents(EventLog.DISCONNECTOR, now.minus(Duration.ofDays(1)),
                now.plus(Duration.ofMinutes(1)))).stream().map(MeterEvent::code).toList();
    }

    @Test
    void powerLimitIsSetAndCleared() throws Exception {
        MeterRef manager = TestMeters.lls(meter);
        read(driver, manager, s -> s.execute(new MeterCommand.SetPowerLimit(100_000)));
        assertEquals(100_000, meter.model().limiterThresholdW());
        CommandResult cleared = read(driver, manager, s -> s.execute(new MeterCommand.ClearPowerLimit()));
        assertEquals(0, meter.model().limiterThresholdW());
        assertNotNull(cleared.supplyState());
    }

    @Test
    void clockIsShiftedAndSet() throws Exception {
        MeterRef manager = TestMeters.hls5(meter);
        read(driver, manager, s -> s.execute(new MeterCommand.ShiftClock(30)));
        ClockReading shifted = read(driver, manager, s -> s.readClock());
        assertTrue(Math.abs(shifted.deviation().toSeconds() - 30) <= 2, "deviation " + shifted.deviation());

        read(driver, manager, s -> s.execute(new MeterCommand.SetClock(Instant.now())));
        ClockReading set = read(driver, manager, s -> s.readClock());
        assertTrue(set.deviation().abs().toSeconds() <= 2, "deviation " + set.deviation());
    }

    @Test
    void thePublicClientMayNotDisconnect() throws Exception {
        DriverResult<CommandResult> result = talk(driver, TestMeters.publicClient(meter),
                s -> s.execute(new MeterCommand.Disconnect()));
        assertEquals(FailureKind.ACCESS_DENIED, failure(result).kind());
        assertTrue(meter.relayClosed());
    }

    @Test
    void aMeterSlowerThanTheRequestTimeoutTimesOutAndAnswersAgainLater(@TempDir Path impatientState)
            throws Exception {
        LinkEmulation usual = meter.link();
        try (DlmsMeterDriver impatient = new DlmsMeterDriver(DriverSettings.defaults(impatientState)
                .withRequestTimeout(Duration.ofMillis(300)).withRetries(1, Duration.ofMillis(10)))) {
            meter.setLink(usual.withLatency(Duration.ofSeconds(1), Duration.ZERO));
            Failure slow = failure(talk(impatient, TestMeters.publicClient(meter), s -> s.readClock()));
            assertEquals(FailureKind.TIMEOUT, slow.kind(), slow.toString());

            meter.setLink(usual);
            read(impatient, TestMeters.publicClient(meter), s -> s.readClock());
        } finally {
            meter.setLink(usual);
        }
    }

    @Test
    void aReadThatTimedOutIsRepeatedButACommandIsNot(@TempDir Path impatientState) throws Exception {
        AtomicInteger readAttempts = new AtomicInteger();
        AtomicInteger commandAttempts = new AtomicInteger();
        try (DlmsMeterDriver impatient = new DlmsMeterDriver(DriverSettings.defaults(impatientState)
                .withRequestTimeout(Duration.ofMillis(300)).withRetries(1, Duration.ofMillis(500)))) {
            MeterRef manager = TestMeters.lls(meter);
            ClockReading clock = read(impatient, manager, s -> {
                if (readAttempts.incrementAndGet() == 1) {
                    slowDownForAWhile();
                }
                return s.readClock();
            });
            assertNotNull(clock);
            assertEquals(2, readAttempts.get(), "the read was tried again after its timeout");

            Failure command = failure(talk(impatient, manager, s -> {
                commandAttempts.incrementAndGet();
                s.execute(new MeterCommand.SetPowerLimit(50_000));
                slowDownForAWhile();
                return s.readClock();
            }));
            assertEquals(FailureKind.TIMEOUT, command.kind());
            assertEquals(1, commandAttempts.get(), "a conversation that changed the meter is not repeated");
        } finally {
            Thread.sleep(500);
            read(driver, TestMeters.lls(meter), s -> s.execute(new MeterCommand.ClearPowerLimit()));
        }
    }

    /** Answers take a second from now on, for 400 ms: longer than the request timeout, shorter than the backoff. */
    private static void slowDownForAWhile() {
        LinkEmulation usual = meter.link();
        meter.setLink(usual.withLatency(Duration.ofSeconds(1), Duration.ZERO));
        CompletableFuture.delayedExecutor(400, TimeUnit.MILLISECONDS).execute(() -> meter.setLink(usual));
    }

    @Test
    void wrongKeysAndPasswordsAreAuthenticationFailures() throws Exception {
        byte[] wrongKey = new byte[16];
        MeterRef wrongKeys = new MeterRef(meter.serial(), TestMeters.linkOf(meter),
                MeterSecurity.hls5Gmac(wrongKey, wrongKey));
        Failure refused = failure(talk(driver, wrongKeys, s -> s.readClock()));
        assertEquals(FailureKind.AUTHENTICATION_FAILED, refused.kind(), refused.toString());

        MeterRef wrongPassword = new MeterRef(meter.serial(), TestMeters.linkOf(meter),
                MeterSecurity.lowLevel("wrong".getBytes()));
        assertEquals(FailureKind.AUTHENTICATION_FAILED,
                failure(talk(driver, wrongPassword, s -> s.readClock())).kind());
    }

    @Test
    void theInvocationCounterSurvivesADriverRestart() throws Exception {
        MeterRef manager = TestMeters.hls5(meter);
        read(driver, manager, s -> s.readClock());
        try (DlmsMeterDriver restarted = new DlmsMeterDriver(settings(state))) {
            read(restarted, manager, s -> s.readClock());
        }
        read(driver, manager, s -> s.readClock());
    }

    @Test
    void aDriverThatLostItsCountersIsRejectedAsAReplay(@TempDir Path emptyState) throws Exception {
        read(driver, TestMeters.hls5(meter), s -> s.readClock());
        try (DlmsMeterDriver forgetful = new DlmsMeterDriver(settings(emptyState))) {
            assertEquals(FailureKind.AUTHENTICATION_FAILED,
                    failure(talk(forgetful, TestMeters.hls5(meter), s -> s.readClock())).kind());
        }
    }

    private static Instant hundredths(Instant t) {
        return Instant.ofEpochMilli(Math.floorDiv(t.toEpochMilli(), 10) * 10);
    }

    private static <T> T success(DriverResult<T> result) {
        if (result instanceof DriverResult.Success<T> success) {
            return success.value();
        }
        throw new AssertionError("expected a value, got " + result);
    }
}
