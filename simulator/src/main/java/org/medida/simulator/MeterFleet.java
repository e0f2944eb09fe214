package org.medida.simulator;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.medida.simulator.cosem.MeterObjects;
import org.medida.simulator.link.CallingClient;
import org.medida.simulator.link.ClientIdentity;
import org.medida.simulator.link.MeterSessionLayerFactory;
import org.medida.simulator.link.PortGroup;
import org.medida.simulator.model.MeterClock;
import org.medida.simulator.model.MeterModel;
import org.medida.simulator.serial.ModeEBridge;
import org.medida.simulator.serial.PtyPair;
import org.openmuc.jdlms.AuthenticationMechanism;
import org.openmuc.jdlms.DlmsServer;
import org.openmuc.jdlms.LogicalDevice;
import org.openmuc.jdlms.SecuritySuite;
import org.openmuc.jdlms.SecuritySuite.EncryptionMechanism;
import org.openmuc.jdlms.SecuritySuite.SecurityPolicy;

/**
 * A running fleet of simulated meters: one jDLMS server per TCP port, serving {@code metersPerPort} meters as
 * logical devices 1..n; for SERIAL each meter also gets a socat pty pair whose mode E sign-on is answered before
 * HDLC is bridged to its port. {@code basePort 0} picks free ports.
 */
public final class MeterFleet implements AutoCloseable {

    /** Seconds without traffic after which a server drops an association. */
    private static final int INACTIVITY_TIMEOUT_MILLIS = 120_000;

    private final Map<String, Meter> meters = new LinkedHashMap<>();
    private final List<DlmsServer> servers = new ArrayList<>();
    private final List<PtyPair> ptys = new ArrayList<>();
    private final List<Thread> bridges = new ArrayList<>();
    private final CallingClient callingClient = new CallingClient();
    /** Stops socat if the JVM exits without close(); pseudo-terminals would otherwise outlive us. */
    private final Thread stopOnExit = new Thread(this::close, "meter-fleet-shutdown");
    private boolean closed;

    private MeterFleet() {
    }

    public static MeterFleet start(FleetConfig config) throws IOException {
        MeterFleet fleet = new MeterFleet();
        Runtime.getRuntime().addShutdownHook(fleet.stopOnExit);
        try {
            fleet.startServers(config, Clock.systemUTC());
            if (config.transport() == Transport.SERIAL) {
                fleet.startSerialLines(config);
            }
            return fleet;
        } catch (IOException | RuntimeException e) {
            fleet.close();
            throw e;
        }
    }

    public List<SimulatedMeter> meters() {
        return List.copyOf(meters.values());
    }

    /** The meter with that serial; IllegalArgumentException if the fleet has none. */
    public SimulatedMeter meter(String serial) {
        Meter meter = meters.get(serial);
        if (meter == null) {
            throw new IllegalArgumentException("no meter " + serial + " in this fleet");
        }
        return meter;
    }

    /**
     * Stops the servers, the socat processes (by PID) and the bridge threads. Synchronized so that a second caller
     * (the shutdown hook racing the main thread on SIGTERM) returns only when the fleet is really closed: otherwise
     * the JVM could halt half-way and leave socat running.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (Thread.currentThread() != stopOnExit) {
            try {
                Runtime.getRuntime().removeShutdownHook(stopOnExit);
            } catch (IllegalStateException e) {
                // the JVM is already shutting down and the hook will run
            }
        }
        for (DlmsServer server : servers) {
            try {
                server.close();
            } catch (IOException e) {
                // closing anyway: nothing else to do with a server that cannot close cleanly
            }
        }
        ptys.forEach(PtyPair::close);
        for (Thread bridge : bridges) {
            try {
                bridge.join(1_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void startServers(FleetConfig config, Clock wall) throws IOException {
        // every meter's clock shows the epoch at this one instant, however long the fleet takes to build
        Instant wallStart = wall.instant();
        boolean hdlc = config.transport() != Transport.WRAPPER;
        for (int first = 0; first < config.meters(); first += config.metersPerPort()) {
            int port = config.basePort() == 0 ? freePort() : config.portOf(first);
            List<Meter> group = new ArrayList<>();
            List<LogicalDevice> devices = new ArrayList<>();
            for (int i = first; i < Math.min(config.meters(), first + config.metersPerPort()); i++) {
                Meter meter = newMeter(config, wall, wallStart, config.serialOf(i), port, config.logicalDeviceOf(i));
                group.add(meter);
                devices.add(logicalDevice(meter, config.rangeAccess(), callingClient));
                meters.put(meter.serial(), meter);
            }
            servers.add(DlmsServer.tcpServerBuilder(port)
                    .registerLogicalDevice(devices)
                    .setSessionLayerFactory(new MeterSessionLayerFactory(hdlc, new PortGroup(group), callingClient))
                    .setInactivityTimeout(INACTIVITY_TIMEOUT_MILLIS)
                    .build());
        }
    }

    private void startSerialLines(FleetConfig config) throws IOException {
        for (Meter meter : meters.values()) {
            PtyPair pty = PtyPair.start(config.ptyDir(), meter.serial());
            ptys.add(pty);
            meter.attachSerialDevice(pty.clientDevice().toString());
            Thread bridge = new Thread(new ModeEBridge(pty.meterDevice(), meter.port(), meter.serial(),
                    () -> meter.link().answersAt(meter.now())),
                    "mode-e-" + meter.serial());
            bridge.setDaemon(true);
            bridge.start();
            bridges.add(bridge);
        }
    }

    private static Meter newMeter(FleetConfig config, Clock wall, Instant wallStart, String serial, int port,
            int logicalDevice) {
        MeterClock clock = new MeterClock(wall, wallStart, config.epoch(), config.timeAcceleration(), config.clockDriftPpm());
        MeterModel model = new MeterModel(serial, clock, config.profilePeriod(), config.profileEntries());
        return new Meter(serial, config.transport(), port, logicalDevice, MeterKeys.derive(config.keySeed(), serial),
                model, config.link());
    }

    /** Public client 16 without security; management client 1 with HLS5-GMAC, or LLS (see ClientIdentity). */
    private static LogicalDevice logicalDevice(Meter meter, boolean rangeAccess, CallingClient callingClient) {
        MeterKeys keys = meter.keys();
        LogicalDevice device = new LogicalDevice(meter.logicalDevice(), meter.serial(), MeterKeys.MANUFACTURER_ID,
                keys.deviceId());
        device.setMasterKey(keys.masterKey());
        device.addRestriction(ClientIdentity.PUBLIC_CLIENT, SecuritySuite.builder().build());
        device.addRestriction(ClientIdentity.MANAGEMENT_CLIENT, SecuritySuite.builder()
                .setAuthenticationMechanism(AuthenticationMechanism.HLS5_GMAC)
                .setEncryptionMechanism(EncryptionMechanism.AES_GCM_128)
                .setSecurityPolicy(SecurityPolicy.AUTHENTICATED_AND_ENCRYPTED)
                .setGlobalUnicastEncryptionKey(keys.encryptionKey())
                .setAuthenticationKey(keys.authenticationKey())
                .build());
        device.addRestriction(ClientIdentity.MANAGEMENT_CLIENT_LLS, SecuritySuite.builder()
                .setAuthenticationMechanism(AuthenticationMechanism.LOW)
                .setPassword(keys.password())
                .build());
        device.registerCosemObject(MeterObjects.create(meter.model(), rangeAccess, callingClient));
        return device;
    }

    private static int freePort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0)) {
            return probe.getLocalPort();
        }
    }
}
