package org.medida.simulator.link;

import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Just enough APDU parsing for what the jDLMS server leaves to us: the invocation counter of a ciphered APDU (glo-
 * and ded- ciphered services, general-glo-ciphering, and the glo-initiate-request inside an AARQ) and the mechanism
 * an AARQ asks for. Lengths are BER/A-XDR: one byte below 0x80, else 0x8N followed by N bytes.
 */
final class Apdus {

    static final int AARQ = 0x60;
    static final int AARE = 0x61;
    static final int MECHANISM_LLS = 1;

    private static final int GLO_INITIATE_REQUEST = 0x21;
    private static final int GLO_INITIATE_RESPONSE = 0x28;
    private static final int GENERAL_GLO_CIPHERING = 0xDB;
    private static final int GENERAL_DED_CIPHERING = 0xDC;
    /** glo-get/set/action-request and ded-get/set/action-request. */
    private static final Set<Integer> CIPHERED_REQUESTS = Set.of(0xC8, 0xC9, 0xCB, 0xD0, 0xD1, 0xD3);
    /** glo-get/set/action-response and ded-get/set/action-response. */
    private static final Set<Integer> CIPHERED_RESPONSES = Set.of(0xCC, 0xCD, 0xCF, 0xD4, 0xD5, 0xD7);
    private static final int MECHANISM_NAME = 0x8B;
    private static final int USER_INFORMATION = 0xBE;

    private Apdus() {
    }

    static boolean isAarq(byte[] apdu) {
        return apdu.length > 0 && (apdu[0] & 0xFF) == AARQ;
    }

    /** The invocation counter of a ciphered APDU, empty for a plain one (or one too short to tell). */
    static OptionalLong invocationCounter(byte[] apdu) {
        try {
            if (apdu.length == 0) {
                return OptionalLong.empty();
            }
            int tag = apdu[0] & 0xFF;
            if (tag == AARQ) {
                return aarqInvocationCounter(apdu);
            }
            if (CIPHERED_REQUESTS.contains(tag)) {
                return OptionalLong.of(counterAfterLength(apdu, 1));
            }
            if (tag == GENERAL_GLO_CIPHERING || tag == GENERAL_DED_CIPHERING) {
                int titleLength = apdu[1] & 0xFF;
                return OptionalLong.of(counterAfterLength(apdu, 2 + titleLength));
            }
            return OptionalLong.empty();
        } catch (ArrayIndexOutOfBoundsException e) {
            return OptionalLong.empty();
        }
    }

    /**
     * Whether the meter answered with a ciphered APDU (glo/ded responses, general ciphering, or an AARE carrying a
     * glo-initiate-response): proof that it could decipher the request.
     */
    static boolean isCipheredResponse(byte[] apdu) {
        if (apdu.length == 0) {
            return false;
        }
        int tag = apdu[0] & 0xFF;
        if (tag == AARE) {
            try {
                int[] info = aarqField(apdu, USER_INFORMATION);
                return info != null && (apdu[lengthAt(apdu, info[0] + 1)[0]] & 0xFF) == GLO_INITIATE_RESPONSE;
            } catch (ArrayIndexOutOfBoundsException e) {
                return false;
            }
        }
        return CIPHERED_RESPONSES.contains(tag) || tag == GENERAL_GLO_CIPHERING || tag == GENERAL_DED_CIPHERING;
    }

    /** The authentication mechanism id an AARQ names (1 LLS, 5 HLS GMAC), empty without mechanism name. */
    static OptionalInt mechanism(byte[] aarq) {
        try {
            int[] field = aarqField(aarq, MECHANISM_NAME);
            return field == null ? OptionalInt.empty() : OptionalInt.of(aarq[field[0] + field[1] - 1] & 0xFF);
        } catch (ArrayIndexOutOfBoundsException e) {
            return OptionalInt.empty();
        }
    }

    /** An xDLMS exception-response: service not allowed, invocation-counter-error with the counter expected. */
    static byte[] invocationCounterError(long expected) {
        return new byte[] {(byte) 0xD8, 1, 6, (byte) (expected >> 24), (byte) (expected >> 16), (byte) (expected >> 8),
            (byte) expected};
    }

    private static OptionalLong aarqInvocationCounter(byte[] aarq) {
        int[] info = aarqField(aarq, USER_INFORMATION);
        if (info == null) {
            return OptionalLong.empty();
        }
        // user-information: OCTET STRING (0x04, length) wrapping the xDLMS initiate-request
        int[] octets = lengthAt(aarq, info[0] + 1);
        int initiate = octets[0];
        if ((aarq[initiate] & 0xFF) != GLO_INITIATE_REQUEST) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(counterAfterLength(aarq, initiate + 1));
    }

    /** Content offset and length of the AARQ/AARE field with {@code tag}, or null. */
    private static int[] aarqField(byte[] aarq, int tag) {
        int[] body = lengthAt(aarq, 1);
        int end = body[0] + body[1];
        for (int pos = body[0]; pos < end && pos < aarq.length;) {
            int fieldTag = aarq[pos] & 0xFF;
            int[] field = lengthAt(aarq, pos + 1);
            if (fieldTag == tag) {
                return field;
            }
            pos = field[0] + field[1];
        }
        return null;
    }

    /** Reads the length at {@code pos}, then the security control byte, then the 4-byte counter. */
    private static long counterAfterLength(byte[] apdu, int pos) {
        int counterAt = lengthAt(apdu, pos)[0] + 1;
        return (apdu[counterAt] & 0xFFL) << 24 | (apdu[counterAt + 1] & 0xFFL) << 16
                | (apdu[counterAt + 2] & 0xFFL) << 8 | apdu[counterAt + 3] & 0xFFL;
    }

    /** {content offset, length} of the length field at {@code pos}. */
    private static int[] lengthAt(byte[] b, int pos) {
        int first = b[pos] & 0xFF;
        if (first < 0x80) {
            return new int[] {pos + 1, first};
        }
        int n = first & 0x7F;
        int length = 0;
        for (int i = 1; i <= n; i++) {
            length = length << 8 | b[pos + i] & 0xFF;
        }
        return new int[] {pos + 1 + n, length};
    }
}
