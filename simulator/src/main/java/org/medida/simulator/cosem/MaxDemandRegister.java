package org.medida.simulator.cosem;

import static org.openmuc.jdlms.AttributeAccessMode.READ_ONLY;

import org.medida.simulator.model.MeterModel;
import org.openmuc.jdlms.CosemAttribute;
import org.openmuc.jdlms.CosemClass;
import org.openmuc.jdlms.CosemInterfaceObject;
import org.openmuc.jdlms.datatypes.DataObject;
import org.openmuc.jdlms.datatypes.DataObject.Type;

/** Extended register (class 4) 1.0.1.6.0.255: this month's maximum A+ demand in W with its capture time. */
@CosemClass(id = 4)
public final class MaxDemandRegister extends CosemInterfaceObject {

    @CosemAttribute(id = 2, type = Type.DOUBLE_LONG_UNSIGNED, accessMode = READ_ONLY)
    private DataObject value;

    @CosemAttribute(id = 3, type = Type.STRUCTURE, accessMode = READ_ONLY)
    private final DataObject scalerUnit = CosemValues.scalerUnit(0, 27);

    @CosemAttribute(id = 4, type = Type.UNSIGNED, accessMode = READ_ONLY)
    private final DataObject status = CosemValues.u8(0);

    @CosemAttribute(id = 5, type = Type.OCTET_STRING, accessMode = READ_ONLY)
    private DataObject captureTime;

    private final MeterModel model;

    public MaxDemandRegister(MeterModel model) {
        super("1.0.1.6.0.255");
        this.model = model;
    }

    public DataObject getValue() {
        return CosemValues.u32(model.maxDemand().demandW());
    }

    public DataObject getCaptureTime() {
        return CosemValues.dateTime(model.maxDemand().captureTime());
    }
}
