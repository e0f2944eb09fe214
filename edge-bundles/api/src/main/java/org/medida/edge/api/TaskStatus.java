package org.medida.edge.api;

/** How a task ended (requirement W4). */
public enum TaskStatus {
    /** Done. */
    EXE,
    /** Done, with observations in the outcome's detail (some registers missing, clock left alone, ...). */
    WARN,
    /** Not done: the meter did not answer, refused, is unknown, or the task expired before it could start. */
    FAIL
}
