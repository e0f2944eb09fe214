package org.medida.edge.api;

/** A captured value column of a profile: the COSEM object it comes from and its unit after scaling. */
public record ProfileChannel(String obis, String unit) {
}
