package org.medida.central.provisioning;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * A meter as an operator registers it (M1), the body of {@code POST /api/meters}. Absent optional fields take their
 * defaults; {@link #validated} checks everything and says which field is wrong. Secrets left out of a
 * re-registration keep the values already stored.
 */
public record MeterRegistration(String serial, String meterType, String manufacturer, String firmware,
        String connection, String gatewayId, String transport, String host, Integer port, Integer logicalDevice,
        Integer physicalAddress, String channel, String security, String password, String encryptionKey,
        String authenticationKey, List<String> capabilities) {

    /** The capabilities a meter may declare (contracts.md); READ_REGISTERS needs none. */
    public static final Set<String> CAPABILITIES = Set.of("disconnector", "limiter", "load_profile", "events",
            "instantaneous", "clock");
    static final String GATEWAY = "gateway";
    static final String POINT_TO_POINT = "point_to_point";
    private static final int MAX_SERIAL_CHARS = 64;
    private static final int MAX_TEXT_CHARS = 128;

    /** A registration checked and put in the stored form. */
    record Valid(String serial, String meterType, String manufacturer, String firmware, String connection,
            String gatewayId, DlmsAddressing addressing, String capabilities) {
    }

    Valid validated() throws ProvisioningException {
        String validSerial = serial(serial);
        String validConnection = oneOf("connection", connection, GATEWAY, List.of(GATEWAY, POINT_TO_POINT));
        String gateway = text("gatewayId", gatewayId);
        if (validConnection.equals(GATEWAY) && gateway.isEmpty()) {
            throw ProvisioningException.invalid("gatewayId is required for a meter reached through a gateway");
        }
        if (validConnection.equals(POINT_TO_POINT) && !gateway.isEmpty()) {
            throw ProvisioningException.invalid("gatewayId must be empty for a point_to_point meter");
        }
        String validTransport = oneOf("transport", transport, null, List.of("wrapper", "hdlc", "serial"));
        String validHost = text("host", host);
        if (validHost.isEmpty()) {
            throw ProvisioningException.invalid("host is required (the serial port for transport serial)");
        }
        int validPort = validTransport.equals("serial") ? 0 : number("port", port, -1, 1, 65_535);
        int logical = number("logicalDevice", logicalDevice, 1, 0, DlmsAddressing.MAX_ADDRESS);
        int physical = number("physicalAddress", physicalAddress, validTransport.equals("wrapper") ? 0 : 16, 0,
                DlmsAddressing.MAX_ADDRESS);
        String validSecurity = oneOf("security", security, "none", List.of("none", "lls", "hls5_gmac"));
        Set<String> validCapabilities = new LinkedHashSet<>();
        for (String capability : capabilities == null ? List.<String>of() : capabilities) {
            String name = capability == null ? "" : capability.strip().toLowerCase(Locale.ROOT);
            if (!CAPABILITIES.contains(name)) {
                throw ProvisioningException.invalid("capabilities: unknown capability '" + capability + "', known: "
                        + String.join(", ", new TreeSet<>(CAPABILITIES)));
            }
            validCapabilities.add(name);
        }
        return new Valid(validSerial, text("meterType", meterType), text("manufacturer", manufacturer),
                text("firmware", firmware), validConnection, gateway.isEmpty() ? null : gateway,
                new DlmsAddressing(validTransport, validHost, validPort, logical, physical, text("channel", channel),
                        validSecurity), String.join(",", validCapabilities));
    }

    /** Whether the body carries any secret (if not, a re-registration keeps the stored ones). */
    boolean hasSecrets() {
        return password != null || encryptionKey != null || authenticationKey != null;
    }

    /** The secrets of the body, checked against the security level. */
    static MeterSecrets checkedSecrets(MeterSecrets secrets, String security) throws ProvisioningException {
        if (security.equals("lls") && secrets.password().isEmpty()) {
            throw ProvisioningException.invalid("password is required for security lls");
        }
        if (security.equals("hls5_gmac")
                && (secrets.encryptionKey().isEmpty() || secrets.authenticationKey().isEmpty())) {
            throw ProvisioningException.invalid("encryptionKey and authenticationKey are required for security "
                    + "hls5_gmac");
        }
        return secrets;
    }

    MeterSecrets secrets() throws ProvisioningException {
        try {
            return new MeterSecrets(password, encryptionKey, authenticationKey);
        } catch (IllegalArgumentException e) {
            throw ProvisioningException.invalid(e.getMessage());
        }
    }

    static String serial(String serial) throws ProvisioningException {
        String value = serial == null ? "" : serial.strip();
        if (value.isEmpty() || value.length() > MAX_SERIAL_CHARS || value.chars().anyMatch(Character::isISOControl)) {
            throw ProvisioningException.invalid("serial is required: 1 to " + MAX_SERIAL_CHARS
                    + " characters without control characters");
        }
        return value;
    }

    /** Optional free text, stripped; "" when absent. */
    static String text(String field, String value) throws ProvisioningException {
        String text = value == null ? "" : value.strip();
        if (text.length() > MAX_TEXT_CHARS || text.chars().anyMatch(Character::isISOControl)) {
            throw ProvisioningException.invalid(field + " must be at most " + MAX_TEXT_CHARS
                    + " characters without control characters");
        }
        return text;
    }

    /** One of {@code allowed} (case-insensitive), or {@code absent} when not given (null: required). */
    static String oneOf(String field, String value, String absent, List<String> allowed) throws ProvisioningException {
        String text = value == null ? "" : value.strip().toLowerCase(Locale.ROOT);
        if (text.isEmpty() && absent != null) {
            return absent;
        }
        if (!allowed.contains(text)) {
            throw ProvisioningException.invalid(field + " must be one of " + String.join(", ", allowed)
                    + (value == null ? " (missing)" : ", not '" + value + "'"));
        }
        return text;
    }

    private static int number(String field, Integer value, int absent, int min, int max) throws ProvisioningException {
        if (value == null && absent >= 0) {
            return absent;
        }
        if (value == null || value < min || value > max) {
            throw ProvisioningException.invalid(field + " must be " + min + ".." + max
                    + (value == null ? " (missing)" : ", not " + value));
        }
        return value;
    }
}
