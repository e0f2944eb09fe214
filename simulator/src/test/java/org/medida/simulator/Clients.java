package org.medida.simulator;

import java.io.IOException;
import java.net.InetAddress;
import org.openmuc.jdlms.AuthenticationMechanism;
import org.openmuc.jdlms.DlmsConnection;
import org.openmuc.jdlms.SecuritySuite;
import org.openmuc.jdlms.SecuritySuite.EncryptionMechanism;
import org.openmuc.jdlms.SecuritySuite.SecurityPolicy;
import org.openmuc.jdlms.TcpConnectionBuilder;

/** jDLMS client connections to simulated meters, as a head-end would open them. */
final class Clients {

    static final int TIMEOUT_MILLIS = 3_000;

    private Clients() {
    }

    static TcpConnectionBuilder tcp(SimulatedMeter meter) {
        TcpConnectionBuilder builder = new TcpConnectionBuilder(InetAddress.getLoopbackAddress())
                .setPort(meter.port())
                .setLogicalDeviceId(meter.logicalDevice())
                .setResponseTimeout(TIMEOUT_MILLIS);
        if (meter.transport() == Transport.WRAPPER) {
            builder.useWrapper();
        } else {
            builder.useHdlc().setPhysicalDeviceAddress(meter.physicalAddress());
        }
        return builder;
    }

    static DlmsConnection publicClient(SimulatedMeter meter) throws IOException {
        return tcp(meter).setClientId(16).build();
    }

    static DlmsConnection lls(SimulatedMeter meter, byte[] password) throws IOException {
        return tcp(meter).setClientId(1)
                .setSecuritySuite(SecuritySuite.builder()
                        .setAuthenticationMechanism(AuthenticationMechanism.LOW)
                        .setPassword(password)
                        .build())
                .build();
    }

    static TcpConnectionBuilder hls5(SimulatedMeter meter, byte[] encryptionKey, byte[] authenticationKey,
            long frameCounter) {
        return tcp(meter).setClientId(1)
                .setSystemTitle("MDC", 1)
                .setFrameCounter(frameCounter)
                .setSecuritySuite(SecuritySuite.builder()
                        .setAuthenticationMechanism(AuthenticationMechanism.HLS5_GMAC)
                        .setEncryptionMechanism(EncryptionMechanism.AES_GCM_128)
                        .setSecurityPolicy(SecurityPolicy.AUTHENTICATED_AND_ENCRYPTED)
                        .setGlobalUnicastEncryptionKey(encryptionKey)
                        .setAuthenticationKey(authenticationKey)
                        .build());
    }

    static DlmsConnection hls5(SimulatedMeter meter, long frameCounter) throws IOException {
        MeterKeys keys = meter.keys();
        return hls5(meter, keys.encryptionKey(), keys.authenticationKey(), frameCounter).build();
    }
}
