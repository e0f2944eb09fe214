package org.medida.edge.dlms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.medida.edge.dlms.TestMeters.read;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medida.edge.api.Interval;
import org.medida.edge.api.IntervalBlock;
import org.medida.edge.api.MeterLink;
import org.medida.edge.api.MeterRef;
import org.medida.edge.api.MeterSecurity;
import org.medida.edge.api.ProfileChannel;
import org.openmuc.jdlms.AccessResultCode;
import org.openmuc.jdlms.AttributeAccessMode;
import org.openmuc.jdlms.ConformanceSetting;
import org.openmuc.jdlms.CosemAttribute;
import org.openmuc.jdlms.CosemClass;
import org.openmuc.jdlms.CosemInterfaceObject;
import org.openmuc.jdlms.DlmsServer;
import org.openmuc.jdlms.IllegalAttributeAccessException;
import org.openmuc.jdlms.LogicalDevice;
import org.openmuc.jdlms.ObisCode;
import org.openmuc.jdlms.SecuritySuite;
import org.openmuc.jdlms.SelectiveAccessDescription;
import org.openmuc.jdlms.datatypes.DataObject;
import org.openmuc.jdlms.datatypes.DataObject.Type;

/**
 * A meter with a compressed load profile (only some entries carry their clock) that answers range requests with an
 * error, or offers no selective access at all: the driver still finds the window and the entry times.
 */
class CompressedProfileTest {

    private static final String PROFILE = "1.0.99.1.0.255";
    private static final Instant FIRST_ENTRY = Instant.parse("2026-11-01T00:15:00Z");
    private static final Duration PERIOD = Duration.ofMinutes(15);
    private static final int ENTRIES = 8;
    /** Entries (1-based) that carry their clock; the others have null-data there. */
    private static final List<Integer> CLOCKED = List.of(1, 5);

    @TempDir
    Path state;

    @Test
    void rangeAnsweredWithAnErrorFallsBackToEntriesAndFillsNullClocks() throws Exception {
        readsTheWindow(ConformanceSetting.GET, ConformanceSetting.SELECTIVE_ACCESS,
                ConformanceSetting.BLOCK_TRANSFER_WITH_GET_OR_READ, ConformanceSetting.MULTIPLE_REFERENCES);
    }

    @Test
    void withoutSelectiveAccessTheWholeBufferIsRead() throws Exception {
        readsTheWindow(ConformanceSetting.GET, ConformanceSetting.BLOCK_TRANSFER_WITH_GET_OR_READ,
                ConformanceSetting.MULTIPLE_REFERENCES);
    }

    private void readsTheWindow(ConformanceSetting... conformance) throws Exception {
        int port = TestMeters.freePort();
        LogicalDevice device = new LogicalDevice(1, "COMPRESSED", "MDA", 1);
        device.addRestriction(MeterSecurity.PUBLIC_CLIENT_SAP, SecuritySuite.builder().build());
        device.setConformance(conformance);
        device.registerCosemObject(new CompressedProfile(), new EnergyRegister());
        try (DlmsServer server = DlmsServer.tcpServerBuilder(port).registerLogicalDevice(device).build();
                DlmsMeterDriver driver = new DlmsMeterDriver(TestMeters.settings(state))) {
            MeterRef meter = new MeterRef("COMPRESSED", new MeterLink.TcpWrapper("127.0.0.1", port),
                    MeterSecurity.publicClient());
            Instant from = FIRST_ENTRY.plus(PERIOD.multipliedBy(2));
            Instant to = FIRST_ENTRY.plus(PERIOD.multipliedBy(6));
            IntervalBlock block = read(driver, meter, s -> s.readProfile(PROFILE, from, to));

            assertEquals(List.of(new ProfileChannel("1.0.1.8.0.255", "Wh")), block.channels());
            List<Interval> expected = IntStream.rangeClosed(3, 7).mapToObj(entry -> new Interval(
                    FIRST_ENTRY.plus(PERIOD.multipliedBy(entry - 1)), 0,
                    List.of(BigDecimal.valueOf(entry * 10L).scaleByPowerOfTen(1)))).toList();
            assertEquals(expected, block.intervals());
        }
    }

    /** Entry n holds n × 10 in the register column (× 10^1 Wh). */
    @CosemClass(id = 7, version = 1)
    public static final class CompressedProfile extends CosemInterfaceObject {

        @CosemAttribute(id = 2, type = Type.ARRAY, accessMode = AttributeAccessMode.READ_ONLY, selector = { 1, 2 })
        private DataObject buffer;

        @CosemAttribute(id = 3, type = Type.ARRAY, accessMode = AttributeAccessMode.READ_ONLY)
        private final DataObject captureObjects = DataObject.newArrayData(List.of(
                captureObject(8, "0.0.1.0.0.255"), captureObject(3, "1.0.1.8.0.255")));

        @CosemAttribute(id = 4, type = Type.DOUBLE_LONG_UNSIGNED, accessMode = AttributeAccessMode.READ_ONLY)
        private final DataObject capturePeriod = DataObject.newUInteger32Data(PERIOD.toSeconds());

        @CosemAttribute(id = 7, type = Type.DOUBLE_LONG_UNSIGNED, accessMode = AttributeAccessMode.READ_ONLY)
        private final DataObject entriesInUse = DataObject.newUInteger32Data(ENTRIES);

        public CompressedProfile() {
            super(PROFILE);
        }

        public DataObject getBuffer(SelectiveAccessDescription access) throws IllegalAttributeAccessException {
            if (access == null) {
                return entries(1, ENTRIES);
            }
            if (access.getAccessSelector() != 2) {
                throw new IllegalAttributeAccessException(AccessResultCode.OTHER_REASON);
            }
            List<DataObject> range = access.getAccessParameter().getValue();
            return entries(range.get(0).<Number>getValue().intValue(), range.get(1).<Number>getValue().intValue());
        }

        private static DataObject entries(int first, int last) {
            List<DataObject> rows = new ArrayList<>();
            for (int entry = first; entry <= Math.min(last, ENTRIES); entry++) {
                DataObject clock = CLOCKED.contains(entry)
                        ? CosemData.dateTime(FIRST_ENTRY.plus(PERIOD.multipliedBy(entry - 1)))
                        : DataObject.newNullData();
                rows.add(DataObject.newStructureData(clock, DataObject.newUInteger32Data(entry * 10L)));
            }
            return DataObject.newArrayData(rows);
        }

        private static DataObject captureObject(int classId, String obis) {
            return DataObject.newStructureData(DataObject.newUInteger16Data(classId),
                    DataObject.newOctetStringData(new ObisCode(obis).bytes()), DataObject.newInteger8Data((byte) 2),
                    DataObject.newUInteger16Data(0));
        }
    }

    /** A+ with scaler 1 (tens of Wh). */
    @CosemClass(id = 3)
    public static final class EnergyRegister extends CosemInterfaceObject {

        @CosemAttribute(id = 2, type = Type.DOUBLE_LONG_UNSIGNED, accessMode = AttributeAccessMode.READ_ONLY)
        private final DataObject value = DataObject.newUInteger32Data(80);

        @CosemAttribute(id = 3, type = Type.STRUCTURE, accessMode = AttributeAccessMode.READ_ONLY)
        private final DataObject scalerUnit = DataObject.newStructureData(DataObject.newInteger8Data((byte) 1),
                DataObject.newEnumerateData(30));

        public EnergyRegister() {
            super("1.0.1.8.0.255");
        }
    }
}
