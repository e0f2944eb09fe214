package org.medida.edge.shell;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.medida.edge.api.Backlog;
import org.medida.edge.api.DataClass;
import org.medida.edge.api.InventoryMeter;
import org.medida.edge.api.MeterInventory;
import org.medida.edge.api.MeterLink;
import org.medida.edge.api.MeterTask;
import org.medida.edge.api.OnDemandWork;
import org.medida.edge.api.Priority;
import org.medida.edge.api.Reachability;
import org.medida.edge.api.ReadingStore;
import org.medida.edge.api.RegisterReading;
import org.medida.edge.api.TaskKind;
import org.medida.edge.api.TaskOutcome;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Gogo commands for a field technician ({@code medida:meters}, {@code medida:read}, {@code medida:backlog}). Gogo
 * finds them through the {@code osgi.command.*} service properties, so the bundle needs no Gogo API; each command
 * returns the text Gogo prints.
 */
@Component(service = MedidaCommands.class, property = {"osgi.command.scope=medida",
        "osgi.command.function=meters", "osgi.command.function=read", "osgi.command.function=backlog"})
public final class MedidaCommands {

    /** How long a technician waits for an on-demand read before the task expires. */
    static final Duration READ_TIMEOUT = Duration.ofMinutes(2);

    private final MeterInventory inventory;
    private final OnDemandWork onDemand;
    private final ReadingStore store;
    private final Clock clock;

    @Activate
    public MedidaCommands(@Reference MeterInventory inventory, @Reference OnDemandWork onDemand,
            @Reference ReadingStore store) {
        this(inventory, onDemand, store, Clock.systemUTC());
    }

    MedidaCommands(MeterInventory inventory, OnDemandWork onDemand, ReadingStore store, Clock clock) {
        this.inventory = inventory;
        this.onDemand = onDemand;
        this.store = store;
        this.clock = clock;
    }

    /** The meter table: serial, state, link, reachability, last success and failure, profile high-water marks. */
    public String meters() {
        StringBuilder table = new StringBuilder(String.format(Locale.ROOT, "%-12s %-14s %-28s %-9s %-20s %-50s %s%n",
                "SERIAL", "STATE", "LINK", "REACHABLE", "LAST SUCCESS", "LAST FAILURE", "COLLECTED UP TO"));
        for (InventoryMeter meter : inventory.meters()) {
            Reachability reach = meter.reachability();
            String failure = reach.lastFailure() == null ? "-"
                    : reach.lastFailure() + " " + reach.lastFailureReason().kind() + " ("
                            + reach.consecutiveFailures() + "x) " + reach.lastFailureReason().detail();
            StringJoiner marks = new StringJoiner(" ");
            new TreeMap<>(meter.highWaterMarks()).forEach((profile, mark) -> marks.add(profile + "=" + mark));
            table.append(String.format(Locale.ROOT, "%-12s %-14s %-28s %-9s %-20s %-50s %s%n", meter.serial(),
                    meter.state(), describe(meter.meter().link()), reach.lastSuccess() == null && reach
                            .lastFailure() == null ? "?" : reach.reachable() ? "yes" : "no",
                    reach.lastSuccess() == null ? "-" : reach.lastSuccess().toString(), failure,
                    marks.length() == 0 ? "-" : marks.toString()));
        }
        return table.toString();
    }

    /** Reads the meter's energy registers now, ahead of scheduled work. */
    public String read(String serial) throws InterruptedException {
        return read(serial, TaskKind.READ_REGISTERS.name());
    }

    /** Runs one on-demand task ({@link TaskKind}, case-insensitive) on the meter and prints its outcome. */
    public String read(String serial, String kind) throws InterruptedException {
        TaskKind taskKind;
        try {
            taskKind = TaskKind.valueOf(kind.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return "unknown kind " + kind + "; one of " + Arrays.toString(TaskKind.values());
        }
        Instant now = clock.instant();
        MeterTask task = new MeterTask("shell-" + UUID.randomUUID(), serial, taskKind, 0, Priority.HIGH,
                now.plus(READ_TIMEOUT));
        try {
            TaskOutcome outcome = onDemand.submit(task).toCompletableFuture()
                    .get(READ_TIMEOUT.toSeconds() + 30, TimeUnit.SECONDS);
            return describe(outcome);
        } catch (ExecutionException | TimeoutException e) {
            return task.correlationId() + " " + serial + " FAIL no outcome: " + e;
        }
    }

    /** The store's backlog: rows waiting per data class, open batches, disk use. */
    public String backlog() {
        Backlog backlog = store.backlog();
        StringBuilder text = new StringBuilder();
        Map<DataClass, Long> entries = backlog.entries();
        for (DataClass dataClass : DataClass.values()) {
            text.append(String.format(Locale.ROOT, "%-10s %d%n", dataClass, entries.getOrDefault(dataClass, 0L)));
        }
        text.append(String.format(Locale.ROOT, "open batches %d, %d of %d bytes used%n", backlog.openBatches(),
                backlog.usedBytes(), backlog.maxBytes()));
        return text.toString();
    }

    static String describe(TaskOutcome outcome) {
        StringBuilder text = new StringBuilder(outcome.correlationId() + " " + outcome.serial() + " "
                + outcome.status() + (outcome.detail().isEmpty() ? "" : " " + outcome.detail())
                + System.lineSeparator());
        for (RegisterReading reading : outcome.registers()) {
            text.append(String.format(Locale.ROOT, "  %-16s %s %s%s%n", reading.obis(),
                    reading.value().toPlainString(), reading.unit(),
                    reading.captureTime() == null ? "" : " at " + reading.captureTime()));
        }
        if (outcome.supplyState() != null) {
            text.append("  relay ").append(outcome.supplyState().relayClosed() ? "closed" : "open")
                    .append(", control state ").append(outcome.supplyState().controlState())
                    .append(System.lineSeparator());
        }
        return text.toString();
    }

    private static String describe(MeterLink link) {
        if (link instanceof MeterLink.TcpWrapper wrapper) {
            return "wrapper " + wrapper.host() + ":" + wrapper.port() + "/" + wrapper.logicalDevice();
        }
        if (link instanceof MeterLink.TcpHdlc hdlc) {
            return "hdlc " + hdlc.host() + ":" + hdlc.port() + "/" + hdlc.physicalAddress() + "/"
                    + hdlc.logicalDevice();
        }
        MeterLink.SerialModeE serial = (MeterLink.SerialModeE) link;
        return "serial " + serial.portName();
    }
}
