package org.medida.central.provisioning;

import org.medida.edge.api.MeterLink;
import org.medida.edge.api.MeterRef;
import org.medida.edge.api.MeterSecurity;

/**
 * How a meter is reached over DLMS, as the {@code meters} columns and the gateway's meters file hold it. Transport
 * {@code wrapper} (TCP wrapper), {@code hdlc} (HDLC over TCP) or {@code serial} (optical probe or RS-485, mode E;
 * {@code host} is then the serial port); security {@code none} (public client), {@code lls} (password) or
 * {@code hls5_gmac} (encryption and authentication keys). Stored in lower case.
 */
public record DlmsAddressing(String transport, String host, int port, int logicalDevice, int physicalAddress,
        String channel, String security) {

    static final int MAX_ADDRESS = 0x3FFF;

    /** The driver's view of the meter: its link and its client association with the secrets. */
    public MeterRef toMeterRef(String serial, MeterSecrets secrets) {
        MeterLink link = switch (transport) {
            case "wrapper" -> new MeterLink.TcpWrapper(host, port, logicalDevice, channel);
            case "hdlc" -> new MeterLink.TcpHdlc(host, port, physicalAddress, logicalDevice, channel);
            case "serial" -> new MeterLink.SerialModeE(host, "", physicalAddress, logicalDevice);
            default -> throw new IllegalArgumentException("meter " + serial + " has no DLMS transport: register it "
                    + "with transport wrapper, hdlc or serial");
        };
        MeterSecurity meterSecurity = switch (security) {
            case "none" -> MeterSecurity.publicClient();
            case "lls" -> MeterSecurity.lowLevel(secrets.passwordBytes());
            case "hls5_gmac" -> MeterSecurity.hls5Gmac(secrets.encryptionKeyBytes(), secrets.authenticationKeyBytes());
            default -> throw new IllegalArgumentException("meter " + serial + " has an unknown security " + security);
        };
        return new MeterRef(serial, link, meterSecurity);
    }
}
