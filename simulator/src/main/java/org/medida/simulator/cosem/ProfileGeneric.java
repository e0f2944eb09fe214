package org.medida.simulator.cosem;

import static org.openmuc.jdlms.AttributeAccessMode.READ_ONLY;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.openmuc.jdlms.AccessResultCode;
import org.openmuc.jdlms.CosemAttribute;
import org.openmuc.jdlms.CosemClass;
import org.openmuc.jdlms.CosemInterfaceObject;
import org.openmuc.jdlms.IllegalAttributeAccessException;
import org.openmuc.jdlms.SelectiveAccessDescription;
import org.openmuc.jdlms.datatypes.DataObject;
import org.openmuc.jdlms.datatypes.DataObject.Type;

/**
 * Profile generic (class 7) over a {@link ProfileTable}. The buffer answers selective access by range (selector 1:
 * rows whose capture time lies in [from, to], optionally only some columns) and by entry (selector 2: 1-based
 * entries and columns, 0 meaning the last). A meter without range access refuses selector 1 with
 * scope-of-access-violated, so a client has to fall back to by-entry reads.
 */
@CosemClass(id = 7, version = 1)
public final class ProfileGeneric extends CosemInterfaceObject {

    private static final int BY_RANGE = 1;
    private static final int BY_ENTRY = 2;
    private static final int SORT_FIFO = 1;

    @CosemAttribute(id = 2, type = Type.ARRAY, accessMode = READ_ONLY, selector = {BY_RANGE, BY_ENTRY})
    private DataObject buffer;

    @CosemAttribute(id = 3, type = Type.ARRAY, accessMode = READ_ONLY)
    private final DataObject captureObjects;

    @CosemAttribute(id = 4, type = Type.DOUBLE_LONG_UNSIGNED, accessMode = READ_ONLY)
    private final DataObject capturePeriod;

    @CosemAttribute(id = 5, type = Type.ENUMERATE, accessMode = READ_ONLY)
    private final DataObject sortMethod = DataObject.newEnumerateData(SORT_FIFO);

    @CosemAttribute(id = 6, type = Type.STRUCTURE, accessMode = READ_ONLY)
    private final DataObject sortObject = new CaptureObject(0, "0.0.0.0.0.0", 0).definition();

    @CosemAttribute(id = 7, type = Type.DOUBLE_LONG_UNSIGNED, accessMode = READ_ONLY)
    private DataObject entriesInUse;

    @CosemAttribute(id = 8, type = Type.DOUBLE_LONG_UNSIGNED, accessMode = READ_ONLY)
    private final DataObject profileEntries;

    private final ProfileTable table;
    private final boolean rangeAccess;

    public ProfileGeneric(String logicalName, ProfileTable table, boolean rangeAccess) {
        super(logicalName);
        this.table = table;
        this.rangeAccess = rangeAccess;
        this.captureObjects = DataObject.newArrayData(table.columns().stream().map(CaptureObject::definition).toList());
        this.capturePeriod = CosemValues.u32(table.capturePeriodSeconds());
        this.profileEntries = CosemValues.u32(table.capacity());
    }

    public DataObject getBuffer(SelectiveAccessDescription access) throws IllegalAttributeAccessException {
        List<ProfileTable.Row> rows = table.rows();
        int columnCount = table.columns().size();
        if (access == null) {
            return encode(rows, IntStream.range(0, columnCount).boxed().toList());
        }
        try {
            List<DataObject> p = access.getAccessParameter().getValue();
            return switch (access.getAccessSelector()) {
                case BY_RANGE -> byRange(rows, p);
                case BY_ENTRY -> byEntry(rows, p, columnCount);
                default -> throw new IllegalAttributeAccessException(AccessResultCode.SCOPE_OF_ACCESS_VIOLATED);
            };
        } catch (ClassCastException | IndexOutOfBoundsException | IllegalArgumentException | NullPointerException e) {
            throw new IllegalAttributeAccessException(AccessResultCode.TYPE_UNMATCHED, e);
        }
    }

    public DataObject getEntriesInUse() {
        return CosemValues.u32(table.rows().size());
    }

    private DataObject byRange(List<ProfileTable.Row> rows, List<DataObject> p) throws IllegalAttributeAccessException {
        if (!rangeAccess) {
            throw new IllegalAttributeAccessException(AccessResultCode.SCOPE_OF_ACCESS_VIOLATED);
        }
        Instant from = CosemValues.instantOf(p.get(1));
        Instant to = CosemValues.instantOf(p.get(2));
        List<DataObject> selected = p.size() > 3 && !p.get(3).isNull() ? p.get(3).getValue() : List.of();
        List<Integer> columns = new ArrayList<>();
        for (int c = 0; c < table.columns().size(); c++) {
            CaptureObject column = table.columns().get(c);
            if (selected.isEmpty() || selected.stream().anyMatch(column::matches)) {
                columns.add(c);
            }
        }
        return encode(rows.stream().filter(r -> !r.time().isBefore(from) && !r.time().isAfter(to)).toList(), columns);
    }

    private static DataObject byEntry(List<ProfileTable.Row> rows, List<DataObject> p, int columnCount) {
        long fromEntry = Math.max(1, CosemValues.longOf(p.get(0)));
        long toEntry = CosemValues.longOf(p.get(1));
        long fromColumn = Math.max(1, CosemValues.longOf(p.get(2)));
        long toColumn = CosemValues.longOf(p.get(3));
        int last = (int) Math.min(rows.size(), toEntry == 0 ? rows.size() : toEntry);
        int lastColumn = (int) Math.min(columnCount, toColumn == 0 ? columnCount : toColumn);
        List<ProfileTable.Row> slice = fromEntry > last ? List.of() : rows.subList((int) fromEntry - 1, last);
        return encode(slice, IntStream.range((int) fromColumn - 1, lastColumn).boxed().toList());
    }

    private static DataObject encode(List<ProfileTable.Row> rows, List<Integer> columns) {
        return DataObject.newArrayData(rows.stream()
                .map(r -> DataObject.newStructureData(columns.stream().map(r.values()::get).toList()))
                .toList());
    }
}
