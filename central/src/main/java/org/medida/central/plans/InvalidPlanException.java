package org.medida.central.plans;

import java.util.List;

/** A plan refused before it runs (P1), with every problem found, each naming the field or meter concerned. */
public final class InvalidPlanException extends Exception {

    private final List<String> problems;

    InvalidPlanException(List<String> problems) {
        super("invalid plan: " + String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
