package org.medida.edge.api;

import java.time.LocalDate;
import java.util.List;

/**
 * Rows of one meter, one UTC day and one {@link DataClass} that the uplink publishes and central commits as a unit.
 * The id is the store's, persisted with the rows and never reused: until {@link ReadingStore#confirm} the same
 * rows come out under the same id, after a release, a reconnect or a restart.
 */
public sealed interface Batch {

    long id();

    String serial();

    LocalDate day();

    DataClass dataClass();

    /** How many rows the batch carries (profile entries for {@link Intervals}). */
    int size();

    record Events(long id, String serial, LocalDate day, List<MeterEvent> events) implements Batch {
        public Events {
            events = List.copyOf(events);
        }

        @Override
        public DataClass dataClass() {
            return DataClass.EVENTS;
        }

        @Override
        public int size() {
            return events.size();
        }
    }

    record Registers(long id, String serial, LocalDate day, List<RegisterReading> readings) implements Batch {
        public Registers {
            readings = List.copyOf(readings);
        }

        @Override
        public DataClass dataClass() {
            return DataClass.REGISTERS;
        }

        @Override
        public int size() {
            return readings.size();
        }
    }

    record Drops(long id, String serial, LocalDate day, List<DataDropped> drops) implements Batch {
        public Drops {
            drops = List.copyOf(drops);
        }

        @Override
        public DataClass dataClass() {
            return DataClass.DROPS;
        }

        @Override
        public int size() {
            return drops.size();
        }
    }

    record Gaps(long id, String serial, LocalDate day, List<ProfileGap> gaps) implements Batch {
        public Gaps {
            gaps = List.copyOf(gaps);
        }

        @Override
        public DataClass dataClass() {
            return DataClass.GAPS;
        }

        @Override
        public int size() {
            return gaps.size();
        }
    }

    /** Profile entries, one block per profile (layout) the meter's day has entries of. */
    record Intervals(long id, String serial, LocalDate day, List<IntervalBlock> blocks) implements Batch {
        public Intervals {
            blocks = List.copyOf(blocks);
        }

        @Override
        public DataClass dataClass() {
            return DataClass.INTERVALS;
        }

        @Override
        public int size() {
            return blocks.stream().mapToInt(block -> block.intervals().size()).sum();
        }
    }
}
