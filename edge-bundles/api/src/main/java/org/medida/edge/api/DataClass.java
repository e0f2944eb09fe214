package org.medida.edge.api;

/**
 * What a stored row is, in the order the store hands batches out: a class comes before every class below it, and
 * within a class the oldest day comes first. Only {@link #INTERVALS} is ever dropped when the disk budget runs out.
 */
public enum DataClass {
    EVENTS,
    REGISTERS,
    DROPS,
    GAPS,
    INTERVALS
}
