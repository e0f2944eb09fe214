package org.medida.simulator.cosem;

import static org.openmuc.jdlms.AttributeAccessMode.READ_ONLY;

import java.util.function.Supplier;
import org.openmuc.jdlms.CosemAttribute;
import org.openmuc.jdlms.CosemClass;
import org.openmuc.jdlms.CosemInterfaceObject;
import org.openmuc.jdlms.datatypes.DataObject;
import org.openmuc.jdlms.datatypes.DataObject.Type;

/** Data (class 1) with a live value: AMR profile status, last event codes, last power-failure duration. */
@CosemClass(id = 1)
public final class DataValue extends CosemInterfaceObject {

    @CosemAttribute(id = 2, type = Type.DONT_CARE, accessMode = READ_ONLY)
    private DataObject value;

    private final Supplier<DataObject> source;

    public DataValue(String logicalName, Supplier<DataObject> source) {
        super(logicalName);
        this.source = source;
    }

    public DataObject getValue() {
        return source.get();
    }
}
