package org.medida.central.events;

import java.util.Map;

import org.medida.edge.api.EventLog;
import org.medida.edge.api.MeterEvent;

/** The names of IDIS event codes (standard, fraud, disconnector and power-quality logs), the one table of them. */
public final class IdisEvents {

    private static final Map<Integer, String> NAMES = Map.ofEntries(
            Map.entry(1, "power down"), Map.entry(2, "power up"), Map.entry(3, "daylight saving time changed"),
            Map.entry(4, "clock adjusted (old time)"), Map.entry(5, "clock adjusted (new time)"),
            Map.entry(6, "clock invalid"), Map.entry(7, "replace battery"), Map.entry(8, "battery voltage low"),
            Map.entry(9, "TOU activated"), Map.entry(17, "firmware ready for activation"),
            Map.entry(18, "firmware activated"), Map.entry(47, "configuration changed"),
            Map.entry(254, "load profile cleared"), Map.entry(255, "event log cleared"),
            Map.entry(40, "terminal cover removed"), Map.entry(41, "terminal cover closed"),
            Map.entry(42, "strong DC magnetic field detected"), Map.entry(43, "strong DC magnetic field gone"),
            Map.entry(44, "meter cover removed"), Map.entry(45, "meter cover closed"),
            Map.entry(46, "wrong password (n times)"), Map.entry(49, "decryption or authentication failure"),
            Map.entry(50, "replay attack"), Map.entry(59, "disconnector ready for reconnection"),
            Map.entry(60, "manual disconnection"), Map.entry(61, "manual connection"),
            Map.entry(62, "remote disconnection"), Map.entry(63, "remote connection"),
            Map.entry(64, "local disconnection"), Map.entry(65, "limiter threshold exceeded"),
            Map.entry(66, "limiter threshold ok"), Map.entry(67, "limiter threshold changed"),
            Map.entry(68, "disconnect/reconnect failure"),
            Map.entry(76, "undervoltage L1"), Map.entry(77, "undervoltage L2"), Map.entry(78, "undervoltage L3"),
            Map.entry(79, "overvoltage L1"), Map.entry(80, "overvoltage L2"), Map.entry(81, "overvoltage L3"),
            Map.entry(82, "missing voltage L1"), Map.entry(83, "missing voltage L2"),
            Map.entry(84, "missing voltage L3"), Map.entry(85, "voltage L1 normal"),
            Map.entry(86, "voltage L2 normal"), Map.entry(87, "voltage L3 normal"));

    private IdisEvents() {
    }

    /** The name of {@code event}: a power-failure log entry is a long power failure whatever its code. */
    public static String name(MeterEvent event) {
        if (event.log() == EventLog.POWER_FAILURE) {
            return "long power failure";
        }
        return NAMES.getOrDefault(event.code(), "IDIS event " + event.code());
    }
}
