package org.medida.central.provisioning;

/**
 * A provisioning request central refuses, with a message for the operator: the request is invalid, names something
 * that does not exist, or conflicts with the meter's state (the HTTP API answers 400, 404, 409).
 */
public final class ProvisioningException extends Exception {

    private static final long serialVersionUID = 1L;

    public enum Kind {
        INVALID(400),
        NOT_FOUND(404),
        CONFLICT(409);

        private final int httpStatus;

        Kind(int httpStatus) {
            this.httpStatus = httpStatus;
        }

        public int httpStatus() {
            return httpStatus;
        }
    }

    private final Kind kind;

    ProvisioningException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    static ProvisioningException invalid(String message) {
        return new ProvisioningException(Kind.INVALID, message);
    }

    static ProvisioningException notFound(String message) {
        return new ProvisioningException(Kind.NOT_FOUND, message);
    }

    static ProvisioningException conflict(String message) {
        return new ProvisioningException(Kind.CONFLICT, message);
    }

    public Kind kind() {
        return kind;
    }
}
