package org.medida.edge.api;

/** Why a meter conversation, or one request in it, did not give a value. */
public enum FailureKind {
    /** No connection could be made (refused, no route, serial port missing). */
    UNREACHABLE,
    /** The meter did not answer in time, after the configured retries. */
    TIMEOUT,
    /** The meter refused the association (wrong client, unsupported context). */
    ASSOCIATION_REFUSED,
    /** Wrong password or keys, or a ciphered frame that failed authentication (replayed counter, bad tag). */
    AUTHENTICATION_FAILED,
    /** The meter has no such object or attribute. */
    OBJECT_UNDEFINED,
    /** The object exists but this client may not read, write or invoke it. */
    ACCESS_DENIED,
    /** The answer could not be decoded, or had a shape the object does not allow. */
    MALFORMED_RESPONSE,
    /** The meter answered with another error (temporary failure, hardware fault, other-reason). */
    METER_ERROR
}
