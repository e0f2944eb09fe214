package org.medida.simulator;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * Everything that shapes a fleet. Meters are named {@code serialPrefix} + a six-digit number starting at 1; meters
 * are grouped {@code metersPerPort} to a TCP port starting at {@code basePort} (within a port, by logical device 1, 2,
 * ...). Meter time starts at {@code epoch} and runs {@code timeAcceleration} times faster than wall time, plus a
 * clock drift in ppm.
 */
public record FleetConfig(int meters, int basePort, Transport transport, int metersPerPort, String serialPrefix,
        String keySeed, LinkEmulation link, double timeAcceleration, Instant epoch, Duration profilePeriod,
        int profileEntries, boolean rangeAccess, double clockDriftPpm, Path ptyDir) {

    public FleetConfig {
        if (meters < 1) {
            throw new IllegalArgumentException("a fleet needs at least one meter");
        }
        if (basePort < 0 || basePort > 65535) {
            throw new IllegalArgumentException("base port out of range: " + basePort);
        }
        if (metersPerPort < 1) {
            throw new IllegalArgumentException("meters per port must be at least 1");
        }
        if (timeAcceleration <= 0) {
            throw new IllegalArgumentException("time acceleration must be positive");
        }
        if (profilePeriod.isNegative() || profilePeriod.isZero() || Duration.ofDays(1).toSeconds() % profilePeriod.toSeconds() != 0) {
            throw new IllegalArgumentException("the profile period must divide a day: " + profilePeriod);
        }
        if (profileEntries < 1) {
            throw new IllegalArgumentException("profile entries must be at least 1");
        }
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(serialPrefix, "serialPrefix");
        if (keySeed == null || keySeed.isEmpty()) {
            throw new IllegalArgumentException("the key seed must not be empty (it is the HMAC key)");
        }
        Objects.requireNonNull(link, "link");
        Objects.requireNonNull(epoch, "epoch");
        Objects.requireNonNull(ptyDir, "ptyDir");
    }

    /** Serial number of the meter with the given 0-based index. */
    public String serialOf(int index) {
        return serialPrefix + String.format("%06d", index + 1);
    }

    /** TCP port of the meter with that index; meaningful for a fixed base port (not 0 = any free port). */
    public int portOf(int index) {
        return basePort + index / metersPerPort;
    }

    /** Logical device (server SAP) of the meter with that index: meters sharing a port are 1..metersPerPort. */
    public int logicalDeviceOf(int index) {
        return index % metersPerPort + 1;
    }

    /** HDLC lower (physical) address of the meter with that index. */
    public int physicalAddressOf(int index) {
        return Meter.PHYSICAL_ADDRESS;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Defaults: one wrapper meter on port 4059, 15-minute profile of 960 entries (10 days), real time. */
    public static final class Builder {
        private int meters = 1;
        private int basePort = 4059;
        private Transport transport = Transport.WRAPPER;
        private int metersPerPort = 1;
        private String serialPrefix = "SIM";
        private String keySeed = "demo";
        private LinkEmulation link = LinkEmulation.NONE;
        private double timeAcceleration = 1.0;
        private Instant epoch = Instant.now();
        private Duration profilePeriod = Duration.ofMinutes(15);
        private int profileEntries = 960;
        private boolean rangeAccess = true;
        private double clockDriftPpm;
        private Path ptyDir = Path.of(System.getProperty("java.io.tmpdir"), "medida-pty");

        public Builder meters(int meters) { this.meters = meters; return this; }

        public Builder basePort(int basePort) { this.basePort = basePort; return this; }

        public Builder transport(Transport transport) { this.transport = transport; return this; }

        public Builder metersPerPort(int metersPerPort) { this.metersPerPort = metersPerPort; return this; }

        public Builder serialPrefix(String serialPrefix) { this.serialPrefix = serialPrefix; return this; }

        public Builder keySeed(String keySeed) { this.keySeed = keySeed; return this; }

        public Builder link(LinkEmulation link) { this.link = link; return this; }

        public Builder timeAcceleration(double timeAcceleration) { this.timeAcceleration = timeAcceleration; return this; }

        public Builder epoch(Instant epoch) { this.epoch = epoch; return this; }

        public Builder profilePeriod(Duration profilePeriod) { this.profilePeriod = profilePeriod; return this; }

        public Builder profileEntries(int profileEntries) { this.profileEntries = profileEntries; return this; }

        public Builder rangeAccess(boolean rangeAccess) { this.rangeAccess = rangeAccess; return this; }

        public Builder clockDriftPpm(double clockDriftPpm) { this.clockDriftPpm = clockDriftPpm; return this; }

        public Builder ptyDir(Path ptyDir) { this.ptyDir = ptyDir; return this; }

        public FleetConfig build() {
            return new FleetConfig(meters, basePort, transport, metersPerPort, serialPrefix, keySeed, link,
                    timeAcceleration, epoch, profilePeriod, profileEntries, rangeAccess, clockDriftPpm, ptyDir);
        }
    }
}
