package org.medida.edge.dlms;

import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.UnknownHostException;

import org.medida.edge.api.FailureKind;
import org.medida.edge.api.MeterAccessException;
import org.openmuc.jdlms.AccessResultCode;
import org.openmuc.jdlms.JDlmsException;
import org.openmuc.jdlms.MethodResultCode;
import org.openmuc.jdlms.ResponseTimeoutException;
import org.openmuc.jrxtx.SerialPortException;

/** Turns what jDLMS and the meter report into the driver's typed failures. */
final class Failures {

    private Failures() {
    }

    /**
     * A failure while opening the association. A meter that hangs up on an association request refuses it; when the
     * request was authenticated (a password, or HLS5 keys and invocation counter), that is how meters refuse wrong
     * secrets and replayed counters.
     */
    static MeterAccessException ofConnect(IOException e, boolean authenticated) {
        if (isTimeout(e)) {
            return new MeterAccessException(FailureKind.TIMEOUT, describe(e));
        }
        if (isHangUp(e)) {
            return new MeterAccessException(
                    authenticated ? FailureKind.AUTHENTICATION_FAILED : FailureKind.ASSOCIATION_REFUSED, describe(e));
        }
        if (isUnreachable(e)) {
            return new MeterAccessException(FailureKind.UNREACHABLE, describe(e));
        }
        if (e instanceof JDlmsException j) {
            switch (j.getExceptionId()) {
                case AUTHENTICATION_ERROR, AUTHENTICATION_REQUIRED:
                    return new MeterAccessException(FailureKind.AUTHENTICATION_FAILED, describe(e));
                case CONNECTION_ESTABLISH_ERROR, UNKNOWN_ASSOCIATION_RESULT, WRONG_REFERENCING_METHOD:
                    return new MeterAccessException(FailureKind.ASSOCIATION_REFUSED, describe(e));
                default:
                    break;
            }
        }
        return ofRequest(e);
    }

    /**
     * A failure of a request inside an open association: no answer in time, the link lost, a ciphered answer that
     * failed authentication, or an answer jDLMS could not decode.
     */
    static MeterAccessException ofRequest(IOException e) {
        if (isTimeout(e)) {
            return new MeterAccessException(FailureKind.TIMEOUT, describe(e));
        }
        if (isHangUp(e)) {
            return new MeterAccessException(FailureKind.UNREACHABLE, describe(e));
        }
        if (e instanceof JDlmsException j && j.getExceptionId() == JDlmsException.ExceptionId.AUTHENTICATION_ERROR) {
            return new MeterAccessException(FailureKind.AUTHENTICATION_FAILED, describe(e));
        }
        return new MeterAccessException(FailureKind.MALFORMED_RESPONSE, describe(e));
    }

    static FailureKind ofAccessResult(AccessResultCode code) {
        return switch (code) {
            case OBJECT_UNDEFINED, OBJECT_UNAVAILABLE, OBJECT_CLASS_INCONSISTENT -> FailureKind.OBJECT_UNDEFINED;
            case READ_WRITE_DENIED, SCOPE_OF_ACCESS_VIOLATED -> FailureKind.ACCESS_DENIED;
            case TYPE_UNMATCHED -> FailureKind.MALFORMED_RESPONSE;
            default -> FailureKind.METER_ERROR;
        };
    }

    static FailureKind ofMethodResult(MethodResultCode code) {
        return switch (code) {
            case OBJECT_UNDEFINED, OBJECT_UNAVAILABLE, OBJECT_CLASS_INCONSISTENT -> FailureKind.OBJECT_UNDEFINED;
            case READ_WRITE_DENIED, SCOPE_OF_ACCESS_VIOLATION -> FailureKind.ACCESS_DENIED;
            case TYPE_UNMATCHED -> FailureKind.MALFORMED_RESPONSE;
            default -> FailureKind.METER_ERROR;
        };
    }

    private static boolean isUnreachable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConnectException || t instanceof NoRouteToHostException
                    || t instanceof UnknownHostException
                    || t instanceof SerialPortException && !(t instanceof InterruptedIOException)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isHangUp(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof EOFException || t instanceof SocketException && !(t instanceof ConnectException)
                    || t instanceof JDlmsException j && isBrokenLink(j.getExceptionId())) {
                return true;
            }
        }
        return false;
    }

    private static boolean isTimeout(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof InterruptedIOException || t instanceof ResponseTimeoutException
                    || t instanceof JDlmsException j && isTimeout(j)) {
                return true;
            }
        }
        return false;
    }

    /** jDLMS reports a missing association response only in the message of a connection establishment error. */
    private static boolean isTimeout(JDlmsException e) {
        return e.getExceptionId() == JDlmsException.ExceptionId.RESPONSE_TIMEOUT
                || e.getExceptionId() == JDlmsException.ExceptionId.CONNECTION_ESTABLISH_ERROR
                        && e.getMessage() != null && e.getMessage().contains("Timeout");
    }

    private static boolean isBrokenLink(JDlmsException.ExceptionId id) {
        return id == JDlmsException.ExceptionId.CONNECTION_CLOSED
                || id == JDlmsException.ExceptionId.CONNECTION_ALREADY_CLOSED;
    }

    /** The exception's own words and those of its causes, which never contain keys or passwords. */
    private static String describe(Throwable e) {
        StringBuilder detail = new StringBuilder();
        for (Throwable t = e; t != null && detail.length() < 300; t = t.getCause()) {
            if (detail.length() > 0) {
                detail.append(" <- ");
            }
            detail.append(t.getClass().getSimpleName());
            if (t.getMessage() != null) {
                detail.append(": ").append(t.getMessage());
            }
        }
        return detail.toString();
    }
}
