package org.medida.central.plans;

/** Where a plan is: running its days, past its last day with every meter final, or cancelled by an operator. */
public enum PlanState {
    ACTIVE,
    DONE,
    CANCELLED
}
