package org.medida.protocol;

import java.util.Objects;

/**
 * Central's answer to a data batch. {@code committed} means the batch's rows are in central's database (stored now,
 * or found stored from an earlier copy): only then may the gateway delete them. Otherwise {@code error} says why
 * central refused it; the gateway keeps the rows.
 */
public record BatchAck(long batchId, boolean committed, String error) {

    public BatchAck {
        Objects.requireNonNull(error, "error");
        if (committed && !error.isEmpty()) {
            throw new IllegalArgumentException("a committed batch has no error");
        }
        if (!committed && error.isBlank()) {
            throw new IllegalArgumentException("a refused batch needs a reason");
        }
    }

    public static BatchAck committed(long batchId) {
        return new BatchAck(batchId, true, "");
    }

    public static BatchAck refused(long batchId, String reason) {
        return new BatchAck(batchId, false, reason);
    }
}
