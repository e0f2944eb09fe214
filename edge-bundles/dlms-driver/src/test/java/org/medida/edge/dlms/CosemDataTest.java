package org.medida.edge.dlms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigDecimal;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.medida.edge.api.FailureKind;
import org.medida.edge.api.MeterAccessException;
import org.openmuc.jdlms.datatypes.CosemDateTime;
import org.openmuc.jdlms.datatypes.DataObject;

/** COSEM values as meters send them. */
class CosemDataTest {

    @Test
    void localTimePlusDeviationIsUtc() throws Exception {
        // 12:00 local time in UTC+1 (deviation -60 minutes), daylight saving flag set
        CosemDateTime cet = new CosemDateTime(2026, 11, 22, 7, 12, 0, 0, 0, -60,
                CosemDateTime.ClockStatus.DAYLIGHT_SAVING_ACTIVE);
        assertEquals(Instant.parse("2026-11-22T11:00:00Z"), CosemData.instant(cet));
        assertEquals(0x80, CosemData.clockStatus(cet));
    }

    @Test
    void anUnspecifiedDeviationIsTakenAsUtc() throws Exception {
        CosemDateTime unspecified = new CosemDateTime(2026, 11, 22, 7, 12, 0, 0, 0, 0x8000);
        assertEquals(Instant.parse("2026-11-22T12:00:00Z"), CosemData.instant(unspecified));
    }

    @Test
    void dateTimesRoundTripThroughTheirOctetString() throws Exception {
        Instant t = Instant.parse("2026-03-01T23:45:12.340Z");
        assertEquals(t, CosemData.instant(CosemData.dateTimeOrNull(CosemData.dateTime(t))));
        assertNull(CosemData.dateTimeOrNull(DataObject.newNullData()));
    }

    @Test
    void scalerAndUnitAreApplied() throws Exception {
        CosemData.ScalerUnit kilowattHours = CosemData.scalerUnit(DataObject.newStructureData(
                DataObject.newInteger8Data((byte) 3), DataObject.newEnumerateData(30)));
        assertEquals("Wh", kilowattHours.unit());
        assertEquals(0, new BigDecimal("12345000").compareTo(kilowattHours.apply(DataObject.newUInteger32Data(12345))));
    }

    @Test
    void aValueOfTheWrongShapeIsMalformed() {
        MeterAccessException e = assertThrows(MeterAccessException.class,
                () -> CosemData.number(DataObject.newOctetStringData(new byte[] { 1 })));
        assertEquals(FailureKind.MALFORMED_RESPONSE, e.failure().kind());
    }
}
