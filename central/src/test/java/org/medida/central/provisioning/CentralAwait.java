package org.medida.central.provisioning;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;

/** Polls a condition that may throw (a database read) until it holds. */
final class CentralAwait {

    private CentralAwait() {
    }

    static void until(String what, Callable<Boolean> condition) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (!condition.call()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(50);
        }
    }
}
