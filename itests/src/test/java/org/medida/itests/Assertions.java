package org.medida.itests;

import static org.junit.Assert.assertEquals;

import org.medida.edge.api.DriverResult;
import org.medida.edge.api.FailureKind;

/** Checks on the driver's results that read like the expectation. */
final class Assertions {

    private Assertions() {
    }

    static <T> T value(DriverResult<T> result) {
        return value("expected a value", result);
    }

    static <T> T value(String what, DriverResult<T> result) {
        if (result instanceof DriverResult.Failed<T> failed) {
            throw new AssertionError(what + ": " + failed.failure());
        }
        return ((DriverResult.Success<T>) result).value();
    }

    static void assertFailed(FailureKind expected, DriverResult<?> result) {
        if (!(result instanceof DriverResult.Failed<?> failed)) {
            throw new AssertionError("expected " + expected + ", got " + result);
        }
        assertEquals(failed.failure().toString(), expected, failed.failure().kind());
    }
}
