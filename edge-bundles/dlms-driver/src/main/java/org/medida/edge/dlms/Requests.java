package org.medida.edge.dlms;

import java.io.IOException;
import java.util.List;

import org.medida.edge.api.MeterAccessException;
import org.openmuc.jdlms.AccessResultCode;
import org.openmuc.jdlms.AttributeAddress;
import org.openmuc.jdlms.DlmsConnection;
import org.openmuc.jdlms.GetResult;
import org.openmuc.jdlms.MethodParameter;
import org.openmuc.jdlms.MethodResult;
import org.openmuc.jdlms.MethodResultCode;
import org.openmuc.jdlms.SetParameter;
import org.openmuc.jdlms.datatypes.DataObject;

/**
 * The get, set and action requests of one association, with the meter's refusals and jDLMS's exceptions turned into
 * {@link MeterAccessException}s. Remembers whether anything was written to the meter, because a conversation that
 * changed the meter must not be repeated blindly.
 */
final class Requests {

    private final DlmsConnection connection;
    private boolean changedMeter;

    Requests(DlmsConnection connection) {
        this.connection = connection;
    }

    boolean changedMeter() {
        return changedMeter;
    }

    /** Several attributes in one request where the meter allows it, one result each. */
    List<GetResult> getAll(List<AttributeAddress> addresses) throws MeterAccessException {
        try {
            return connection.get(addresses);
        } catch (IOException e) {
            throw Failures.ofRequest(e);
        }
    }

    /** One attribute's value; a refusal becomes the failure it stands for. */
    DataObject get(AttributeAddress address) throws MeterAccessException {
        GetResult result;
        try {
            result = connection.get(address);
        } catch (IOException e) {
            throw Failures.ofRequest(e);
        }
        return valueOf(address, result);
    }

    static DataObject valueOf(AttributeAddress address, GetResult result) throws MeterAccessException {
        if (result.getResultCode() != AccessResultCode.SUCCESS) {
            throw new MeterAccessException(Failures.ofAccessResult(result.getResultCode()),
                    describe(address) + ": " + result.getResultCode());
        }
        return result.getResultData();
    }

    void set(AttributeAddress address, DataObject value) throws MeterAccessException {
        changedMeter = true;
        AccessResultCode code;
        try {
            code = connection.set(new SetParameter(address, value));
        } catch (IOException e) {
            throw Failures.ofRequest(e);
        }
        if (code != AccessResultCode.SUCCESS) {
            throw new MeterAccessException(Failures.ofAccessResult(code), "set " + describe(address) + ": " + code);
        }
    }

    void action(MethodParameter method) throws MeterAccessException {
        changedMeter = true;
        MethodResult result;
        try {
            result = connection.action(method);
        } catch (IOException e) {
            throw Failures.ofRequest(e);
        }
        if (result.getResultCode() != MethodResultCode.SUCCESS) {
            throw new MeterAccessException(Failures.ofMethodResult(result.getResultCode()), "method " + method.getId()
                    + " of " + method.getInstanceId().asDecimalString() + ": " + result.getResultCode());
        }
    }

    static String describe(AttributeAddress address) {
        return "attribute " + address.getId() + " of " + address.getInstanceId().asDecimalString() + " (class "
                + address.getClassId() + ")";
    }
}
