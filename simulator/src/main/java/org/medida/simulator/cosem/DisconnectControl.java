package org.medida.simulator.cosem;

import static org.openmuc.jdlms.AttributeAccessMode.READ_AND_WRITE;
import static org.openmuc.jdlms.AttributeAccessMode.READ_ONLY;

import org.medida.simulator.model.MeterModel;
import org.openmuc.jdlms.AccessResultCode;
import org.openmuc.jdlms.CosemAttribute;
import org.openmuc.jdlms.CosemClass;
import org.openmuc.jdlms.CosemInterfaceObject;
import org.openmuc.jdlms.CosemMethod;
import org.openmuc.jdlms.IllegalAttributeAccessException;
import org.openmuc.jdlms.IllegalMethodAccessException;
import org.openmuc.jdlms.MethodAccessMode;
import org.openmuc.jdlms.MethodResultCode;
import org.openmuc.jdlms.datatypes.DataObject;
import org.openmuc.jdlms.datatypes.DataObject.Type;

/**
 * Disconnect control (class 70) 0.0.96.3.10.255. remote_disconnect opens the relay (energy stops, event 62),
 * remote_reconnect closes it (event 63). Control mode 0 refuses both; every other mode reconnects directly.
 */
@CosemClass(id = 70)
public final class DisconnectControl extends CosemInterfaceObject {

    @CosemAttribute(id = 2, type = Type.BOOLEAN, accessMode = READ_ONLY)
    private DataObject outputState;

    @CosemAttribute(id = 3, type = Type.ENUMERATE, accessMode = READ_ONLY)
    private DataObject controlState;

    @CosemAttribute(id = 4, type = Type.ENUMERATE, accessMode = READ_AND_WRITE)
    private DataObject controlMode;

    private final MeterModel model;
    private final Authorization authorization;

    public DisconnectControl(MeterModel model, Authorization authorization) {
        super("0.0.96.3.10.255");
        this.model = model;
        this.authorization = authorization;
    }

    public DataObject getOutputState() {
        return DataObject.newBoolData(model.relayClosed());
    }

    public DataObject getControlState() {
        return DataObject.newEnumerateData(model.supplyState().ordinal());
    }

    public DataObject getControlMode() {
        return DataObject.newEnumerateData(model.controlMode());
    }

    public void setControlMode(DataObject mode) throws IllegalAttributeAccessException {
        authorization.checkWrite();
        try {
            model.setControlMode((int) CosemValues.longOf(mode));
        } catch (IllegalArgumentException e) {
            throw new IllegalAttributeAccessException(AccessResultCode.OTHER_REASON, e);
        }
    }

    @CosemMethod(id = 1, consumes = Type.INTEGER, accessMode = MethodAccessMode.ACCESS)
    public void remoteDisconnect(DataObject unused) throws IllegalMethodAccessException {
        authorization.checkAction();
        if (!model.remoteDisconnect()) {
            throw new IllegalMethodAccessException(MethodResultCode.READ_WRITE_DENIED);
        }
    }

    @CosemMethod(id = 2, consumes = Type.INTEGER, accessMode = MethodAccessMode.ACCESS)
    public void remoteReconnect(DataObject unused) throws IllegalMethodAccessException {
        authorization.checkAction();
        if (!model.remoteReconnect()) {
            throw new IllegalMethodAccessException(MethodResultCode.READ_WRITE_DENIED);
        }
    }
}
