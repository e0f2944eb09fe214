package org.medida.edge.inventory;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

import org.medida.edge.api.MeterLink;
import org.medida.edge.api.MeterRef;
import org.medida.edge.api.MeterSecurity;
import org.medida.edge.api.MeterState;

/**
 * The meters file an installer gives the gateway (format in the bundle's README): CSV with a header line, one meter
 * per line, {@code #} starts a comment line. A line that does not describe a valid meter is reported with its line
 * number and skipped; the others are taken.
 */
final class MetersFile {

    static final String HEADER = "serial,transport,host,port,logical_device,physical_address,channel,security,"
            + "password,encryption_key,authentication_key,state";
    private static final int COLUMNS = HEADER.split(",").length;

    /** A meter of the file and the state the file gives it. */
    record Entry(MeterRef meter, MeterState state) {
    }

    /** What a file holds: its valid meters, and one message per line that was skipped. */
    record Contents(List<Entry> meters, List<String> problems) {
    }

    private MetersFile() {
    }

    static Contents parse(List<String> lines) {
        List<Entry> meters = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        boolean headerSeen = false;
        for (int n = 1; n <= lines.size(); n++) {
            String line = lines.get(n - 1).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (!headerSeen) {
                headerSeen = true;
                if (!line.replace(" ", "").equalsIgnoreCase(HEADER)) {
                    problems.add("line " + n + ": expected the header " + HEADER);
                    return new Contents(List.of(), problems);
                }
                continue;
            }
            try {
                meters.add(entryOf(line.split(",", -1)));
            } catch (IllegalArgumentException e) {
                problems.add("line " + n + ": " + e.getMessage());
            }
        }
        return new Contents(meters, problems);
    }

    private static Entry entryOf(String[] fields) {
        if (fields.length != COLUMNS) {
            throw new IllegalArgumentException("expected " + COLUMNS + " fields, found " + fields.length);
        }
        for (int i = 0; i < fields.length; i++) {
            fields[i] = fields[i].strip();
        }
        String serial = fields[0];
        if (serial.isEmpty()) {
            throw new IllegalArgumentException("the serial is empty");
        }
        String host = fields[2];
        String channel = fields[6];
        MeterLink link = switch (fields[1].toUpperCase(Locale.ROOT)) {
            case "WRAPPER" -> new MeterLink.TcpWrapper(host, number(fields[3], "port"),
                    number(fields[4], "logical_device"), channel);
            case "HDLC" -> new MeterLink.TcpHdlc(host, number(fields[3], "port"), number(fields[5], "physical_address"),
                    number(fields[4], "logical_device"), channel);
            case "SERIAL" -> new MeterLink.SerialModeE(host, "", number(fields[5], "physical_address"),
                    number(fields[4], "logical_device"));
            default -> throw new IllegalArgumentException("transport must be WRAPPER, HDLC or SERIAL: " + fields[1]);
        };
        MeterSecurity security = switch (fields[7].toUpperCase(Locale.ROOT)) {
            case "NONE" -> MeterSecurity.publicClient();
            case "LLS" -> MeterSecurity.lowLevel(hex(fields[8], "password"));
            case "HLS5_GMAC" -> MeterSecurity.hls5Gmac(hex(fields[9], "encryption_key"),
                    hex(fields[10], "authentication_key"));
            default -> throw new IllegalArgumentException("security must be NONE, LLS or HLS5_GMAC: " + fields[7]);
        };
        MeterState state = fields[11].isEmpty() ? MeterState.COMMISSIONED : state(fields[11]);
        return new Entry(new MeterRef(serial, link, security), state);
    }

    private static int number(String field, String name) {
        try {
            return Integer.parseInt(field);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " is not a number: '" + field + "'");
        }
    }

    /** Secrets are not repeated in the message. */
    private static byte[] hex(String field, String name) {
        if (field.isEmpty()) {
            throw new IllegalArgumentException(name + " is empty");
        }
        try {
            return HexFormat.of().parseHex(field);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + " is not hexadecimal");
        }
    }

    private static MeterState state(String field) {
        try {
            return MeterState.valueOf(field.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("state must be REGISTERED, COMMISSIONED or DECOMMISSIONED: " + field);
        }
    }
}
