package org.medida.simulator.cosem;

import java.time.Instant;
import java.util.List;
import org.openmuc.jdlms.datatypes.DataObject;

/** The content behind a profile generic object: its columns and, at the moment of asking, its buffer. */
public interface ProfileTable {

    /** One captured row, with the capture time that selective access by range compares. */
    record Row(Instant time, List<DataObject> values) {
    }

    List<CaptureObject> columns();

    /** The buffer now, oldest first. */
    List<Row> rows();

    /** Seconds between captures; 0 for asynchronous profiles such as event logs. */
    long capturePeriodSeconds();

    /** How many rows the buffer can hold. */
    int capacity();
}
