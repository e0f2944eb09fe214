package org.medida.edge.store;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where the store lives and how much disk it may take.
 *
 * @param database the SQLite file (its WAL and shared-memory files sit next to it)
 * @param maxBytes the budget for the database's used pages; beyond it the oldest profile entries are dropped
 */
public record StoreSettings(Path database, long maxBytes) {
    public StoreSettings {
        Objects.requireNonNull(database, "database");
        if (maxBytes < 64 * 1024) {
            throw new IllegalArgumentException("the store needs at least 64 KiB, not " + maxBytes + " bytes");
        }
    }
}
