package org.medida.central.web;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The pages' read side: a query's rows as column name to value, for tables the pages only show. Times are epoch
 * milliseconds in the schema; {@link Row#instant} turns them back.
 */
final class Rows {

    record Row(Map<String, Object> values) {
        String text(String column) {
            Object value = values.get(column);
            return value == null ? null : value.toString();
        }

        long number(String column) {
            Object value = values.get(column);
            return value == null ? 0 : ((Number) value).longValue();
        }

        Long nullableNumber(String column) {
            Object value = values.get(column);
            return value == null ? null : ((Number) value).longValue();
        }

        Instant instant(String column) {
            Long millis = nullableNumber(column);
            return millis == null ? null : Instant.ofEpochMilli(millis);
        }
    }

    private Rows() {
    }

    /** The one row {@code sql} selects for {@code key}; 404 "no {what} {key}" if there is none. */
    static Row one(Connection connection, String sql, String what, Object key) throws SQLException {
        List<Row> found = query(connection, sql, key);
        if (found.isEmpty()) {
            throw new io.javalin.http.NotFoundResponse("no " + what + " " + key);
        }
        return found.get(0);
    }

    static List<Row> query(Connection connection, String sql, Object... parameters) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                select.setObject(i + 1, parameters[i]);
            }
            try (ResultSet rows = select.executeQuery()) {
                ResultSetMetaData meta = rows.getMetaData();
                List<Row> result = new ArrayList<>();
                while (rows.next()) {
                    Map<String, Object> values = new HashMap<>();
                    for (int c = 1; c <= meta.getColumnCount(); c++) {
                        values.put(meta.getColumnLabel(c).toLowerCase(Locale.ROOT), rows.getObject(c));
                    }
                    result.add(new Row(values));
                }
                return result;
            }
        }
    }
}
