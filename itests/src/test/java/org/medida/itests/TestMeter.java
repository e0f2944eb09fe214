package org.medida.itests;

import java.util.HexFormat;
import java.util.function.Function;

import org.medida.edge.api.MeterLink;
import org.medida.edge.api.MeterRef;
import org.medida.edge.api.MeterSecurity;

/**
 * The simulated meters the in-container tests read, one per way of reaching a meter. {@link SimulatedMetersSuite}
 * starts them outside the framework and publishes how to reach each one, with its keys, as system properties; the
 * tests, running inside Felix in the same JVM, turn those into {@link MeterRef}s.
 */
enum TestMeter {
    /** IP meter speaking the DLMS/COSEM wrapper. */
    WRAPPER(endpoint -> new MeterLink.TcpWrapper(host(endpoint), port(endpoint))),
    /** HDLC over TCP, as a PLC or RF modem exposes a meter. */
    HDLC(endpoint -> new MeterLink.TcpHdlc(host(endpoint), port(endpoint))),
    /** Optical probe: a socat pseudo-terminal, IEC 62056-21 mode E then HDLC. */
    SERIAL(MeterLink.SerialModeE::new),
    /** A second wrapper meter, kept for the replay test, which leaves the driver's counter behind the meter's. */
    REPLAY(endpoint -> new MeterLink.TcpWrapper(host(endpoint), port(endpoint))),
    /** A wrapper meter without selective access by range: profiles must be read by entry. */
    BY_ENTRY(endpoint -> new MeterLink.TcpWrapper(host(endpoint), port(endpoint)));

    private final Function<String, MeterLink> link;

    TestMeter(Function<String, MeterLink> link) {
        this.link = link;
    }

    /** Outside the framework: makes the meter known to the tests. {@code endpoint} is host:port or a device path. */
    void publish(String serial, String endpoint, byte[] password, byte[] encryptionKey, byte[] authenticationKey) {
        System.setProperty(key("serial"), serial);
        System.setProperty(key("endpoint"), endpoint);
        System.setProperty(key("password"), HexFormat.of().formatHex(password));
        System.setProperty(key("encryptionKey"), HexFormat.of().formatHex(encryptionKey));
        System.setProperty(key("authenticationKey"), HexFormat.of().formatHex(authenticationKey));
    }

    String serial() {
        return property("serial");
    }

    MeterRef publicClient() {
        return as(MeterSecurity.publicClient());
    }

    MeterRef lowLevelSecurity() {
        return as(MeterSecurity.lowLevel(bytes("password")));
    }

    MeterRef hls5Gmac() {
        return as(MeterSecurity.hls5Gmac(bytes("encryptionKey"), bytes("authenticationKey")));
    }

    /** The same meter reached with other security material, e.g. wrong keys. */
    MeterRef as(MeterSecurity security) {
        return new MeterRef(serial(), link.apply(property("endpoint")), security);
    }

    private byte[] bytes(String name) {
        return HexFormat.of().parseHex(property(name));
    }

    private String property(String name) {
        String value = System.getProperty(key(name));
        if (value == null) {
            throw new IllegalStateException(key(name) + " is not set: run the tests through " + SimulatedMetersSuite.class.getSimpleName());
        }
        return value;
    }

    private String key(String name) {
        return "medida.itest.meter." + name() + "." + name;
    }

    private static String host(String endpoint) {
        return endpoint.substring(0, endpoint.lastIndexOf(':'));
    }

    private static int port(String endpoint) {
        return Integer.parseInt(endpoint.substring(endpoint.lastIndexOf(':') + 1));
    }
}
