package org.medida.itests;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.medida.itests.EndToEndCentral.Contents;
import org.medida.itests.EndToEndCentral.Event;
import org.medida.itests.EndToEndCentral.IntervalValue;
import org.medida.itests.EndToEndCentral.Reading;
import org.medida.itests.EndToEndCentral.Span;
import org.medida.simulator.TimeWindow;
import org.medida.simulator.model.EnergyTotals;
import org.medida.simulator.model.EventLog;
import org.medida.simulator.model.LoggedEvent;
import org.medida.simulator.model.MeterClock;
import org.medida.simulator.model.MeterModel;
import org.medida.simulator.model.PowerFailure;
import org.medida.simulator.model.ProfileEntry;

/**
 * What central must hold, per meter, according to the simulator's deterministic generator ({@link MeterModel}), and
 * how what it does hold compares: every load-profile value in the range collected from the meter, every billing
 * closure, every event. A value may be absent only where central received a DataDropped report for it (the edge's
 * disk budget) or where the meter was powered off (then central must hold a gap instead). Nothing may be duplicated,
 * differ, or be invented.
 */
final class EndToEndExpectation {

    static final String IMPORT = "1.0.1.8.0.255";
    static final String EXPORT = "1.0.2.8.0.255";
    /** The daily billing profile's columns and which register of the model each one is. */
    private static final Map<String, Function<EnergyTotals, Long>> BILLING_COLUMNS = Map.of(
            IMPORT, EnergyTotals::importWh,
            "1.0.1.8.1.255", t -> t.tariffWh(1),
            "1.0.1.8.2.255", t -> t.tariffWh(2),
            "1.0.1.8.3.255", t -> t.tariffWh(3),
            EXPORT, EnergyTotals::exportWh);
    /** Meter time kept clear of the edges of a meter's collected range when events and closures are expected. */
    private static final Duration EDGE_MARGIN = Duration.ofMinutes(10);

    /** How one fleet's simulator was started: serials {@code prefix000001..}, epoch, clock rate, profile shape. */
    record Fleet(String prefix, int meters, Instant epoch, Duration profilePeriod, int profileEntries,
            List<TimeWindow> poweredOff) {

        List<String> serials() {
            List<String> serials = new ArrayList<>();
            for (int i = 1; i <= meters; i++) {
                serials.add(String.format("%s%06d", prefix, i));
            }
            return serials;
        }

        /** The meter's model with its clock standing at {@code now}: the same history as the running meter. */
        MeterModel model(String serial, Instant now) {
            Instant wall = Instant.EPOCH.plus(Duration.between(epoch, now));
            MeterModel model = new MeterModel(serial, new MeterClock(Clock.fixed(wall, ZoneOffset.UTC), Instant.EPOCH,
                    epoch, 1, 0), profilePeriod, profileEntries);
            model.setPoweredOff(poweredOff);
            return model;
        }
    }

    /** The counts the end-to-end test prints and checks. */
    record Report(int meters, long intervalValues, long missing, long duplicates, long differing, long invented,
            long droppedAsReported, long poweredOffWithGap, long poweredOffWithoutGap, long gapsOverData,
            long closures, long closuresMissing, long events, long eventsMissing, long dropReports,
            List<String> examples) {

        boolean clean() {
            return missing == 0 && duplicates == 0 && differing == 0 && invented == 0 && poweredOffWithoutGap == 0
                    && gapsOverData == 0 && closuresMissing == 0 && eventsMissing == 0;
        }

        @Override
        public String toString() {
            return String.format("""
                    central vs MeterModel over %d meters:
                      interval values %d: missing %d, duplicates %d, differing %d, invented %d
                      excused: %d dropped by the edge's disk budget (in %d DataDropped reports), %d powered off \
                    with a gap (%d without one), gaps over measured data %d
                      billing closures %d (missing %d), events %d (missing %d)
                    %s""", meters, intervalValues, missing, duplicates, differing, invented, droppedAsReported,
                    dropReports, poweredOffWithGap, poweredOffWithoutGap, gapsOverData, closures, closuresMissing,
                    events, eventsMissing, examples.isEmpty() ? "" : "  e.g. " + String.join("\n       ", examples));
        }
    }

    private final Map<String, Fleet> fleetOf = new TreeMap<>();
    private final Duration eventLag;
    private final Duration backfill;

    /**
     * @param eventLag how far behind the last profile entry the last event read may lie (the events job's period
     *                 in meter time, plus margin)
     * @param backfill the collector's initial backfill: how far back the first read of a meter reaches
     */
    EndToEndExpectation(List<Fleet> fleets, Duration eventLag, Duration backfill) {
        fleets.forEach(fleet -> fleet.serials().forEach(serial -> fleetOf.put(serial, fleet)));
        this.eventLag = eventLag;
        this.backfill = backfill;
    }

    Set<String> serials() {
        return fleetOf.keySet();
    }

    Report compare(Contents central) {
        Counter c = new Counter();
        Map<String, List<IntervalValue>> intervals = central.intervals().stream()
                .collect(Collectors.groupingBy(IntervalValue::serial));
        Map<String, List<Span>> drops = central.drops().stream().collect(Collectors.groupingBy(Span::serial));
        Map<String, List<Span>> gaps = central.gaps().stream().collect(Collectors.groupingBy(Span::serial));
        Map<String, List<Reading>> readings = central.readings().stream()
                .collect(Collectors.groupingBy(Reading::serial));
        Map<String, List<Event>> events = central.events().stream().collect(Collectors.groupingBy(Event::serial));
        Set<String> unknown = new HashSet<>(intervals.keySet());
        unknown.removeAll(fleetOf.keySet());
        unknown.forEach(serial -> c.fail("invented", "values of a meter no fleet has: " + serial));

        for (Map.Entry<String, Fleet> meter : fleetOf.entrySet()) {
            String serial = meter.getKey();
            List<IntervalValue> values = intervals.getOrDefault(serial, List.of());
            if (values.isEmpty()) {
                c.fail("missing", serial + ": nothing collected");
                continue;
            }
            Fleet fleet = meter.getValue();
            Instant first = values.stream().map(IntervalValue::end).min(Instant::compareTo).orElseThrow();
            Instant last = values.stream().map(IntervalValue::end).max(Instant::compareTo).orElseThrow();
            List<Span> meterDrops = drops.getOrDefault(serial, List.of());
            for (Span drop : meterDrops) {
                first = drop.from().isBefore(first) ? drop.from() : first;
            }
            MeterModel model = fleet.model(serial, last.plus(fleet.profilePeriod()));
            compareIntervals(c, fleet, model, values, first, last, meterDrops, gaps.getOrDefault(serial, List.of()));
            compareClosures(c, model, readings.getOrDefault(serial, List.of()), first);
            compareEvents(c, model, events.getOrDefault(serial, List.of()), first, last);
        }
        return new Report(fleetOf.size(), c.get("values"), c.get("missing"), c.get("duplicates"), c.get("differing"),
                c.get("invented"), c.get("dropped"), c.get("gap"), c.get("no gap"), c.get("gap over data"),
                c.get("closures"), c.get("closures missing"), c.get("events"), c.get("events missing"),
                central.drops().size(), c.examples);
    }

    private void compareIntervals(Counter c, Fleet fleet, MeterModel model, List<IntervalValue> values, Instant first,
            Instant last, List<Span> drops, List<Span> gaps) {
        String serial = model.serial();
        Map<Instant, Map<String, List<IntervalValue>>> byEnd = new HashMap<>();
        for (IntervalValue value : values) {
            byEnd.computeIfAbsent(value.end(), e -> new HashMap<>())
                    .computeIfAbsent(value.obis(), o -> new ArrayList<>()).add(value);
        }
        for (Map.Entry<Instant, Map<String, List<IntervalValue>>> row : byEnd.entrySet()) {
            Instant end = row.getKey();
            if (!onBoundary(end, fleet) || model.poweredOffAt(end)) {
                c.fail("invented", serial + " " + end + ": a value where the meter captured none");
                continue;
            }
            ProfileEntry expected = model.profileEntryAt(end);
            for (Map.Entry<String, List<IntervalValue>> channel : row.getValue().entrySet()) {
                List<IntervalValue> stored = channel.getValue();
                c.add("duplicates", stored.size() - 1);
                IntervalValue value = stored.get(0);
                BigDecimal want = switch (channel.getKey()) {
                    case IMPORT -> BigDecimal.valueOf(expected.importWh());
                    case EXPORT -> BigDecimal.valueOf(expected.exportWh());
                    default -> null;
                };
                if (want == null) {
                    c.fail("invented", serial + " " + end + ": channel " + channel.getKey() + " is not in the profile");
                } else if (want.compareTo(value.value()) != 0 || value.status() != expected.status()) {
                    c.fail("differing", serial + " " + channel.getKey() + " " + end + ": " + value.value() + " status "
                            + value.status() + ", the meter measured " + want + " status " + expected.status());
                }
            }
        }
        Duration period = fleet.profilePeriod();
        for (Instant end = first; !end.isAfter(last); end = end.plus(period)) {
            Map<String, List<IntervalValue>> row = byEnd.getOrDefault(end, Map.of());
            for (String channel : List.of(IMPORT, EXPORT)) {
                if (row.containsKey(channel)) {
                    c.add("values", 1);
                } else if (model.poweredOffAt(end)) {
                    Instant at = end;
                    c.count(gaps.stream().anyMatch(g -> g.covers(at)) ? "gap" : "no gap",
                            serial + " " + end + ": powered off, but central has no gap there");
                } else if (covered(drops, end)) {
                    c.add("dropped", 1);
                } else {
                    c.fail("missing", serial + " " + channel + " " + end);
                }
            }
        }
        for (Span gap : gaps) {
            for (Instant end = gap.from(); !end.isAfter(gap.to()); end = end.plus(period)) {
                if (!model.poweredOffAt(end)) {
                    c.fail("gap over data", serial + " gap " + gap.from() + ".." + gap.to() + " covers " + end
                            + " where the meter has an entry");
                }
            }
        }
    }

    /** Every closure central holds equals the meter's; every midnight the first billing read reached is there. */
    private void compareClosures(Counter c, MeterModel model, List<Reading> readings, Instant first) {
        String serial = model.serial();
        Map<Instant, Map<String, Reading>> byMidnight = new HashMap<>();
        for (Reading reading : readings) {
            byMidnight.computeIfAbsent(reading.at(), t -> new HashMap<>()).put(reading.obis(), reading);
            Function<EnergyTotals, Long> register = BILLING_COLUMNS.get(reading.obis());
            if (register == null || !reading.at().equals(reading.at().truncatedTo(ChronoUnit.DAYS))
                    || model.poweredOffAt(reading.at())) {
                c.fail("invented", serial + " reading " + reading.obis() + " at " + reading.at() + " is no closure");
                continue;
            }
            long want = register.apply(model.totalsAt(reading.at()));
            if (BigDecimal.valueOf(want).compareTo(reading.value()) != 0) {
                c.fail("differing", serial + " closure " + reading.obis() + " at " + reading.at() + ": "
                        + reading.value() + ", the meter has " + want);
            }
        }
        // the billing job runs once at start and reads back as far as the profile's backfill
        Instant from = first.plus(EDGE_MARGIN);
        Instant to = first.plus(backfill).minus(EDGE_MARGIN);
        for (Instant midnight = from.truncatedTo(ChronoUnit.DAYS).plus(Duration.ofDays(1)); !midnight.isAfter(to);
                midnight = midnight.plus(Duration.ofDays(1))) {
            if (model.poweredOffAt(midnight)) {
                continue;
            }
            Map<String, Reading> columns = byMidnight.getOrDefault(midnight, Map.of());
            for (String obis : BILLING_COLUMNS.keySet()) {
                c.count(columns.containsKey(obis) ? "closures" : "closures missing",
                        serial + " closure " + obis + " at " + midnight + " missing");
            }
        }
    }

    /** Every event central holds is one the meter logged; every event inside the collected range is there. */
    private void compareEvents(Counter c, MeterModel model, List<Event> stored, Instant first, Instant last) {
        String serial = model.serial();
        Set<Event> expected = new HashSet<>();
        for (EventLog log : EventLog.values()) {
            for (LoggedEvent event : model.events(log)) {
                expected.add(new Event(serial, log.name(), event.time(), event.code(), 0));
            }
        }
        for (PowerFailure failure : model.powerFailures()) {
            expected.add(new Event(serial, "POWER_FAILURE", failure.start(), 1, failure.duration().toSeconds()));
        }
        Set<Event> held = new HashSet<>(stored);
        for (Event event : stored) {
            if (!expected.contains(event)) {
                c.fail("invented", serial + " event " + event + " the meter never logged");
            }
        }
        Instant from = first.plus(EDGE_MARGIN);
        Instant to = last.minus(eventLag);
        for (Event event : expected) {
            if (!event.at().isBefore(from) && !event.at().isAfter(to)) {
                c.count(held.contains(event) ? "events" : "events missing", serial + " event " + event + " missing");
            }
        }
    }

    private static boolean onBoundary(Instant end, Fleet fleet) {
        return end.getEpochSecond() % fleet.profilePeriod().toSeconds() == 0 && end.getNano() == 0;
    }

    private static boolean covered(List<Span> spans, Instant end) {
        return spans.stream().anyMatch(s -> s.covers(end));
    }

    /** Named counts, and the first few examples of what went wrong. */
    private static final class Counter {
        private static final int EXAMPLES = 12;
        private final Map<String, Long> counts = new HashMap<>();
        final List<String> examples = new ArrayList<>();

        void add(String name, long n) {
            counts.merge(name, n, Long::sum);
        }

        void fail(String name, String example) {
            add(name, 1);
            if (examples.size() < EXAMPLES) {
                examples.add(name + ": " + example);
            }
        }

        /** Counts {@code name}; an example is kept when the name says something is wrong. */
        void count(String name, String exampleIfWrong) {
            if (name.contains("missing") || name.startsWith("no ")) {
                fail(name, exampleIfWrong);
            } else {
                add(name, 1);
            }
        }

        long get(String name) {
            return counts.getOrDefault(name, 0L);
        }
    }
}
