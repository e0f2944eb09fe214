package org.medida.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.medida.itests.Assertions.assertFailed;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import org.junit.Test;
import org.medida.edge.api.ClockReading;
import org.medida.edge.api.FailureKind;
import org.medida.edge.api.MeterRef;
import org.medida.edge.api.MeterSecurity;
import org.medida.edge.api.RegisterReading;
import org.osgi.framework.Bundle;

/**
 * Associations at every security level, and the clean failures a gateway gets for wrong secrets and replayed
 * invocation counters.
 */
public class SecurityTest extends DriverInFelixTest {

    private static final String A_PLUS_TOTAL = "1.0.1.8.0.255";

    @Test
    public void publicClientReadsEnergyAndClock() throws Exception {
        assertReadsEnergy(TestMeter.WRAPPER.publicClient());
        ClockReading clock = driver.read(TestMeter.WRAPPER.publicClient(), session -> session.readClock());
        assertTrue(clock.deviation().abs().compareTo(Duration.ofMinutes(2)) < 0);
    }

    @Test
    public void lowLevelSecurityReadsEnergy() throws Exception {
        assertReadsEnergy(TestMeter.WRAPPER.lowLevelSecurity());
    }

    @Test
    public void hls5GmacReadsEnergyOverTcpWrapper() throws Exception {
        assertReadsEnergy(TestMeter.WRAPPER.hls5Gmac());
    }

    @Test
    public void hls5GmacReadsEnergyOverHdlcOnTcp() throws Exception {
        assertReadsEnergy(TestMeter.HDLC.hls5Gmac());
    }

    @Test
    public void hls5GmacReadsEnergyOverSerialModeE() throws Exception {
        assertReadsEnergy(TestMeter.SERIAL.hls5Gmac());
    }

    @Test
    public void wrongPasswordFailsAuthentication() throws Exception {
        MeterRef wrong = TestMeter.WRAPPER.as(MeterSecurity.lowLevel("00000000".getBytes(StandardCharsets.US_ASCII)));
        assertFailed(FailureKind.AUTHENTICATION_FAILED, driver.talk(wrong, session -> session.readClock()));
    }

    @Test
    public void wrongKeysFailAuthentication() throws Exception {
        MeterRef wrong = TestMeter.WRAPPER.as(MeterSecurity.hls5Gmac(new byte[16], new byte[16]));
        assertFailed(FailureKind.AUTHENTICATION_FAILED, driver.talk(wrong, session -> session.readClock()));
    }

    @Test
    public void invocationCounterSurvivesADriverRestart() throws Exception {
        MeterRef meter = TestMeter.HDLC.hls5Gmac();
        assertReadsEnergy(meter);
        restartDriverBundle();
        // a counter that started again from zero would be rejected as a replay
        assertReadsEnergy(meter);
    }

    @Test
    public void replayedInvocationCounterIsRejected() throws Exception {
        MeterRef meter = TestMeter.REPLAY.hls5Gmac();
        assertReadsEnergy(meter);
        assertReadsEnergy(meter);

        // a gateway whose counters were lost starts again below what the meter has seen
        driver.close();
        DriverUnderTest forgetful = DriverUnderTest.configure(context, DriverUnderTest.freshState());
        try {
            assertFailed(FailureKind.AUTHENTICATION_FAILED,
                    forgetful.talk(meter, session -> session.readRegisters(List.of(A_PLUS_TOTAL))));
        } finally {
            forgetful.close();
            driver = DriverUnderTest.configure(context, DriverUnderTest.defaults());
        }
    }

    private void assertReadsEnergy(MeterRef meter) throws Exception {
        RegisterReading energy = Assertions.value(
                driver.read(meter, session -> session.readRegisters(List.of(A_PLUS_TOTAL))).get(0));
        assertEquals("Wh", energy.unit());
        assertTrue(energy.value().signum() > 0);
    }

    private void restartDriverBundle() throws Exception {
        Bundle driverBundle = context.getBundle(EdgeRuntime.locationOf("edge.dlms"));
        driverBundle.stop();
        driverBundle.start();
        driver.close();
        driver = DriverUnderTest.configure(context, DriverUnderTest.defaults());
    }
}
