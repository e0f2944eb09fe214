package org.medida.simulator;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import org.medida.simulator.link.InvocationCounterGuard;
import org.medida.simulator.link.MeterEndpoint;
import org.medida.simulator.model.MeterModel;

/** A meter of the fleet: identity and addressing, keys, model, and its current link emulation. */
final class Meter implements SimulatedMeter, MeterEndpoint {

    static final int PHYSICAL_ADDRESS = 16;

    private final String serial;
    private final Transport transport;
    private final int port;
    private final int logicalDevice;
    private final MeterKeys keys;
    private final MeterModel model;
    private final InvocationCounterGuard invocationCounters = new InvocationCounterGuard();
    private final AtomicLong responses = new AtomicLong();
    private volatile LinkEmulation link;
    private volatile String serialDevice;

    Meter(String serial, Transport transport, int port, int logicalDevice, MeterKeys keys, MeterModel model,
            LinkEmulation link) {
        this.serial = serial;
        this.transport = transport;
        this.port = port;
        this.logicalDevice = logicalDevice;
        this.keys = keys;
        this.model = model;
        setLink(link);
    }

    @Override
    public String serial() {
        return serial;
    }

    @Override
    public Transport transport() {
        return transport;
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public String serialDevice() {
        return serialDevice;
    }

    void attachSerialDevice(String device) {
        this.serialDevice = device;
    }

    @Override
    public int logicalDevice() {
        return logicalDevice;
    }

    @Override
    public int physicalAddress() {
        return PHYSICAL_ADDRESS;
    }

    @Override
    public MeterKeys keys() {
        return keys;
    }

    @Override
    public MeterModel model() {
        return model;
    }

    @Override
    public Instant clock() {
        return model.now();
    }

    @Override
    public Instant now() {
        return model.now();
    }

    @Override
    public boolean relayClosed() {
        return model.relayClosed();
    }

    @Override
    public void setLink(LinkEmulation link) {
        this.link = link;
        model.setPoweredOff(link.poweredOff());
    }

    @Override
    public LinkEmulation link() {
        return link;
    }

    @Override
    public InvocationCounterGuard invocationCounters() {
        return invocationCounters;
    }

    @Override
    public void replayDetected() {
        model.recordReplayAttack();
    }

    @Override
    public void responded() {
        responses.incrementAndGet();
    }

    @Override
    public long responses() {
        return responses.get();
    }

    @Override
    public String toString() {
        return serial + (serialDevice != null ? " on " + serialDevice : " on port " + port) + ", logical device "
                + logicalDevice + ", physical address " + PHYSICAL_ADDRESS;
    }
}
