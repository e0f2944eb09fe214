package org.medida.edge.api;

/** Work on a channel is served by priority: on-demand reads and supply commands before scheduled collection. */
public enum Priority {
    HIGH,
    NORMAL
}
