package org.medida.edge.api;

import java.time.Instant;
import java.util.List;

/**
 * An open association with one meter. Valid only inside the {@link MeterConversation} it was handed to; all calls
 * go over the meter's link, one request at a time.
 */
public interface MeterSession {

    MeterRef meter();

    /**
     * Reads registers (class 3 value and scaler/unit, class 4 also capture time). One result per OBIS code, in order:
     * an object the meter lacks fails alone without failing the others.
     */
    List<DriverResult<RegisterReading>> readRegisters(List<String> obisCodes) throws MeterAccessException;

    ClockReading readClock() throws MeterAccessException;

    /**
     * Reads a profile generic's entries whose time stamps fall in {@code [from, to]}, by range (selector 1), or by
     * entry (selector 2) when the meter does not offer range access. Entries are returned oldest first as the meter
     * stamped them; entries with a null clock take the previous entry's time plus the capture period.
     */
    IntervalBlock readProfile(String profileObis, Instant from, Instant to) throws MeterAccessException;

    /** Reads an event log's entries time stamped in {@code [from, to]}, oldest first. */
    List<MeterEvent> readEvents(EventLog log, Instant from, Instant to) throws MeterAccessException;

    /** Reads the disconnector's relay and control state. */
    SupplyState readSupplyState() throws MeterAccessException;

    CommandResult execute(MeterCommand command) throws MeterAccessException;
}
