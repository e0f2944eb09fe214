package org.medida.central.ingest;

/**
 * A batch that decoded but that central cannot accept (a row it has no reading type for, an inconsistent row).
 * Nothing of it is stored; the gateway is answered {@code committed=false} with this message as the reason.
 */
public final class RefusedBatchException extends Exception {

    private static final long serialVersionUID = 1L;

    RefusedBatchException(String reason) {
        super(reason);
    }
}
