package org.medida.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.medida.edge.api.Batch;
import org.medida.edge.api.Interval;
import org.medida.edge.api.IntervalBlock;
import org.medida.edge.api.ProfileChannel;
import org.medida.edge.api.RegisterReading;

class PayloadsTest {

    /** The samples use one scale per channel, so even BigDecimal's scale-sensitive equals() holds. */
    @Test
    void everyBatchClassComesBackAsItWasSent() throws Exception {
        for (Batch batch : SampleMessages.everyClass()) {
            Batch decoded = Payloads.decodeBatch(Payloads.encodeBatch(batch));
            assertEquals(batch, decoded, batch.dataClass().name());
        }
    }

    @Test
    void intervalValuesKeepTheirNumericValueAndTheirTimes() throws Exception {
        Batch.Intervals sent = SampleMessages.intervals();
        Batch.Intervals received = (Batch.Intervals) Payloads.decodeBatch(Payloads.encodeBatch(sent));
        List<Interval> before = sent.blocks().get(0).intervals();
        List<Interval> after = received.blocks().get(0).intervals();
        assertEquals(before.size(), after.size());
        for (int i = 0; i < before.size(); i++) {
            assertEquals(before.get(i).end(), after.get(i).end());
            assertEquals(before.get(i).status(), after.get(i).status());
            for (int c = 0; c < 2; c++) {
                assertEquals(0, before.get(i).values().get(c).compareTo(after.get(i).values().get(c)));
            }
        }
    }

    @Test
    void aDayOfLoadProfileTakesWellUnderFourBytesPerSample() {
        Batch.Intervals batch = SampleMessages.intervals();
        int samples = batch.size() * 2;
        int bytes = Payloads.encodeBatch(batch).length + Topics.batch("gw-0001").length();
        assertTrue(bytes < 4 * samples, bytes + " bytes for " + samples + " samples");
    }

    @Test
    void otherMessagesComeBackAsTheyWereSent() throws Exception {
        assertEquals(SampleMessages.task(), Payloads.decodeTask(Payloads.encodeTask(SampleMessages.task())));
        assertEquals(SampleMessages.birth(), Payloads.decodeStatus(Payloads.encodeStatus(SampleMessages.birth())));
        assertEquals(BatchAck.committed(9), Payloads.decodeAck(Payloads.encodeAck(BatchAck.committed(9))));
        BatchAck refused = BatchAck.refused(10, "unknown profile layout");
        assertEquals(refused, Payloads.decodeAck(Payloads.encodeAck(refused)));
        assertEquals(SampleMessages.outcome(), Payloads.decodeOutcome(Payloads.encodeOutcome(SampleMessages.outcome())));
    }

    @Test
    void inventoryChangesAndResultsComeBackAsTheyWereSent() throws Exception {
        for (InventoryChange change : java.util.List.of(SampleMessages.commission(), SampleMessages.decommission())) {
            assertEquals(change, Payloads.decodeInventoryChange(Payloads.encodeInventoryChange(change)));
        }
        InventoryChange serial = InventoryChange.commission("c-2", new org.medida.edge.api.MeterRef("M2",
                new org.medida.edge.api.MeterLink.SerialModeE("/dev/ttyUSB0", "12345678", 17, 1),
                org.medida.edge.api.MeterSecurity.lowLevel("secret".getBytes())));
        assertEquals(serial, Payloads.decodeInventoryChange(Payloads.encodeInventoryChange(serial)));
        InventoryChange wrapper = InventoryChange.commission("c-3", new org.medida.edge.api.MeterRef("M3",
                new org.medida.edge.api.MeterLink.TcpWrapper("meter.local", 4059),
                org.medida.edge.api.MeterSecurity.publicClient()));
        assertEquals(wrapper, Payloads.decodeInventoryChange(Payloads.encodeInventoryChange(wrapper)));
        assertEquals(SampleMessages.inventoryResult(),
                Payloads.decodeInventoryResult(Payloads.encodeInventoryResult(SampleMessages.inventoryResult())));
        assertTrue(!SampleMessages.commission().toString().contains("0102030405"), "no secret in toString");
        assertThrows(IllegalArgumentException.class, () -> new InventoryChange("c", InventoryChange.Action.COMMISSION,
                "M1", null));
        assertThrows(IllegalArgumentException.class, () -> Payloads.encodeInventoryChange(InventoryChange.commission(
                "c", new org.medida.edge.api.MeterRef("M1", new org.medida.edge.api.MeterLink.TcpWrapper("h", 1),
                        org.medida.edge.api.MeterSecurity.lowLevel(new byte[65])))));
    }

    @Test
    void theSenderIsToldWhatItCannotSend() {
        IntervalBlock outOfOrder = new IntervalBlock(SampleMessages.SERIAL, "1.0.99.1.0.255", Duration.ofMinutes(15),
                List.of(new ProfileChannel("1.0.1.8.0.255", "Wh")),
                List.of(new Interval(SampleMessages.MIDNIGHT.plusSeconds(1800), 0, List.of(BigDecimal.ONE)),
                        new Interval(SampleMessages.MIDNIGHT.plusSeconds(900), 0, List.of(BigDecimal.TEN))));
        assertThrows(IllegalArgumentException.class, () -> Payloads.encodeBatch(
                new Batch.Intervals(1, SampleMessages.SERIAL, SampleMessages.DAY, List.of(outOfOrder))));
        assertThrows(IllegalArgumentException.class, () -> Payloads.encodeBatch(new Batch.Registers(2,
                SampleMessages.SERIAL, SampleMessages.DAY, List.of(new RegisterReading("1.0.1.8.0",
                        BigDecimal.ONE, "Wh", null, SampleMessages.MIDNIGHT)))));
        assertThrows(IllegalArgumentException.class, () -> Payloads.encodeBatch(new Batch.Registers(3,
                SampleMessages.SERIAL, SampleMessages.DAY, List.of(new RegisterReading("1.0.1.8.0.255",
                        new BigDecimal("123456789012345678901234567890"), "Wh", null, SampleMessages.MIDNIGHT)))));
    }

    @Test
    void aBatchTooLargeForOnePayloadIsRefusedAtTheSender() {
        List<Interval> intervals = new ArrayList<>();
        List<ProfileChannel> channels = new ArrayList<>();
        for (int c = 0; c < 32; c++) {
            channels.add(new ProfileChannel("1.0." + c + ".8.0.255", "Wh"));
        }
        for (int i = 1; i <= 5000; i++) {
            List<BigDecimal> values = new ArrayList<>();
            for (int c = 0; c < 32; c++) {
                values.add(BigDecimal.valueOf((long) i * i * 1_000_003L * (c + 1)));
            }
            intervals.add(new Interval(SampleMessages.MIDNIGHT.plusSeconds(60L * i), 0, values));
        }
        IntervalBlock huge = new IntervalBlock(SampleMessages.SERIAL, "1.0.99.1.0.255", Duration.ofMinutes(1), channels,
                intervals);
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> Payloads.encodeBatch(
                new Batch.Intervals(4, SampleMessages.SERIAL, SampleMessages.DAY, List.of(huge))));
        assertTrue(refused.getMessage().contains("over the limit"), refused.getMessage());
    }
}
