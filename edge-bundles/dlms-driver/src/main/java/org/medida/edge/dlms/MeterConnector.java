package org.medida.edge.dlms;

import java.io.IOException;
import java.io.UncheckedIOException;

import org.medida.edge.api.FailureKind;
import org.medida.edge.api.MeterAccessException;
import org.medida.edge.api.MeterLink;
import org.medida.edge.api.MeterRef;
import org.medida.edge.api.MeterSecurity;
import org.openmuc.jdlms.AuthenticationMechanism;
import org.openmuc.jdlms.ConnectionBuilder;
import org.openmuc.jdlms.DlmsConnection;
import org.openmuc.jdlms.RawMessageData;
import org.openmuc.jdlms.SecuritySuite;
import org.openmuc.jdlms.SecuritySuite.EncryptionMechanism;
import org.openmuc.jdlms.SecuritySuite.SecurityPolicy;
import org.openmuc.jdlms.SerialConnectionBuilder;
import org.openmuc.jdlms.TcpConnectionBuilder;

/** Opens the jDLMS association a {@link MeterRef} describes: its link, its client and its security. */
final class MeterConnector {

    private final DriverSettings settings;

    MeterConnector(DriverSettings settings) {
        this.settings = settings;
    }

    /**
     * Associates with the meter. With HLS5 the association starts from the reserved invocation counter and every
     * message the client sends is counted against the reservation.
     */
    DlmsConnection open(MeterRef meter, InvocationCounters.Reservation counters) throws MeterAccessException {
        try {
            ConnectionBuilder<?> builder = linkOf(meter.link());
            builder.setResponseTimeout(Math.toIntExact(settings.requestTimeout().toMillis()));
            secure(builder, meter.security(), counters);
            return builder.build();
        } catch (IOException e) {
            throw Failures.ofConnect(e, meter.security().level() != MeterSecurity.Level.NONE);
        } catch (UncheckedIOException e) {
            throw new MeterAccessException(FailureKind.METER_ERROR,
                    "cannot persist the invocation counter: " + e.getCause().getMessage());
        }
    }

    private static ConnectionBuilder<?> linkOf(MeterLink link) throws IOException {
        if (link instanceof MeterLink.TcpWrapper wrapper) {
            return new TcpConnectionBuilder(wrapper.host()).setPort(wrapper.port()).useWrapper()
                    .setLogicalDeviceId(wrapper.logicalDevice());
        }
        if (link instanceof MeterLink.TcpHdlc hdlc) {
            return new TcpConnectionBuilder(hdlc.host()).setPort(hdlc.port()).useHdlc()
                    .setPhysicalDeviceAddress(hdlc.physicalAddress()).setLogicalDeviceId(hdlc.logicalDevice());
        }
        MeterLink.SerialModeE serial = (MeterLink.SerialModeE) link;
        return new SerialConnectionBuilder(serial.portName()).enableHandshake().setIec21Address(serial.iec21Address())
                .setPhysicalDeviceAddress(serial.physicalAddress()).setLogicalDeviceId(serial.logicalDevice());
    }

    private void secure(ConnectionBuilder<?> builder, MeterSecurity security,
            InvocationCounters.Reservation counters) {
        builder.setClientId(security.clientSap());
        switch (security.level()) {
            case NONE -> { }
            case LLS -> builder.setSecuritySuite(SecuritySuite.builder()
                    .setAuthenticationMechanism(AuthenticationMechanism.LOW)
                    .setPassword(security.password())
                    .build());
            case HLS5_GMAC -> builder.setSecuritySuite(SecuritySuite.builder()
                            .setAuthenticationMechanism(AuthenticationMechanism.HLS5_GMAC)
                            .setEncryptionMechanism(EncryptionMechanism.AES_GCM_128)
                            .setSecurityPolicy(SecurityPolicy.AUTHENTICATED_AND_ENCRYPTED)
                            .setGlobalUnicastEncryptionKey(security.encryptionKey())
                            .setAuthenticationKey(security.authenticationKey())
                            .build())
                    .setSystemTitle(settings.manufacturerId(), settings.deviceId())
                    .setFrameCounter(counters.first())
                    .setRawMessageListener(message -> countSent(message, counters));
        }
    }

    private static void countSent(RawMessageData message, InvocationCounters.Reservation counters) {
        if (message.getMessageSource() == RawMessageData.MessageSource.CLIENT) {
            try {
                counters.messageSent();
            } catch (IOException e) {
                // stops the conversation: sending on without a persisted counter could reuse one after a crash
                throw new UncheckedIOException(e);
            }
        }
    }
}
