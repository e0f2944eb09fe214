package org.medida.central.workorders;

/** Where a work order is (W4). EXE, WARN and FAIL are final. */
public enum OrderState {
    /** Valid and waiting to be sent: not before its time, its gateway offline, or a retry pending. */
    PENDING,
    /** Sent to the gateway (or the point-to-point link); waiting for the outcome. */
    SENT,
    /** Done. */
    EXE,
    /** Done, with observations in the reason. */
    WARN,
    /** Not done: validation failed, the meter did not answer, or the order expired; the reason says which. */
    FAIL;

    public boolean isFinal() {
        return this == EXE || this == WARN || this == FAIL;
    }
}
