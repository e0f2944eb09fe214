package org.medida.edge.api;

import java.time.Instant;

/**
 * How the gateway's last attempts to talk to a meter went (requirement M4): the last success, the last failure with
 * its reason, and how many attempts in a row have failed since the last success. Times are null until the first
 * attempt of that outcome.
 */
public record Reachability(Instant lastSuccess, Instant lastFailure, Failure lastFailureReason,
        int consecutiveFailures) {

    public static final Reachability UNKNOWN = new Reachability(null, null, null, 0);

    /** True once an attempt succeeded and none has failed since. */
    public boolean reachable() {
        return lastSuccess != null && consecutiveFailures == 0;
    }
}
