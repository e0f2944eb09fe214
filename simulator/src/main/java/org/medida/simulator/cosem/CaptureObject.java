package org.medida.simulator.cosem;

import java.util.Arrays;
import java.util.List;
import org.openmuc.jdlms.ObisCode;
import org.openmuc.jdlms.datatypes.DataObject;

/** One column of a profile: which attribute of which object it captures. */
public record CaptureObject(int classId, String obis, int attributeId) {

    public static final CaptureObject CLOCK = new CaptureObject(8, "0.0.1.0.0.255", 2);

    public DataObject definition() {
        return DataObject.newStructureData(CosemValues.u16(classId), CosemValues.obis(obis),
                DataObject.newInteger8Data((byte) attributeId), CosemValues.u16(0));
    }

    /** Whether a capture_object_definition a client sent names this column. */
    public boolean matches(DataObject definition) {
        List<DataObject> fields = definition.getValue();
        return CosemValues.longOf(fields.get(0)) == classId
                && Arrays.equals((byte[]) fields.get(1).getValue(), new ObisCode(obis).bytes())
                && CosemValues.longOf(fields.get(2)) == attributeId;
    }
}
