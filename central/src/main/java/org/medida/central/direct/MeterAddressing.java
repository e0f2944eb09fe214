package org.medida.central.direct;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;

import org.medida.central.provisioning.SecretBox;
import org.medida.edge.api.MeterLink;
import org.medida.edge.api.MeterRef;
import org.medida.edge.api.MeterSecurity;

/**
 * How central reaches a point-to-point meter: its addressing from {@code meters} (transport WRAPPER, HDLC or SERIAL
 * and security NONE, LLS or HLS5_GMAC, spelt as in the gateway's meters file, in any case) and its secrets opened
 * from {@code secrets_encrypted}. A meter central cannot or may not read is refused with the reason, which never
 * contains a secret.
 */
final class MeterAddressing {

    private static final String SELECT = "SELECT connection, state, transport, host, port, logical_device, "
            + "physical_address, channel, security, secrets_encrypted FROM meters WHERE serial = ?";

    private final SecretBox secrets;

    MeterAddressing(SecretBox secrets) {
        this.secrets = secrets;
    }

    /** Why a task cannot be carried out on a meter. */
    static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;

        Refused(String reason) {
            super(reason);
        }
    }

    MeterRef meter(Connection connection, String serial) throws SQLException, Refused {
        try (PreparedStatement select = connection.prepareStatement(SELECT)) {
            select.setString(1, serial);
            try (ResultSet row = select.executeQuery()) {
                if (!row.next()) {
                    throw new Refused("unknown meter " + serial);
                }
                if (!"point_to_point".equals(row.getString("connection"))) {
                    throw new Refused("meter " + serial + " is not point-to-point: it is read through its gateway");
                }
                if (!"commissioned".equals(row.getString("state"))) {
                    throw new Refused("meter " + serial + " is " + row.getString("state") + ", not commissioned");
                }
                try {
                    return new MeterRef(serial, link(row), security(row.getString("security"),
                            row.getString("secrets_encrypted")));
                } catch (IllegalArgumentException | NullPointerException e) {
                    throw new Refused("meter " + serial + " is not addressed correctly: " + e.getMessage());
                }
            }
        }
    }

    private static MeterLink link(ResultSet row) throws SQLException, Refused {
        String host = row.getString("host");
        int port = row.getInt("port");
        int logicalDevice = row.getInt("logical_device");
        int physicalAddress = row.getInt("physical_address");
        String channel = row.getString("channel");
        String transport = row.getString("transport").toUpperCase(Locale.ROOT);
        if (host.isBlank()) {
            throw new Refused("the meter has no host (or serial port) to reach it on");
        }
        return switch (transport) {
            case "WRAPPER" -> new MeterLink.TcpWrapper(host, port, logicalDevice, channel);
            case "HDLC" -> new MeterLink.TcpHdlc(host, port, physicalAddress, logicalDevice, channel);
            // a meter on one of central's own serial ports: the host column names the port
            case "SERIAL" -> new MeterLink.SerialModeE(host, "", physicalAddress, logicalDevice);
            default -> throw new Refused("transport must be WRAPPER, HDLC or SERIAL, not '" + transport + "'");
        };
    }

    private MeterSecurity security(String level, String sealed) throws Refused {
        return switch (level.toUpperCase(Locale.ROOT)) {
            case "NONE" -> MeterSecurity.publicClient();
            case "LLS" -> MeterSecurity.lowLevel(open(sealed).getOrDefault("password", "")
                    .getBytes(StandardCharsets.UTF_8));
            case "HLS5_GMAC" -> {
                Map<String, String> keys = open(sealed);
                yield MeterSecurity.hls5Gmac(hex(keys, "encryption_key"), hex(keys, "authentication_key"));
            }
            default -> throw new Refused("security must be NONE, LLS or HLS5_GMAC, not '" + level + "'");
        };
    }

    /** The secrets' plaintext: {@code name=value} lines (password, encryption_key, authentication_key). */
    private Map<String, String> open(String sealed) throws Refused {
        if (sealed.isEmpty()) {
            throw new Refused("the meter's secrets are missing");
        }
        String plaintext;
        try {
            plaintext = new String(secrets.open(sealed), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new Refused("the meter's secrets cannot be opened: " + e.getMessage());
        }
        Map<String, String> values = new HashMap<>();
        for (String line : plaintext.split("\n")) {
            int equals = line.indexOf('=');
            if (equals > 0) {
                values.put(line.substring(0, equals).strip(), line.substring(equals + 1));
            }
        }
        return values;
    }

    private static byte[] hex(Map<String, String> keys, String name) throws Refused {
        try {
            return HexFormat.of().parseHex(keys.getOrDefault(name, "").strip());
        } catch (IllegalArgumentException e) {
            throw new Refused("the meter's " + name + " is not hexadecimal");
        }
    }
}
