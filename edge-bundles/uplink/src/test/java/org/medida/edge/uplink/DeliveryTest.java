package org.medida.edge.uplink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.medida.edge.uplink.CentralStandIn.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medida.edge.api.Batch;
import org.medida.edge.api.DataClass;
import org.medida.edge.store.SqliteReadingStore;
import org.medida.protocol.BatchAck;

/**
 * Batches go from a real SQLite store through a real Mosquitto to a stand-in for central, and rows leave the store
 * only when central acknowledged that it committed them.
 */
class DeliveryTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String GATEWAY = "gw-delivery";

    @TempDir
    Path work;

    private Bench bench;
    private SqliteReadingStore store;
    private CentralStandIn central;
    private final List<MqttUplink> uplinks = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        bench = Bench.start(work, GATEWAY);
        store = bench.store();
        central = bench.central;
    }

    @AfterEach
    void stop() throws Exception {
        uplinks.forEach(MqttUplink::close);
        bench.close();
    }

    private MqttUplink startUplink(int window, Duration ackTimeout, int maxBatchesPerSecond) {
        UplinkSettings settings = UplinkSettings.defaults(bench.broker.url(), GATEWAY, work.resolve("state"))
                .withFlow(window, ackTimeout, 1000, maxBatchesPerSecond)
                .withConnection(Duration.ofSeconds(5), Duration.ofMillis(100), Duration.ofSeconds(1));
        MqttUplink uplink = new MqttUplink(settings, store, Optional::empty);
        uplinks.add(uplink);
        return uplink;
    }

    @Test
    void rowsAreDeletedOnlyAfterCentralAcknowledgedTheirCommit() throws Exception {
        Readings.appendDays(store, "MTR-1", Readings.FIRST_DAY, 3);
        central.answer(CentralStandIn.WITHHOLD);
        MqttUplink uplink = startUplink(8, Duration.ofMinutes(5), 0);

        await("three batches at central", WAIT, () -> central.batches().size() == 3);
        // Published and received, and still every row in the store: the broker's PUBACK is not central's commit.
        assertEquals(3 * 96, Readings.rowsIn(store));
        assertEquals(3, uplink.status().inFlight());

        central.commitWithheld();
        await("the store emptied by the acknowledgements", WAIT, () -> Readings.rowsIn(store) == 0);
        await("the window emptied", WAIT, () -> uplink.status().inFlight() == 0);
        assertEquals(3, uplink.status().confirmedBatches());
        assertEquals(3 * 96 * 2, uplink.status().publishedValues());
        assertTrue(uplink.status().lastAck().isPresent());
        assertEquals(3, central.batches().size(), "each batch was sent once");
    }

    @Test
    void aBatchWithoutAcknowledgementGoesOutAgainUnderTheSameIdAndNothingIsDeleted() throws Exception {
        Readings.appendDays(store, "MTR-1", Readings.FIRST_DAY, 1);
        central.answer(CentralStandIn.WITHHOLD);
        MqttUplink uplink = startUplink(8, Duration.ofSeconds(1), 0);

        await("the batch sent twice", WAIT, () -> central.batches().size() >= 2);
        Batch first = central.batches().get(0);
        Batch again = central.batches().get(1);
        assertEquals(first.id(), again.id());
        assertTrue(first.equals(again), "same rows under the same id");
        assertEquals(96, Readings.rowsIn(store), "nothing deleted without an acknowledgement");
        assertTrue(uplink.status().ackTimeouts() >= 1);

        central.answer(CentralStandIn.COMMIT);
        central.commitWithheld();
        await("the store emptied", WAIT, () -> Readings.rowsIn(store) == 0);
        assertEquals(Set.of(first.id()), central.batches().stream().map(Batch::id).collect(Collectors.toSet()));
    }

    @Test
    void theBacklogDrainsEventsAndRegistersFirstThenTheOldestDayFirst() {
        Readings.appendDays(store, "MTR-2", Readings.FIRST_DAY.plusDays(2), 2);
        Readings.appendDays(store, "MTR-1", Readings.FIRST_DAY, 3);
        Readings.appendBilling(store, "MTR-1", Readings.FIRST_DAY.plusDays(4));
        Readings.appendEvent(store, "MTR-2", Readings.FIRST_DAY.plusDays(3));
        startUplink(1, Duration.ofMinutes(5), 0);

        await("every batch at central", WAIT, () -> central.batches().size() == 7);
        List<Batch> received = central.batches();
        assertEquals(List.of(DataClass.EVENTS, DataClass.REGISTERS), received.subList(0, 2).stream()
                .map(Batch::dataClass).toList());
        List<Batch> profile = received.subList(2, 7);
        assertTrue(profile.stream().allMatch(b -> b.dataClass() == DataClass.INTERVALS));
        assertEquals(profile.stream().sorted(Comparator.comparing(Batch::day)).map(Batch::day).toList(),
                profile.stream().map(Batch::day).toList(), "oldest day first");
        await("the store emptied", WAIT, () -> Readings.rowsIn(store) == 0);
    }

    @Test
    void noMoreBatchesThanTheWindowAwaitTheirAcknowledgement() throws Exception {
        Readings.appendDays(store, "MTR-1", Readings.FIRST_DAY, 10);
        central.answer(CentralStandIn.WITHHOLD);
        MqttUplink uplink = startUplink(3, Duration.ofMinutes(5), 0);

        await("a full window at central", WAIT, () -> central.batches().size() == 3);
        // Absence needs a time window: the uplink polls its store every 0.5 s, so 2 s would show a fourth batch.
        Thread.sleep(2000);
        assertEquals(3, central.batches().size());
        assertEquals(3, uplink.status().inFlight());

        central.answer(CentralStandIn.COMMIT);
        central.commitWithheld();
        await("everything drained", WAIT, () -> Readings.rowsIn(store) == 0);
        assertEquals(10, central.batches().size());
    }

    @Test
    void aRefusedBatchKeepsItsRowsAndIsNotSentAgainUntilTheUplinkRestarts() throws Exception {
        Readings.appendDays(store, "MTR-1", Readings.FIRST_DAY, 3);
        LogRecords log = new LogRecords();
        central.answer(batch -> batch.day().equals(Readings.FIRST_DAY.plusDays(1))
                ? BatchAck.refused(batch.id(), "unknown meter data shape")
                : BatchAck.committed(batch.id()));
        MqttUplink uplink = startUplink(8, Duration.ofSeconds(1), 0);

        await("the other two days confirmed", WAIT, () -> uplink.status().confirmedBatches() == 2);
        // Well beyond the acknowledgement timeout: a refused batch is neither released nor sent again.
        Thread.sleep(3000);
        assertEquals(3, central.batches().size());
        assertEquals(96, Readings.rowsIn(store), "the refused day stays in the store");
        assertEquals(1, uplink.status().refused());
        assertEquals(1, log.problemsContaining("unknown meter data shape"));
        log.close();

        uplink.close();
        central.answer(CentralStandIn.COMMIT);
        store = bench.reopenStore();
        startUplink(8, Duration.ofSeconds(1), 0);
        await("the refused day sent again after the restart and committed", WAIT, () -> Readings.rowsIn(store) == 0);
        assertEquals(4, central.batches().size());
    }

    @Test
    void theRateCapSpacesThePublishes() {
        Readings.appendDays(store, "MTR-1", Readings.FIRST_DAY, 6);
        startUplink(8, Duration.ofMinutes(5), 4);

        long start = System.nanoTime();
        await("everything drained", WAIT, () -> Readings.rowsIn(store) == 0);
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertTrue(took.compareTo(Duration.ofMillis(1250)) >= 0, "6 batches at 4 per second took only " + took);
    }
}
