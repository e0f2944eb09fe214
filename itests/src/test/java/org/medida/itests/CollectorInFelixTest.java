package org.medida.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Dictionary;
import java.util.HexFormat;
import java.util.Hashtable;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import javax.inject.Inject;

import org.junit.After;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.medida.edge.api.DataClass;
import org.medida.edge.api.InventoryMeter;
import org.medida.edge.api.MeterInventory;
import org.medida.edge.api.MeterSecurity;
import org.medida.edge.api.MeterTask;
import org.medida.edge.api.OnDemandWork;
import org.medida.edge.api.Priority;
import org.medida.edge.api.ReadingStore;
import org.medida.edge.api.TaskKind;
import org.medida.edge.api.TaskOutcome;
import org.medida.edge.api.TaskStatus;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerSuite;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.util.tracker.ServiceTracker;

/**
 * Inventory, collector and shell bundles on Felix with the store and the driver, configured through Configuration
 * Admin like a gateway: a meters file names two of the suite's simulated meters (wrapper and HDLC over TCP, both
 * HLS5-GMAC), the collector brings their load profiles into the store on schedule, and the technician's commands
 * list the meters, read one on demand and show the backlog.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerSuite.class)
public class CollectorInFelixTest {

    private static final String INVENTORY = "org.medida.edge.inventory";
    private static final String COLLECTOR = "org.medida.edge.collector";
    private static final String LOAD_PROFILE = "1.0.99.1.0.255";
    private static final Duration WAIT = Duration.ofSeconds(90);

    @Inject
    private BundleContext context;

    @Configuration
    public Option[] config() {
        return EdgeRuntime.options();
    }

    @After
    public void removeConfigurations() throws Exception {
        configAdmin().getConfiguration(COLLECTOR, "?").delete();
        configAdmin().getConfiguration(INVENTORY, "?").delete();
    }

    @Test
    public void collectsTheMetersOfTheMetersFileAndAnswersTheTechniciansCommands() throws Exception {
        Path dir = Files.createTempDirectory(Path.of(System.getProperty(SimulatedMetersSuite.STATE_DIR)).getParent(),
                "collector-");
        Path metersFile = dir.resolve("meters.csv");
        Files.write(metersFile, List.of(
                "serial,transport,host,port,logical_device,physical_address,channel,security,password,"
                        + "encryption_key,authentication_key,state",
                line(TestMeter.WRAPPER, "WRAPPER"),
                line(TestMeter.HDLC, "HDLC"),
                "BROKEN,WRAPPER,127.0.0.1,not-a-port,1,16,,NONE,,,,"));
        Dictionary<String, Object> inventory = new Hashtable<>();
        inventory.put("databasePath", dir.resolve("inventory.db").toString());
        inventory.put("importFile", metersFile.toString());
        configAdmin().getConfiguration(INVENTORY, "?").update(inventory);
        MeterInventory meters = service(MeterInventory.class, "(databasePath=" + dir.resolve("inventory.db") + ")");
        assertEquals(Stream.of(TestMeter.WRAPPER.serial(), TestMeter.HDLC.serial()).sorted().toList(),
                meters.meters().stream().map(InventoryMeter::serial).sorted().toList());

        Dictionary<String, Object> collector = new Hashtable<>();
        collector.put("profileEverySeconds", 5L);
        collector.put("initialBackfillHours", 2L);
        collector.put("eventsEverySeconds", 5L);
        // the suite's meters are shared: their clocks stay as they are
        collector.put("clockEverySeconds", 0L);
        configAdmin().getConfiguration(COLLECTOR, "?").update(collector);

        // Nothing has asked for the collector's service yet: it collects on its own schedule (immediate component).
        await("both load profiles collected", () -> meters.meters().stream()
                .allMatch(m -> m.highWaterMark(LOAD_PROFILE).isPresent() && m.reachability().reachable()));
        OnDemandWork onDemand = service(OnDemandWork.class, "(profileEverySeconds=5)");
        ReadingStore store = service(ReadingStore.class, null);
        assertTrue(store.backlog().entries().getOrDefault(DataClass.INTERVALS, 0L) > 0);

        TaskOutcome unknown = onDemand.submit(new MeterTask("itest-unknown", "NOPE", TaskKind.READ_REGISTERS, 0,
                Priority.HIGH, Instant.now().plusSeconds(30))).toCompletableFuture().get(60, TimeUnit.SECONDS);
        assertEquals(TaskStatus.FAIL, unknown.status());

        Object shell = shellCommands();
        String table = (String) shell.getClass().getMethod("meters").invoke(shell);
        assertTrue(table, table.contains(TestMeter.WRAPPER.serial()) && table.contains(TestMeter.HDLC.serial()));
        assertTrue(table, table.contains("COMMISSIONED") && table.contains(LOAD_PROFILE + "="));
        String read = (String) shell.getClass().getMethod("read", String.class).invoke(shell,
                TestMeter.HDLC.serial());
        assertTrue(read, read.contains(TestMeter.HDLC.serial() + " EXE") && read.contains("1.0.1.8.0.255"));
        String backlog = (String) shell.getClass().getMethod("backlog").invoke(shell);
        assertTrue(backlog, backlog.contains("INTERVALS") && backlog.contains("open batches"));
    }

    /** A meters file line for a suite meter, with its HLS5 keys. */
    private static String line(TestMeter meter, String transport) {
        MeterSecurity keys = meter.hls5Gmac().security();
        String endpoint = System.getProperty("medida.itest.meter." + meter.name() + ".endpoint");
        String host = endpoint.substring(0, endpoint.lastIndexOf(':'));
        String port = endpoint.substring(endpoint.lastIndexOf(':') + 1);
        return String.join(",", meter.serial(), transport, host, port, "1", "16", "", "HLS5_GMAC", "",
                HexFormat.of().formatHex(keys.encryptionKey()), HexFormat.of().formatHex(keys.authenticationKey()),
                "COMMISSIONED");
    }

    private ConfigurationAdmin configAdmin() {
        return context.getService(context.getServiceReference(ConfigurationAdmin.class));
    }

    private <S> S service(Class<S> type, String filter) throws Exception {
        String full = filter == null ? "(objectClass=" + type.getName() + ")"
                : "(&(objectClass=" + type.getName() + ")" + filter + ")";
        ServiceTracker<S, S> tracker = new ServiceTracker<>(context, context.createFilter(full), null);
        tracker.open();
        S service = tracker.waitForService(WAIT.toMillis());
        if (service == null) {
            throw new AssertionError("no service " + full);
        }
        return service;
    }

    private Object shellCommands() throws Exception {
        ServiceReference<?>[] references = context.getServiceReferences((String) null,
                "(&(osgi.command.scope=medida)(osgi.command.function=meters))");
        assertTrue("the medida:meters command is registered", references != null && references.length == 1);
        return context.getService(references[0]);
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        Instant deadline = Instant.now().plus(WAIT);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("timed out after " + WAIT + " waiting for " + what);
            }
            Thread.sleep(100);
        }
    }
}
