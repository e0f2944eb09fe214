package org.medida.simulator.cosem;

import static org.openmuc.jdlms.AttributeAccessMode.READ_ONLY;

import java.util.function.LongSupplier;
import org.openmuc.jdlms.CosemAttribute;
import org.openmuc.jdlms.CosemClass;
import org.openmuc.jdlms.CosemInterfaceObject;
import org.openmuc.jdlms.datatypes.DataObject;
import org.openmuc.jdlms.datatypes.DataObject.Type;

/** Register (class 3): a live value (double-long-unsigned) with a fixed scaler and unit. */
@CosemClass(id = 3)
public final class Register extends CosemInterfaceObject {

    @CosemAttribute(id = 2, type = Type.DOUBLE_LONG_UNSIGNED, accessMode = READ_ONLY)
    private DataObject value;

    @CosemAttribute(id = 3, type = Type.STRUCTURE, accessMode = READ_ONLY)
    private final DataObject scalerUnit;

    private final LongSupplier source;

    public Register(String logicalName, int scaler, int unit, LongSupplier source) {
        super(logicalName);
        this.scalerUnit = CosemValues.scalerUnit(scaler, unit);
        this.source = source;
    }

    public DataObject getValue() {
        return CosemValues.u32(source.getAsLong());
    }
}
