package org.medida.simulator.cosem;

import static org.openmuc.jdlms.AttributeAccessMode.READ_AND_WRITE;
import static org.openmuc.jdlms.AttributeAccessMode.READ_ONLY;

import java.time.Duration;
import java.time.Instant;
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
 * Clock (class 8) 0.0.1.0.0.255 in UTC: time can be read, and set or shifted (shift_time, method 6, at most +-900 s)
 * by the management client. Both adjustments log events 4/5 and flag the running interval "clock adjusted".
 */
@CosemClass(id = 8)
public final class ClockObject extends CosemInterfaceObject {

    private static final long MAX_SHIFT_SECONDS = 900;

    @CosemAttribute(id = 2, type = Type.OCTET_STRING, accessMode = READ_AND_WRITE)
    private DataObject time;

    @CosemAttribute(id = 3, type = Type.LONG_INTEGER, accessMode = READ_ONLY)
    private final DataObject timeZone = DataObject.newInteger16Data((short) 0);

    @CosemAttribute(id = 4, type = Type.UNSIGNED, accessMode = READ_ONLY)
    private final DataObject status = CosemValues.u8(0);

    @CosemAttribute(id = 8, type = Type.BOOLEAN, accessMode = READ_ONLY)
    private final DataObject daylightSavingsEnabled = DataObject.newBoolData(false);

    @CosemAttribute(id = 9, type = Type.ENUMERATE, accessMode = READ_ONLY)
    private final DataObject clockBase = DataObject.newEnumerateData(1);

    private final MeterModel model;
    private final Authorization authorization;

    public ClockObject(MeterModel model, Authorization authorization) {
        super("0.0.1.0.0.255");
        this.model = model;
        this.authorization = authorization;
    }

    public DataObject getTime() {
        return CosemValues.dateTime(model.now());
    }

    public void setTime(DataObject newTime) throws IllegalAttributeAccessException {
        authorization.checkWrite();
        Instant target;
        try {
            target = CosemValues.instantOf(newTime);
        } catch (RuntimeException e) {
            throw new IllegalAttributeAccessException(AccessResultCode.TYPE_UNMATCHED, e);
        }
        model.adjustClock(Duration.between(model.now(), target));
    }

    @CosemMethod(id = 6, consumes = Type.LONG_INTEGER, accessMode = MethodAccessMode.ACCESS)
    public void shiftTime(DataObject seconds) throws IllegalMethodAccessException {
        authorization.checkAction();
        long shift = CosemValues.longOf(seconds);
        if (Math.abs(shift) > MAX_SHIFT_SECONDS) {
            throw new IllegalMethodAccessException(MethodResultCode.OTHER_REASON);
        }
        model.adjustClock(Duration.ofSeconds(shift));
    }
}
