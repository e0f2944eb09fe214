package org.medida.simulator.cosem;

import org.openmuc.jdlms.AccessResultCode;
import org.openmuc.jdlms.IllegalAttributeAccessException;
import org.openmuc.jdlms.IllegalMethodAccessException;
import org.openmuc.jdlms.MethodResultCode;

/**
 * Whether the association calling right now may change the meter (write attributes, invoke methods). jDLMS's own
 * "authenticated" access modes only admit associations whose APDUs are GMAC-protected, which would shut out the
 * IDIS management client when it logs on with LLS; so writes and actions are checked here instead.
 */
public interface Authorization {

    boolean mayChange();

    default void checkWrite() throws IllegalAttributeAccessException {
        if (!mayChange()) {
            throw new IllegalAttributeAccessException(AccessResultCode.READ_WRITE_DENIED);
        }
    }

    default void checkAction() throws IllegalMethodAccessException {
        if (!mayChange()) {
            throw new IllegalMethodAccessException(MethodResultCode.READ_WRITE_DENIED);
        }
    }
}
