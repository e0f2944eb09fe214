package org.medida.edge.api;

/**
 * Thrown inside a {@link MeterConversation} when the meter cannot give what was asked. It never leaves
 * {@link MeterDriver#submit}: the driver turns it into {@link DriverResult.Failed}.
 */
public class MeterAccessException extends Exception {
    private static final long serialVersionUID = 1L;

    private final Failure failure;

    public MeterAccessException(Failure failure) {
        super(failure.kind() + ": " + failure.detail());
        this.failure = failure;
    }

    public MeterAccessException(FailureKind kind, String detail) {
        this(new Failure(kind, detail));
    }

    public Failure failure() {
        return failure;
    }
}
