package org.medida.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gurux.dlms.GXDLMSClient;
import gurux.dlms.GXReplyData;
import gurux.dlms.enums.Authentication;
import gurux.dlms.enums.InterfaceType;
import gurux.dlms.objects.GXDLMSProfileGeneric;
import gurux.dlms.objects.GXDLMSRegister;
import java.net.InetAddress;
import java.net.Socket;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A client from another DLMS stack (Gurux, test scope only) associates over HDLC with an empty SNRM and reads. */
class GuruxClientTest {

    private static MeterFleet fleet;
    private static SimulatedMeter meter;

    @BeforeAll
    static void start() throws Exception {
        fleet = MeterFleet.start(FleetConfig.builder().meters(1).basePort(0).transport(Transport.HDLC)
                .epoch(Instant.parse("2026-05-10T12:00:00Z")).build());
        meter = fleet.meters().get(0);
    }

    @AfterAll
    static void stop() {
        fleet.close();
    }

    @Test
    void guruxAssociatesWithAnEmptySnrmAndReadsRegistersAndProfile() throws Exception {
        GXDLMSClient client = new GXDLMSClient(true, 16,
                GXDLMSClient.getServerAddress(meter.logicalDevice(), meter.physicalAddress()), Authentication.NONE,
                null, InterfaceType.HDLC);
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), meter.port())) {
            socket.setSoTimeout(Clients.TIMEOUT_MILLIS);
            GuruxConversation talk = new GuruxConversation(client, socket.getInputStream(), socket.getOutputStream());

            byte[] snrm = client.snrmRequest();
            // flags, format, 2-byte server and 1-byte client address, control, FCS: no information field
            assertEquals(10, snrm.length, "Gurux sends an SNRM without information field by default");
            client.parseUAResponse(talk.exchange(snrm).getData());
            GXReplyData aare = null;
            for (byte[] frame : client.aarqRequest()) {
                aare = talk.exchange(frame);
            }
            client.parseAareResponse(aare.getData());

            GXDLMSRegister aPlus = new GXDLMSRegister("1.0.1.8.0.255");
            client.updateValue(aPlus, 3, talk.read(client.read(aPlus, 3)).getValue());
            long before = meter.model().totals().importWh();
            client.updateValue(aPlus, 2, talk.read(client.read(aPlus, 2)).getValue());
            long value = ((Number) aPlus.getValue()).longValue();
            assertTrue(value >= before && value <= meter.model().totals().importWh(), "A+ " + value);
            assertEquals(1.0, aPlus.getScaler(), 0.0, "Gurux reports the scaler as the factor 10^0");

            GXDLMSProfileGeneric profile = new GXDLMSProfileGeneric("1.0.99.1.0.255");
            client.updateValue(profile, 3, talk.read(client.read(profile, 3)).getValue());
            assertEquals(4, profile.getCaptureObjects().size());
            client.updateValue(profile, 2, talk.read(client.readRowsByEntry(profile, 1, 3)).getValue());
            assertEquals(3, profile.getBuffer().length);
            long firstImport = ((Number) ((Object[]) profile.getBuffer()[0])[2]).longValue();
            assertEquals(meter.model().loadProfile().get(0).importWh(), firstImport);

            profile.clearBuffer();
            client.updateValue(profile, 2, talk.read(client.read(profile, 2)).getValue());
            assertEquals(meter.model().loadProfile().size(), profile.getBuffer().length, "whole buffer, HDLC-segmented");

            talk.exchange(client.disconnectRequest());
        }
    }
}
