package org.medida.edge.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.medida.edge.api.ProfileChannel;

/**
 * The profile layouts the store has seen, by id: a profile entry row carries only the id. Few (a meter type has a
 * handful of profiles), so all are kept in memory; {@link #forget()} after a rollback reloads them.
 */
final class ProfileLayouts {

    private final Connection db;
    private final Map<ProfileLayout, Integer> ids = new HashMap<>();
    private final Map<Integer, ProfileLayout> layouts = new HashMap<>();

    ProfileLayouts(Connection db) throws SQLException {
        this.db = db;
        load();
    }

    int idOf(ProfileLayout layout) throws SQLException {
        Integer known = ids.get(layout);
        if (known != null) {
            return known;
        }
        int id;
        try (PreparedStatement insert = db.prepareStatement(
                "INSERT INTO profile(obis, period_s) VALUES (?, ?) RETURNING id")) {
            insert.setString(1, layout.obis());
            insert.setLong(2, layout.capturePeriod().toSeconds());
            try (ResultSet row = insert.executeQuery()) {
                row.next();
                id = row.getInt(1);
            }
        }
        try (PreparedStatement insert = db.prepareStatement(
                "INSERT INTO profile_channel(profile_id, position, obis, unit) VALUES (?, ?, ?, ?)")) {
            for (int position = 0; position < layout.channels().size(); position++) {
                ProfileChannel channel = layout.channels().get(position);
                insert.setInt(1, id);
                insert.setInt(2, position);
                insert.setString(3, channel.obis());
                insert.setString(4, channel.unit());
                insert.executeUpdate();
            }
        }
        remember(id, layout);
        return id;
    }

    ProfileLayout layoutOf(int id) {
        return layouts.get(id);
    }

    void forget() throws SQLException {
        ids.clear();
        layouts.clear();
        load();
    }

    private void load() throws SQLException {
        Map<Integer, List<ProfileChannel>> channels = new HashMap<>();
        try (Statement select = db.createStatement();
                ResultSet rows = select.executeQuery(
                        "SELECT profile_id, obis, unit FROM profile_channel ORDER BY profile_id, position")) {
            while (rows.next()) {
                channels.computeIfAbsent(rows.getInt(1), id -> new ArrayList<>())
                        .add(new ProfileChannel(rows.getString(2), rows.getString(3)));
            }
        }
        try (Statement select = db.createStatement();
                ResultSet rows = select.executeQuery("SELECT id, obis, period_s FROM profile")) {
            while (rows.next()) {
                int id = rows.getInt(1);
                remember(id, new ProfileLayout(rows.getString(2), Duration.ofSeconds(rows.getLong(3)),
                        channels.getOrDefault(id, List.of())));
            }
        }
    }

    private void remember(int id, ProfileLayout layout) {
        ids.put(layout, id);
        layouts.put(id, layout);
    }
}
