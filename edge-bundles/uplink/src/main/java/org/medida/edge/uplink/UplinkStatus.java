package org.medida.edge.uplink;

import java.time.Instant;
import java.util.Optional;

/**
 * What the uplink is doing, for the field technician's {@code medida:uplink} command and the benchmarks (B4: bytes
 * on the wire per interval value). Counters start at zero when the uplink starts and count every publish,
 * re-sends included, since that is what crosses the WAN.
 *
 * @param connected          connected to the broker, subscribed and born
 * @param broker             the broker URL
 * @param gatewayId          this gateway's id
 * @param session            the session number of the current (or last) connection, 0 before the first
 * @param inFlight           batches published and awaiting central's acknowledgement
 * @param refused            batches central refused: kept in the store and not sent again until restart
 * @param waitingOutcomes    command outcomes not yet delivered to the broker
 * @param publishedBatches   batches published
 * @param publishedEntries   rows in them (profile entries, registers, events, gaps, drop reports)
 * @param publishedValues    load-profile values in them (entries × channels)
 * @param publishedBytes     payload and topic bytes of the batches
 * @param confirmedBatches   batches central acknowledged as committed (their rows are deleted)
 * @param ackTimeouts        batches released because no acknowledgement came in time
 * @param lastAck            when the last acknowledgement arrived
 * @param lastProblem        the last connection problem, empty when connected
 */
public record UplinkStatus(boolean connected, String broker, String gatewayId, long session, int inFlight,
        int refused, int waitingOutcomes, long publishedBatches, long publishedEntries, long publishedValues,
        long publishedBytes, long confirmedBatches, long ackTimeouts, Optional<Instant> lastAck,
        String lastProblem) {

    /** The lines the Gogo command prints. */
    public String describe() {
        return String.join(System.lineSeparator(),
                "connected:         " + (connected ? "yes" : "no" + (lastProblem.isEmpty() ? "" : " (" + lastProblem
                        + ")")),
                "broker:            " + broker + " as gateway " + gatewayId,
                "session:           " + session,
                "in flight:         " + inFlight + " batches awaiting central's acknowledgement",
                "refused:           " + refused + " batches kept until restart",
                "outcomes waiting:  " + waitingOutcomes,
                "published:         " + publishedBatches + " batches, " + publishedEntries + " rows, "
                        + publishedValues + " profile values, " + publishedBytes + " bytes (payload and topic)",
                "confirmed:         " + confirmedBatches + " batches; " + ackTimeouts + " acknowledgement timeouts",
                "last ack:          " + lastAck.map(Instant::toString).orElse("never"));
    }
}
