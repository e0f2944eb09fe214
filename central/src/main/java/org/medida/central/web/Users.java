package org.medida.central.web;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

import io.javalin.http.BadRequestResponse;
import org.medida.central.db.Database;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The operators (table {@code users}): who they are, their role, whether they may log in, their password hash. */
final class Users {

    record User(String username, String role, boolean enabled, Instant createdAt) {
        Role accessRole() {
            return Role.valueOf(role.toUpperCase(Locale.ROOT));
        }
    }

    static final String FIRST_ADMIN = "admin";
    private static final Logger LOG = LoggerFactory.getLogger(Users.class);
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final String COLUMNS = "SELECT username, role, enabled, created_at FROM users";

    private Users() {
    }

    /**
     * On first start (no operator yet) creates {@code admin} with the password in {@code passwordFile} (first line),
     * or with a generated one printed once to the log: it is stored only as its hash.
     */
    static void createFirstAdmin(Database database, Path passwordFile, Instant now) throws SQLException {
        try (Connection connection = database.connect()) {
            if (!list(connection).isEmpty()) {
                return;
            }
        }
        // read only when needed: the file may be removed once the first admin exists
        String password = passwordFile != null ? readPasswordFile(passwordFile) : generatedPassword();
        database.inTransaction(connection -> {
            create(connection, FIRST_ADMIN, Role.ADMIN, password, now);
            AuditLog.record(connection, now, "central", "user.create", FIRST_ADMIN, "role=admin, first start");
            return null;
        });
        if (passwordFile != null) {
            LOG.info("Created operator '{}' (role admin) with the password of {}", FIRST_ADMIN, passwordFile);
        } else {
            LOG.warn("Created operator '{}' (role admin) with the generated password {} - shown this once only, "
                    + "change it under Users", FIRST_ADMIN, password);
        }
    }

    private static String readPasswordFile(Path file) {
        try {
            String password = Files.readAllLines(file, StandardCharsets.UTF_8).stream().findFirst().orElse("").strip();
            String weakness = Passwords.weakness(password);
            if (weakness != null) {
                throw new IllegalArgumentException("admin password file " + file + ": " + weakness);
            }
            return password;
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("cannot read the admin password file " + file + ": " + e.getMessage(), e);
        }
    }

    private static String generatedPassword() {
        String alphabet = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        SecureRandom random = new SecureRandom();
        StringBuilder password = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            password.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return password.toString();
    }

    static List<User> list(Connection connection) throws SQLException {
        List<User> users = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement(COLUMNS + " ORDER BY username");
                ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                users.add(user(rows));
            }
        }
        return users;
    }

    static Optional<User> find(Connection connection, String username) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(COLUMNS + " WHERE username = ?")) {
            select.setString(1, username);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next() ? Optional.of(user(rows)) : Optional.empty();
            }
        }
    }

    /** The enabled operator {@code username} if {@code password} is theirs; as slow for unknown names. */
    static Optional<User> authenticate(Connection connection, String username, String password) throws SQLException {
        String hash = null;
        User user = null;
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT username, role, enabled, created_at, password_hash FROM users WHERE username = ?")) {
            select.setString(1, username);
            try (ResultSet rows = select.executeQuery()) {
                if (rows.next()) {
                    user = user(rows);
                    hash = rows.getString(5);
                }
            }
        }
        boolean matches = Passwords.matches(password, hash);
        return matches && user.enabled() ? Optional.of(user) : Optional.empty();
    }

    static void create(Connection connection, String username, Role role, String password, Instant now)
            throws SQLException {
        if (username == null || !NAME.matcher(username).matches()) {
            throw new BadRequestResponse("'username' must be 1 to 64 letters, digits, '.', '_' or '-'");
        }
        requireStrong(password);
        if (find(connection, username).isPresent()) {
            throw new io.javalin.http.ConflictResponse("operator " + username + " exists already");
        }
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO users (username, password_hash, role, enabled, created_at) VALUES (?, ?, ?, 1, ?)")) {
            insert.setString(1, username);
            insert.setString(2, Passwords.hash(password));
            insert.setString(3, role.name().toLowerCase(Locale.ROOT));
            insert.setLong(4, now.toEpochMilli());
            insert.executeUpdate();
        }
    }

    static void setRole(Connection connection, String username, Role role) throws SQLException {
        update(connection, "UPDATE users SET role = ? WHERE username = ?", role.name().toLowerCase(Locale.ROOT),
                username);
    }

    static void setEnabled(Connection connection, String username, boolean enabled) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement("UPDATE users SET enabled = ? WHERE username = ?")) {
            update.setInt(1, enabled ? 1 : 0);
            update.setString(2, username);
            update.executeUpdate();
        }
    }

    static void setPassword(Connection connection, String username, String password) throws SQLException {
        requireStrong(password);
        update(connection, "UPDATE users SET password_hash = ? WHERE username = ?", Passwords.hash(password), username);
    }

    /** The role named {@code text} (admin, technical, support, any case); 400 naming the field otherwise. */
    static Role role(String text) {
        if (text != null) {
            for (Role role : Role.values()) {
                if (role.name().equalsIgnoreCase(text)) {
                    return role;
                }
            }
        }
        throw new BadRequestResponse("'role' must be admin, technical or support, not " + text);
    }

    private static void requireStrong(String password) {
        String weakness = Passwords.weakness(password);
        if (weakness != null) {
            throw new BadRequestResponse(weakness);
        }
    }

    private static void update(Connection connection, String sql, String value, String username) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement(sql)) {
            update.setString(1, value);
            update.setString(2, username);
            update.executeUpdate();
        }
    }

    private static User user(ResultSet rows) throws SQLException {
        return new User(rows.getString(1), rows.getString(2), rows.getInt(3) == 1, Instant.ofEpochMilli(rows.getLong(4)));
    }
}
