package org.medida.edge.uplink;

import java.util.function.Supplier;

/** The field technician's Gogo command {@code medida:uplink}: what the uplink is doing. */
public final class UplinkCommand {

    private final Supplier<UplinkStatus> status;

    UplinkCommand(Supplier<UplinkStatus> status) {
        this.status = status;
    }

    /** Connection, broker, session, window and what was published, one item a line. */
    public String uplink() {
        return status.get().describe();
    }
}
