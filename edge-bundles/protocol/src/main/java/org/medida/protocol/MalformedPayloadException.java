package org.medida.protocol;

import java.util.OptionalLong;

/**
 * A payload that is not a valid message of the expected type: the message says what is wrong and where. When the
 * message's identity could be read before the fault, it is kept so the receiver can answer the sender: a batch's
 * {@link #batchId()}, a command request's {@link #correlationId()}.
 */
public class MalformedPayloadException extends Exception {

    private static final long serialVersionUID = 1L;

    private final transient OptionalLong batchId;
    private final String correlationId;

    public MalformedPayloadException(String message) {
        this(message, OptionalLong.empty(), "");
    }

    MalformedPayloadException(String message, OptionalLong batchId, String correlationId) {
        super(message);
        this.batchId = batchId;
        this.correlationId = correlationId;
    }

    /** The id of the batch this payload claimed to be, if its header was readable. */
    public OptionalLong batchId() {
        return batchId;
    }

    /** The correlation id of the command request this payload claimed to be, or "" if it was not readable. */
    public String correlationId() {
        return correlationId;
    }
}
