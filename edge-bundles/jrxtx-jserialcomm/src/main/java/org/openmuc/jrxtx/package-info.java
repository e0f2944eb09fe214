/**
 * The serial port API of OpenMUC jRxTx 1.0.1 ({@link org.openmuc.jrxtx.SerialPortBuilder},
 * {@link org.openmuc.jrxtx.SerialPort} and its settings), implemented on jSerialComm. jDLMS's IEC 62056-21 and serial
 * HDLC transport is compiled against this API; providing it here keeps jDLMS unpatched and free of RXTX natives.
 */
@Export
@Version("1.0.1")
package org.openmuc.jrxtx;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
