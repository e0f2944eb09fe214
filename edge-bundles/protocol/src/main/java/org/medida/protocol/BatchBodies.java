package org.medida.protocol;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.medida.edge.api.DataDropped;
import org.medida.edge.api.EventLog;
import org.medida.edge.api.Interval;
import org.medida.edge.api.IntervalBlock;
import org.medida.edge.api.MeterEvent;
import org.medida.edge.api.ProfileChannel;
import org.medida.edge.api.ProfileGap;
import org.medida.edge.api.RegisterReading;

/**
 * The rows of a batch on the wire. Times are epoch milliseconds written as differences from the previous row, so
 * that a day of rows costs a byte or two per time stamp. Load profiles are written column by column: interval ends
 * as runs of regular spacing (usually one run per block), status bytes run-length encoded, and each channel's
 * cumulative values as differences at one scale per channel, which makes an interval value one to three bytes.
 */
final class BatchBodies {

    static final int MAX_CHANNELS = 32;

    private BatchBodies() {
    }

    // ---- events

    static void writeEvents(PayloadWriter out, List<MeterEvent> events) {
        out.unsigned(events.size());
        long previous = 0;
        for (MeterEvent event : events) {
            long at = event.timestamp().toEpochMilli();
            out.code(WireCodes.codeOf(WireCodes.EVENT_LOGS, event.log()));
            out.unsigned(event.code());
            out.signed(at - previous);
            out.unsigned(event.durationSeconds());
            previous = at;
        }
    }

    static List<MeterEvent> readEvents(PayloadReader in) throws MalformedPayloadException {
        int count = in.count("event count", 1, 4);
        List<MeterEvent> events = new ArrayList<>(count);
        long previous = 0;
        for (int i = 0; i < count; i++) {
            EventLog log = WireCodes.read(WireCodes.EVENT_LOGS, in, "event log");
            int code = in.bounded("event code", 0, 65_535);
            previous = plus(in, previous, in.signed("event time"), "event time");
            events.add(new MeterEvent(log, code, Instant.ofEpochMilli(previous), in.nonNegative("event duration")));
        }
        return events;
    }

    // ---- registers

    static void writeRegisters(PayloadWriter out, List<RegisterReading> readings) {
        out.unsigned(readings.size());
        long previous = 0;
        for (RegisterReading reading : readings) {
            long readAt = reading.readAt().toEpochMilli();
            out.string(reading.obis(), Limits.Text.OBIS_CODE);
            out.string(reading.unit(), Limits.Text.UNIT);
            out.decimal(reading.value());
            out.signed(readAt - previous);
            out.flag(reading.captureTime() != null);
            if (reading.captureTime() != null) {
                out.signed(reading.captureTime().toEpochMilli() - readAt);
            }
            previous = readAt;
        }
    }

    static List<RegisterReading> readRegisters(PayloadReader in, int min) throws MalformedPayloadException {
        int count = in.count("register count", min, 6);
        List<RegisterReading> readings = new ArrayList<>(count);
        long previous = 0;
        for (int i = 0; i < count; i++) {
            String obis = in.string("register obis", Limits.Text.OBIS_CODE);
            String unit = in.string("register unit", Limits.Text.UNIT);
            BigDecimal value = in.decimal("register value");
            previous = plus(in, previous, in.signed("register read time"), "register read time");
            Instant captured = in.flag("register capture flag")
                    ? Instant.ofEpochMilli(plus(in, previous, in.signed("register capture time"), "register capture time"))
                    : null;
            readings.add(new RegisterReading(obis, value, unit, captured, Instant.ofEpochMilli(previous)));
        }
        return readings;
    }

    // ---- drop reports

    static void writeDrops(PayloadWriter out, List<DataDropped> drops) {
        out.unsigned(drops.size());
        long previous = 0;
        for (DataDropped drop : drops) {
            long from = drop.from().toEpochMilli();
            out.signed(from - previous);
            out.unsigned(drop.to().toEpochMilli() - from);
            out.unsigned(drop.entries());
            previous = from;
        }
    }

    static List<DataDropped> readDrops(PayloadReader in, String serial) throws MalformedPayloadException {
        int count = in.count("drop count", 1, 3);
        List<DataDropped> drops = new ArrayList<>(count);
        long previous = 0;
        for (int i = 0; i < count; i++) {
            previous = plus(in, previous, in.signed("drop start"), "drop start");
            long to = plus(in, previous, in.nonNegative("drop length"), "drop length");
            drops.add(new DataDropped(serial, Instant.ofEpochMilli(previous), Instant.ofEpochMilli(to),
                    in.nonNegative("dropped entries")));
        }
        return drops;
    }

    // ---- gaps

    static void writeGaps(PayloadWriter out, List<ProfileGap> gaps) {
        out.unsigned(gaps.size());
        long previous = 0;
        for (ProfileGap gap : gaps) {
            long from = gap.from().toEpochMilli();
            out.string(gap.profileObis(), Limits.Text.OBIS_CODE);
            out.signed(from - previous);
            out.unsigned(gap.to().toEpochMilli() - from);
            previous = from;
        }
    }

    static List<ProfileGap> readGaps(PayloadReader in, String serial) throws MalformedPayloadException {
        int count = in.count("gap count", 1, 4);
        List<ProfileGap> gaps = new ArrayList<>(count);
        long previous = 0;
        for (int i = 0; i < count; i++) {
            String profile = in.string("gap profile", Limits.Text.OBIS_CODE);
            previous = plus(in, previous, in.signed("gap start"), "gap start");
            long to = plus(in, previous, in.nonNegative("gap length"), "gap length");
            gaps.add(new ProfileGap(serial, profile, Instant.ofEpochMilli(previous), Instant.ofEpochMilli(to)));
        }
        return gaps;
    }

    // ---- load profile blocks

    static void writeBlocks(PayloadWriter out, String serial, List<IntervalBlock> blocks) {
        out.unsigned(blocks.size());
        for (IntervalBlock block : blocks) {
            if (!serial.equals(block.serial())) {
                throw new IllegalArgumentException("block of meter " + block.serial() + " in a batch of " + serial);
            }
            writeBlock(out, block);
        }
    }

    static List<IntervalBlock> readBlocks(PayloadReader in, String serial) throws MalformedPayloadException {
        int count = in.count("block count", 1, 8);
        List<IntervalBlock> blocks = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            blocks.add(readBlock(in, serial));
        }
        return blocks;
    }

    private static void writeBlock(PayloadWriter out, IntervalBlock block) {
        List<Interval> intervals = block.intervals();
        int channels = block.channels().size();
        if (channels < 1 || channels > MAX_CHANNELS) {
            throw new IllegalArgumentException("a profile block has 1.." + MAX_CHANNELS + " channels, not " + channels);
        }
        if (intervals.isEmpty()) {
            throw new IllegalArgumentException("an empty profile block of " + block.serial());
        }
        long period = block.capturePeriod().toMillis();
        out.string(block.profileObis(), Limits.Text.OBIS_CODE);
        out.unsigned(period);
        out.unsigned(channels);
        for (ProfileChannel channel : block.channels()) {
            out.string(channel.obis(), Limits.Text.OBIS_CODE);
            out.string(channel.unit(), Limits.Text.UNIT);
        }
        out.unsigned(intervals.size());
        writeEnds(out, intervals, period);
        writeStatuses(out, intervals);
        for (int column = 0; column < channels; column++) {
            writeColumn(out, intervals, column, channels);
        }
    }

    private static IntervalBlock readBlock(PayloadReader in, String serial) throws MalformedPayloadException {
        String profile = in.string("profile", Limits.Text.OBIS_CODE);
        long period = in.nonNegative("capture period");
        int channels = in.bounded("channel count", 1, MAX_CHANNELS);
        List<ProfileChannel> columns = new ArrayList<>(channels);
        for (int c = 0; c < channels; c++) {
            columns.add(new ProfileChannel(in.string("channel obis", Limits.Text.OBIS_CODE),
                    in.string("channel unit", Limits.Text.UNIT)));
        }
        int count = in.count("interval count", 1, 1);
        long[] ends = readEnds(in, count, period);
        int[] statuses = readStatuses(in, count);
        BigDecimal[][] values = new BigDecimal[count][channels];
        for (int column = 0; column < channels; column++) {
            readColumn(in, values, column);
        }
        List<Interval> intervals = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            intervals.add(new Interval(Instant.ofEpochMilli(ends[i]), statuses[i], List.of(values[i])));
        }
        return new IntervalBlock(serial, profile, Duration.ofMillis(period), columns, intervals);
    }

    /** Interval ends as runs: each run is a start and a length, its ends spaced by the capture period. */
    private static void writeEnds(PayloadWriter out, List<Interval> intervals, long period) {
        List<long[]> runs = new ArrayList<>();
        long previous = Long.MIN_VALUE;
        for (Interval interval : intervals) {
            long end = interval.end().toEpochMilli();
            if (end <= previous) {
                throw new IllegalArgumentException("profile entries out of order or repeated at " + interval.end());
            }
            long[] run = runs.isEmpty() ? null : runs.get(runs.size() - 1);
            if (run != null && period > 0 && end == previous + period) {
                run[1]++;
            } else {
                runs.add(new long[] {end, 1});
            }
            previous = end;
        }
        out.unsigned(runs.size());
        long runEnd = 0;
        for (long[] run : runs) {
            out.signed(run[0] - runEnd);
            out.unsigned(run[1]);
            runEnd = run[0] + (run[1] - 1) * period;
        }
    }

    private static long[] readEnds(PayloadReader in, int count, long period) throws MalformedPayloadException {
        long[] ends = new long[count];
        int runs = in.bounded("run count", 1, count);
        int filled = 0;
        long runEnd = 0;
        for (int r = 0; r < runs; r++) {
            long start = plus(in, runEnd, in.signed("run start"), "run start");
            if (filled > 0 && start <= runEnd) {
                throw in.fault("run start", "interval ends do not increase");
            }
            int length = in.bounded("run length", 1, count - filled);
            if (length > 1 && period == 0) {
                throw in.fault("run length", "a run of several entries needs a capture period");
            }
            for (int k = 0; k < length; k++) {
                ends[filled++] = plus(in, start, Math.multiplyExact((long) k, period), "interval end");
            }
            runEnd = ends[filled - 1];
        }
        if (filled != count) {
            throw in.fault("runs", "cover " + filled + " of " + count + " entries");
        }
        return ends;
    }

    private static void writeStatuses(PayloadWriter out, List<Interval> intervals) {
        int i = 0;
        while (i < intervals.size()) {
            int status = intervals.get(i).status();
            if (status < 0 || status > 255) {
                throw new IllegalArgumentException("profile status is a byte, not " + status);
            }
            int run = 1;
            while (i + run < intervals.size() && intervals.get(i + run).status() == status) {
                run++;
            }
            out.unsigned(run);
            out.code(status);
            i += run;
        }
    }

    private static int[] readStatuses(PayloadReader in, int count) throws MalformedPayloadException {
        int[] statuses = new int[count];
        int filled = 0;
        while (filled < count) {
            int run = in.bounded("status run", 1, count - filled);
            int status = in.code("status");
            for (int k = 0; k < run; k++) {
                statuses[filled++] = status;
            }
        }
        return statuses;
    }

    private static void writeColumn(PayloadWriter out, List<Interval> intervals, int column, int channels) {
        int scale = 0;
        for (Interval interval : intervals) {
            if (interval.values().size() != channels) {
                throw new IllegalArgumentException("entry at " + interval.end() + " has " + interval.values().size()
                        + " values for " + channels + " channels");
            }
            scale = Math.max(scale, Limits.scaleOf(interval.values().get(column)));
        }
        out.signed(scale);
        long previous = 0;
        for (Interval interval : intervals) {
            long unscaled = Limits.unscaled(interval.values().get(column), scale);
            out.signed(Math.subtractExact(unscaled, previous));
            previous = unscaled;
        }
    }

    private static void readColumn(PayloadReader in, BigDecimal[][] values, int column)
            throws MalformedPayloadException {
        int scale = Limits.checkScale(in.signed("channel scale"), in, "channel scale");
        long previous = 0;
        for (BigDecimal[] row : values) {
            previous = plus(in, previous, in.signed("interval value"), "interval value");
            row[column] = BigDecimal.valueOf(previous, scale);
        }
    }

    private static long plus(PayloadReader in, long base, long delta, String field) throws MalformedPayloadException {
        try {
            return Math.addExact(base, delta);
        } catch (ArithmeticException e) {
            throw in.fault(field, "out of range");
        }
    }
}
