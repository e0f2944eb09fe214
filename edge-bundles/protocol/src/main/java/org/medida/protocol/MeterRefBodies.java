package org.medida.protocol;

import org.medida.edge.api.MeterLink;
import org.medida.edge.api.MeterRef;
import org.medida.edge.api.MeterSecurity;

/**
 * A meter's link and security material in an inventory change: link kind, host (or serial port), TCP port,
 * logical device, physical address, channel, IEC 62056-21 address, then security level, client SAP and the three
 * optional secrets (password, encryption key, authentication key).
 */
final class MeterRefBodies {

    private static final int MAX_ADDRESS = 0x3FFF;
    private static final int MAX_PORT = 65_535;
    private static final int MAX_CLIENT_SAP = 0x7F;

    private MeterRefBodies() {
    }

    static void write(PayloadWriter out, MeterRef meter) {
        MeterLink link = meter.link();
        if (link instanceof MeterLink.TcpWrapper wrapper) {
            writeLink(out, WireCodes.LINK_WRAPPER, wrapper.host(), wrapper.port(), wrapper.logicalDevice(), 0,
                    wrapper.channel(), "");
        } else if (link instanceof MeterLink.TcpHdlc hdlc) {
            writeLink(out, WireCodes.LINK_HDLC, hdlc.host(), hdlc.port(), hdlc.logicalDevice(),
                    hdlc.physicalAddress(), hdlc.channel(), "");
        } else if (link instanceof MeterLink.SerialModeE serial) {
            writeLink(out, WireCodes.LINK_SERIAL, serial.portName(), 0, serial.logicalDevice(),
                    serial.physicalAddress(), "", serial.iec21Address());
        }
        MeterSecurity security = meter.security();
        out.code(WireCodes.codeOf(WireCodes.SECURITY_LEVELS, security.level()));
        out.unsigned(security.clientSap());
        out.optionalBytes(security.password(), Limits.MAX_SECRET_BYTES);
        out.optionalBytes(security.encryptionKey(), Limits.MAX_SECRET_BYTES);
        out.optionalBytes(security.authenticationKey(), Limits.MAX_SECRET_BYTES);
    }

    private static void writeLink(PayloadWriter out, int kind, String host, int port, int logicalDevice,
            int physicalAddress, String channel, String iec21Address) {
        out.code(kind);
        out.string(host, Limits.Text.HOST);
        out.unsigned(port);
        out.unsigned(logicalDevice);
        out.unsigned(physicalAddress);
        out.string(channel, Limits.Text.CHANNEL);
        out.string(iec21Address, Limits.Text.CHANNEL);
    }

    /** Reads what {@link #write} wrote; a link or security the API refuses is an {@link IllegalArgumentException}. */
    static MeterRef read(PayloadReader in, String serial) throws MalformedPayloadException {
        int kind = in.code("link kind");
        String host = in.string("host", Limits.Text.HOST);
        int port = in.bounded("port", 0, MAX_PORT);
        int logicalDevice = in.bounded("logical device", 0, MAX_ADDRESS);
        int physicalAddress = in.bounded("physical address", 0, MAX_ADDRESS);
        String channel = in.string("channel", Limits.Text.CHANNEL);
        String iec21Address = in.string("IEC 62056-21 address", Limits.Text.CHANNEL);
        MeterLink link = switch (kind) {
            case WireCodes.LINK_WRAPPER -> new MeterLink.TcpWrapper(host, port, logicalDevice, channel);
            case WireCodes.LINK_HDLC -> new MeterLink.TcpHdlc(host, port, physicalAddress, logicalDevice, channel);
            case WireCodes.LINK_SERIAL -> new MeterLink.SerialModeE(host, iec21Address, physicalAddress, logicalDevice);
            default -> throw in.fault("link kind", "unknown code " + kind);
        };
        MeterSecurity.Level level = WireCodes.read(WireCodes.SECURITY_LEVELS, in, "security level");
        int clientSap = in.bounded("client SAP", 0, MAX_CLIENT_SAP);
        byte[] password = in.optionalBytes("password", Limits.MAX_SECRET_BYTES);
        byte[] encryptionKey = in.optionalBytes("encryption key", Limits.MAX_SECRET_BYTES);
        byte[] authenticationKey = in.optionalBytes("authentication key", Limits.MAX_SECRET_BYTES);
        if (level == MeterSecurity.Level.LLS && password == null) {
            throw in.fault("password", "LLS needs a password");
        }
        return new MeterRef(serial, link,
                new MeterSecurity(level, clientSap, password, encryptionKey, authenticationKey));
    }
}
