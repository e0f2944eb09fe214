package org.medida.central.web;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Login sessions (table {@code sessions}): the browser holds a random 256-bit token in an HttpOnly, SameSite=Strict
 * cookie; central keeps only its SHA-256, so a copy of the database cannot be used to log in. A session ends at
 * logout, after {@link #LIFETIME}, or when its operator is disabled or gets a new password.
 */
final class Sessions {

    static final String COOKIE = "medida_session";
    static final Duration LIFETIME = Duration.ofHours(12);
    private static final SecureRandom RANDOM = new SecureRandom();

    private Sessions() {
    }

    /** A new session for {@code username}: the token for the cookie. Expired sessions are purged on the way. */
    static String open(Connection connection, String username, Instant now) throws SQLException {
        try (PreparedStatement purge = connection.prepareStatement("DELETE FROM sessions WHERE expires_at <= ?")) {
            purge.setLong(1, now.toEpochMilli());
            purge.executeUpdate();
        }
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO sessions (token_hash, username, created_at, expires_at) VALUES (?, ?, ?, ?)")) {
            insert.setString(1, hash(token));
            insert.setString(2, username);
            insert.setLong(3, now.toEpochMilli());
            insert.setLong(4, now.plus(LIFETIME).toEpochMilli());
            insert.executeUpdate();
        }
        return token;
    }

    /** The operator of a live session with {@code token}, with their role as it is now. */
    static Optional<Operator> operator(Connection connection, String token, Instant now) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("""
                SELECT u.username, u.role FROM sessions s JOIN users u ON u.username = s.username
                WHERE s.token_hash = ? AND s.expires_at > ? AND u.enabled = 1""")) {
            select.setString(1, hash(token));
            select.setLong(2, now.toEpochMilli());
            try (ResultSet rows = select.executeQuery()) {
                return rows.next()
                        ? Optional.of(new Operator(rows.getString(1), Users.role(rows.getString(2))))
                        : Optional.empty();
            }
        }
    }

    static void close(Connection connection, String token) throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement("DELETE FROM sessions WHERE token_hash = ?")) {
            delete.setString(1, hash(token));
            delete.executeUpdate();
        }
    }

    /** Ends every session of {@code username} (disabled, or a new password). */
    static void closeAll(Connection connection, String username) throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement("DELETE FROM sessions WHERE username = ?")) {
            delete.setString(1, username);
            delete.executeUpdate();
        }
    }

    private static String hash(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(token.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
