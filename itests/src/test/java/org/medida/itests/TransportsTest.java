package org.medida.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;

import org.junit.Test;
import org.medida.edge.api.ClockReading;
import org.medida.edge.api.DriverResult;
import org.medida.edge.api.RegisterReading;

/** The driver bundle reads a meter over each way a gateway reaches one, with the management client (LLS). */
public class TransportsTest extends DriverInFelixTest {

    private static final String A_PLUS_TOTAL = "1.0.1.8.0.255";
    private static final List<String> A_PLUS_TARIFFS = List.of(
            "1.0.1.8.1.255", "1.0.1.8.2.255", "1.0.1.8.3.255", "1.0.1.8.4.255", "1.0.1.8.5.255", "1.0.1.8.6.255");

    @Test
    public void readsOverTcpWrapper() throws Exception {
        readsClockAndEnergy(TestMeter.WRAPPER);
    }

    @Test
    public void readsOverHdlcOnTcp() throws Exception {
        readsClockAndEnergy(TestMeter.HDLC);
    }

    @Test
    public void readsOverSerialModeE() throws Exception {
        readsClockAndEnergy(TestMeter.SERIAL);
    }

    private record ClockAndEnergy(ClockReading clock, List<DriverResult<RegisterReading>> energy) {
    }

    private void readsClockAndEnergy(TestMeter meter) throws Exception {
        List<String> obis = new java.util.ArrayList<>(List.of(A_PLUS_TOTAL));
        obis.addAll(A_PLUS_TARIFFS);

        ClockAndEnergy read = driver.read(meter.lowLevelSecurity(),
                session -> new ClockAndEnergy(session.readClock(), session.readRegisters(obis)));

        // the simulators run in real time from the suite's start
        assertTrue("clock off by " + read.clock().deviation(),
                read.clock().deviation().abs().compareTo(Duration.ofMinutes(2)) < 0);
        assertEquals(obis.size(), read.energy().size());
        List<RegisterReading> registers = read.energy().stream().map(Assertions::value).toList();
        for (int i = 0; i < obis.size(); i++) {
            assertEquals(obis.get(i), registers.get(i).obis());
            assertEquals("Wh", registers.get(i).unit());
        }
        BigDecimal total = registers.get(0).value();
        BigDecimal tariffs = registers.subList(1, registers.size()).stream()
                .map(RegisterReading::value).reduce(BigDecimal.ZERO, BigDecimal::add);
        assertTrue("A+ total " + total, total.signum() > 0);
        // the tariff registers share out the total; each is rounded to a whole Wh on its own
        BigDecimal rounding = BigDecimal.valueOf(A_PLUS_TARIFFS.size());
        assertTrue("tariffs " + tariffs + " do not add up to the total " + total,
                tariffs.subtract(total).abs().compareTo(rounding) <= 0);
    }
}
