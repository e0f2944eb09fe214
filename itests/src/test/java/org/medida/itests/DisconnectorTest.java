package org.medida.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.Test;
import org.medida.edge.api.CommandResult;
import org.medida.edge.api.EventLog;
import org.medida.edge.api.MeterCommand;
import org.medida.edge.api.MeterEvent;
import org.medida.edge.api.MeterRef;
import org.medida.edge.api.RegisterReading;
import org.medida.edge.api.SupplyState;

/** Remote disconnect and reconnect: the simulated meter's relay follows, and the meter logs both. */
public class DisconnectorTest extends DriverInFelixTest {

    private static final String ACTIVE_POWER = "1.0.1.7.0.255";
    private static final int REMOTE_DISCONNECT = 62;
    private static final int REMOTE_RECONNECT = 63;

    @Test
    public void relayFollowsDisconnectAndReconnect() throws Exception {
        MeterRef meter = TestMeter.HDLC.hls5Gmac();
        CommandResult disconnected = driver.read(meter, session -> session.execute(new MeterCommand.Disconnect()));
        assertFalse(disconnected.supplyState().relayClosed());
        assertEquals(SupplyState.DISCONNECTED, disconnected.supplyState().controlState());

        // a new association sees the open relay, and an open relay carries no power
        assertFalse(driver.read(meter, session -> session.readSupplyState()).relayClosed());
        RegisterReading power = Assertions.value(
                driver.read(meter, session -> session.readRegisters(List.of(ACTIVE_POWER))).get(0));
        assertEquals(0, power.value().signum());

        CommandResult reconnected = driver.read(meter, session -> session.execute(new MeterCommand.Reconnect()));
        assertTrue(reconnected.supplyState().relayClosed());
        assertEquals(SupplyState.CONNECTED, reconnected.supplyState().controlState());
        assertTrue(driver.read(meter, session -> session.readSupplyState()).relayClosed());
    }

    /** Both actions in one second, as an operator's quick undo gives them: two entries with one time stamp. */
    @Test
    public void disconnectorLogKeepsBothActions() throws Exception {
        MeterRef meter = TestMeter.HDLC.hls5Gmac();
        // meter time lags the test's clock by the simulator's start-up time
        Instant from = Instant.now().minus(Duration.ofMinutes(1));
        // Entries of earlier tests may carry this very second, and identical entries (same second, same code) are
        // one entry to the driver: a second later, this test's pair is the only one with its time stamp.
        Thread.sleep(1100);
        driver.read(meter, session -> List.of(session.execute(new MeterCommand.Disconnect()),
                session.execute(new MeterCommand.Reconnect())));

        List<Integer> logged = driver.read(meter, session -> session.readEvents(EventLog.DISCONNECTOR, from,
                Instant.now().plus(Duration.ofMinutes(1)))).stream().map(MeterEvent::code).toList();

        assertEquals("disconnector log " + logged, List.of(REMOTE_DISCONNECT, REMOTE_RECONNECT),
                logged.subList(Math.max(0, logged.size() - 2), logged.size()));
    }
}
