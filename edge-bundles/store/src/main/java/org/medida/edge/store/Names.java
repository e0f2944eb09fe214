package org.medida.edge.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

/**
 * A dictionary table (meter serials, OBIS codes): rows refer to a name by a small integer, which SQLite stores in one
 * or two bytes instead of repeating the text in every row. Cached; {@link #forget()} after a rollback, because ids
 * handed out in a rolled-back transaction do not exist.
 */
final class Names {

    private final Connection db;
    private final String table;
    private final Map<String, Integer> ids = new HashMap<>();
    private final Map<Integer, String> names = new HashMap<>();

    Names(Connection db, String table) {
        this.db = db;
        this.table = table;
    }

    /** The id of {@code name}, added to the dictionary if it is new (inside the caller's transaction). */
    int idOf(String name) throws SQLException {
        Integer cached = ids.get(name);
        if (cached != null) {
            return cached;
        }
        try (PreparedStatement insert = db.prepareStatement("INSERT INTO " + table
                + "(name) VALUES (?) ON CONFLICT(name) DO UPDATE SET name = excluded.name RETURNING id")) {
            insert.setString(1, name);
            try (ResultSet row = insert.executeQuery()) {
                row.next();
                remember(row.getInt(1), name);
                return row.getInt(1);
            }
        }
    }

    String nameOf(int id) throws SQLException {
        String cached = names.get(id);
        if (cached != null) {
            return cached;
        }
        try (PreparedStatement select = db.prepareStatement("SELECT name FROM " + table + " WHERE id = ?")) {
            select.setInt(1, id);
            try (ResultSet row = select.executeQuery()) {
                if (!row.next()) {
                    throw new SQLException(table + " " + id + " is referenced but not stored");
                }
                remember(id, row.getString(1));
                return row.getString(1);
            }
        }
    }

    void forget() {
        ids.clear();
        names.clear();
    }

    private void remember(int id, String name) {
        ids.put(name, id);
        names.put(id, name);
    }
}
