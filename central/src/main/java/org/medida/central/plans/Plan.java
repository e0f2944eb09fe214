package org.medida.central.plans;

import java.time.Instant;
import java.util.Objects;

/** A plan as stored: its definition, state and who created it when ({@code central} for the default plan). */
public record Plan(long id, PlanDefinition definition, PlanState state, String createdBy, Instant createdAt) {

    public Plan {
        Objects.requireNonNull(definition, "definition");
        Objects.requireNonNull(state, "state");
    }

    /** The origin of the plan's work orders. */
    String origin() {
        return "plan:" + id;
    }
}
