package org.medida.simulator.link;

import java.util.List;

/** The meters one TCP port serves, by logical device 1..n. */
public final class PortGroup {

    private final List<? extends MeterEndpoint> meters;

    public PortGroup(List<? extends MeterEndpoint> meters) {
        this.meters = List.copyOf(meters);
    }

    /** The meter at logical device {@code logicalDevice}, or null. */
    public MeterEndpoint meter(int logicalDevice) {
        return logicalDevice >= 1 && logicalDevice <= meters.size() ? meters.get(logicalDevice - 1) : null;
    }

    boolean anyAnswers() {
        return meters.stream().anyMatch(m -> m.link().answersAt(m.now()));
    }
}
