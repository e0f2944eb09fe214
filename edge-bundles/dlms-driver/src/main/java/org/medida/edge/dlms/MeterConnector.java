package org.medida.edge.dlms;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.UnknownHostException;
import java.time.Duration;

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
import org.openmuc.jdlms.sessionlayer.client.SessionLayer;
import org.openmuc.jdlms.sessionlayer.client.WrapperLayer;
import org.openmuc.jdlms.settings.client.Settings;
import org.openmuc.jdlms.settings.client.TcpSettings;

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

    private ConnectionBuilder<?> linkOf(MeterLink link) throws IOException {
        if (link instanceof MeterLink.TcpWrapper wrapper) {
            return new WrapperOverTcp(wrapper.host(), settings.connectTimeout()).setPort(wrapper.port())
                    .setLogicalDeviceId(wrapper.logicalDevice());
        }
        if (link instanceof MeterLink.TcpHdlc hdlc) {
            // jDLMS opens HDLC sockets in its own dispatcher, which takes no transport and connects without a
            // timeout: a probe connection finds a host that does not answer before jDLMS would wait minutes for it
            try (Socket probe = TcpTransport.connect(new InetSocketAddress(hdlc.host(), hdlc.port()),
                    settings.connectTimeout())) {
                return new TcpConnectionBuilder(hdlc.host()).setPort(hdlc.port()).useHdlc()
                        .setPhysicalDeviceAddress(hdlc.physicalAddress()).setLogicalDeviceId(hdlc.logicalDevice());
            }
        }
        MeterLink.SerialModeE serial = (MeterLink.SerialModeE) link;
        return new SerialConnectionBuilder(serial.portName()).enableHandshake().setIec21Address(serial.iec21Address())
                .setPhysicalDeviceAddress(serial.physicalAddress()).setLogicalDeviceId(serial.logicalDevice());
    }

    /** jDLMS's wrapper session over TCP, on a transport that connects within the connect timeout. */
    private static final class WrapperOverTcp extends TcpConnectionBuilder {
        private final Duration connectTimeout;

        WrapperOverTcp(String host, Duration connectTimeout) throws UnknownHostException {
            super(host);
            this.connectTimeout = connectTimeout;
            useWrapper();
        }

        @Override
        protected SessionLayer buildSessionLayer(Settings settings) throws IOException {
            TcpSettings tcp = (TcpSettings) settings;
            return new WrapperLayer(settings,
                    new TcpTransport(new InetSocketAddress(tcp.inetAddress(), tcp.port()), connectTimeout));
        }
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
