package org.medida.edge.api;

import java.util.Objects;

/** A typed failure with a human-readable detail (never containing secrets). */
public record Failure(FailureKind kind, String detail) {
    public Failure {
        Objects.requireNonNull(kind, "kind");
        detail = detail == null ? "" : detail;
    }
}
