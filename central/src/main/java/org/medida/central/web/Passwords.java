package org.medida.central.web;

import com.password4j.Argon2Function;
import com.password4j.types.Argon2;

/**
 * Operators' passwords as Argon2id hashes in their PHC string form ({@code $argon2id$v=19$m=...$salt$hash}), so
 * the parameters travel with each hash and can be raised later without breaking the stored ones. Parameters are
 * OWASP's first recommendation for Argon2id: 19 MiB, 2 iterations, one lane; 16-byte random salt, 32-byte hash.
 * Verification compares in constant time (password4j's {@code slowEquals}).
 */
final class Passwords {

    static final int MIN_LENGTH = 10;
    private static final Argon2Function ARGON2ID = Argon2Function.getInstance(19 * 1024, 2, 1, 32, Argon2.ID,
            Argon2Function.ARGON2_VERSION_13);
    /** Checked against when the user does not exist, so an unknown name costs as much time as a wrong password. */
    private static final String DECOY = ARGON2ID.hash("decoy password, never valid").getResult();

    private Passwords() {
    }

    static String hash(String password) {
        return ARGON2ID.hash(password).getResult();
    }

    /** Whether {@code password} matches {@code hash}; a null hash (no such user) costs the same and never matches. */
    static boolean matches(String password, String hash) {
        if (hash == null) {
            ARGON2ID.check(password, DECOY);
            return false;
        }
        return Argon2Function.getInstanceFromHash(hash).check(password, hash);
    }

    /** Why {@code password} is not acceptable for an operator, or null if it is. */
    static String weakness(String password) {
        if (password == null || password.length() < MIN_LENGTH) {
            return "'password' must have at least " + MIN_LENGTH + " characters";
        }
        return null;
    }
}
