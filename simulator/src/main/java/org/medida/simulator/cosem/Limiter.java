package org.medida.simulator.cosem;

import static org.openmuc.jdlms.AttributeAccessMode.READ_AND_WRITE;
import static org.openmuc.jdlms.AttributeAccessMode.READ_ONLY;

import org.medida.simulator.model.MeterModel;
import org.openmuc.jdlms.AccessResultCode;
import org.openmuc.jdlms.CosemAttribute;
import org.openmuc.jdlms.CosemClass;
import org.openmuc.jdlms.CosemInterfaceObject;
import org.openmuc.jdlms.IllegalAttributeAccessException;
import org.openmuc.jdlms.datatypes.DataObject;
import org.openmuc.jdlms.datatypes.DataObject.Type;

/**
 * Limiter (class 71) 0.0.17.0.0.255 monitoring active import power 1.0.1.7.0.255. Writing threshold_active (3) or
 * threshold_normal (4), double-long-unsigned in W, sets the limit; 0 removes it. Above the limit the relay opens
 * through the disconnector script 0.0.10.0.106.255 (event 65) and waits for a reconnection.
 */
@CosemClass(id = 71)
public final class Limiter extends CosemInterfaceObject {

    private static final String DISCONNECTOR_SCRIPT_TABLE = "0.0.10.0.106.255";

    @CosemAttribute(id = 2, type = Type.STRUCTURE, accessMode = READ_ONLY)
    private final DataObject monitoredValue = DataObject.newStructureData(CosemValues.u16(3),
            CosemValues.obis("1.0.1.7.0.255"), DataObject.newInteger8Data((byte) 2));

    @CosemAttribute(id = 3, type = Type.DOUBLE_LONG_UNSIGNED, accessMode = READ_AND_WRITE)
    private DataObject thresholdActive;

    @CosemAttribute(id = 4, type = Type.DOUBLE_LONG_UNSIGNED, accessMode = READ_AND_WRITE)
    private DataObject thresholdNormal;

    @CosemAttribute(id = 6, type = Type.DOUBLE_LONG_UNSIGNED, accessMode = READ_ONLY)
    private final DataObject minOverThresholdDuration = CosemValues.u32(0);

    @CosemAttribute(id = 7, type = Type.DOUBLE_LONG_UNSIGNED, accessMode = READ_ONLY)
    private final DataObject minUnderThresholdDuration = CosemValues.u32(0);

    @CosemAttribute(id = 11, type = Type.STRUCTURE, accessMode = READ_ONLY)
    private final DataObject actions = DataObject.newStructureData(
            DataObject.newStructureData(CosemValues.obis(DISCONNECTOR_SCRIPT_TABLE), CosemValues.u16(1)),
            DataObject.newStructureData(CosemValues.obis(DISCONNECTOR_SCRIPT_TABLE), CosemValues.u16(2)));

    private final MeterModel model;
    private final Authorization authorization;

    public Limiter(MeterModel model, Authorization authorization) {
        super("0.0.17.0.0.255");
        this.model = model;
        this.authorization = authorization;
    }

    public DataObject getThresholdActive() {
        return CosemValues.u32(model.limiterThresholdW());
    }

    public void setThresholdActive(DataObject watts) throws IllegalAttributeAccessException {
        setThreshold(watts);
    }

    public DataObject getThresholdNormal() {
        return CosemValues.u32(model.limiterThresholdW());
    }

    public void setThresholdNormal(DataObject watts) throws IllegalAttributeAccessException {
        setThreshold(watts);
    }

    private void setThreshold(DataObject watts) throws IllegalAttributeAccessException {
        authorization.checkWrite();
        try {
            model.setLimiterThresholdW(CosemValues.longOf(watts));
        } catch (ClassCastException | IllegalArgumentException e) {
            throw new IllegalAttributeAccessException(AccessResultCode.TYPE_UNMATCHED, e);
        }
    }
}
