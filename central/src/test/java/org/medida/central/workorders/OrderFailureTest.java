package org.medida.central.workorders;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.medida.central.events.EventType;

/** The failure details gateways and the point-to-point link send, and the event each one is at central. */
@Tag("no-database")
class OrderFailureTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "TIMEOUT: no response after 3 retries          | METER_NOT_RESPONDING",
        "UNREACHABLE: connection refused               | METER_UNREACHABLE",
        "unknown meter EWO000009                       | METER_NOT_COMMISSIONED",
        "meter EWO000001 is decommissioned             | METER_NOT_COMMISSIONED",
        "unauthenticated command                       | COMMAND_REFUSED_BY_GATEWAY",
        "replayed command                              | COMMAND_REFUSED_BY_GATEWAY",
        "expired                                       | WORK_ORDER_EXPIRED",
        "AUTHENTICATION_FAILED: bad tag                | WORK_ORDER_FAILED",
        "collection not running                        | WORK_ORDER_FAILED",
        "point-to-point link failed: closed            | WORK_ORDER_FAILED"})
    void eachFailureDetailIsOneOfCentralsEventTypes(String detail, EventType expected) {
        assertEquals(expected, OrderFailure.of(detail));
    }
}
