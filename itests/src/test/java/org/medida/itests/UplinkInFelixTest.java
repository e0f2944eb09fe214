package org.medida.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

import javax.inject.Inject;

import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.After;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.medida.edge.api.Batch;
import org.medida.edge.api.DataClass;
import org.medida.edge.api.Interval;
import org.medida.edge.api.IntervalBlock;
import org.medida.edge.api.ProfileChannel;
import org.medida.edge.api.ReadingStore;
import org.medida.protocol.BatchAck;
import org.medida.protocol.GatewayStatus;
import org.medida.protocol.Payloads;
import org.medida.protocol.Topics;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerSuite;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.metatype.AttributeDefinition;
import org.osgi.service.metatype.MetaTypeService;
import org.osgi.service.metatype.ObjectClassDefinition;

/**
 * The uplink bundle on Felix with the store bundle, Paho and the protocol bundle, configured through Configuration
 * Admin, publishing to the suite's Mosquitto: what the store holds reaches a stand-in for central and is deleted
 * once central acknowledged it; a new configuration moves the uplink to another gateway id.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerSuite.class)
public class UplinkInFelixTest {

    private static final String PID = "org.medida.edge.uplink";
    private static final Duration WAIT = Duration.ofSeconds(60);

    @Inject
    private BundleContext context;

    private final List<AutoCloseable> cleanup = new ArrayList<>();

    @Configuration
    public Option[] config() {
        return EdgeRuntime.options();
    }

    @After
    public void removeUplinkConfiguration() throws Exception {
        org.osgi.service.cm.Configuration configuration = configAdmin().getConfiguration(PID, "?");
        configuration.delete();
        for (AutoCloseable closeable : cleanup) {
            closeable.close();
        }
    }

    @Test
    public void describesItsConfigurationWithThePasswordsAsPasswords() {
        Bundle uplink = context.getBundle(EdgeRuntime.locationOf("edge.uplink"));
        MetaTypeService metaType = context.getService(context.getServiceReference(MetaTypeService.class));
        ObjectClassDefinition ocd = metaType.getMetaTypeInformation(uplink).getObjectClassDefinition(PID, null);
        for (AttributeDefinition attribute : ocd.getAttributeDefinitions(ObjectClassDefinition.ALL)) {
            boolean secret = attribute.getID().toLowerCase().endsWith("password");
            assertEquals(attribute.getID(), secret, attribute.getType() == AttributeDefinition.PASSWORD);
        }
    }

    @Test
    public void publishesTheStoresBatchesAndDeletesThemOnlyOnceCentralAcknowledged() throws Exception {
        ReadingStore store = context.getService(context.getServiceReference(ReadingStore.class));
        drainLeftoversOf(store);
        Central central = new Central("gw-felix");
        cleanup.add(central);

        configure("gw-felix");
        await("the birth", () -> central.statuses.stream().anyMatch(GatewayStatus::online));
        store.appendIntervals(day("FELIX-1", LocalDate.of(2026, 11, 1)));
        store.appendIntervals(day("FELIX-1", LocalDate.of(2026, 11, 2)));

        await("both days at central", () -> central.batches.stream().filter(b -> b.serial().equals("FELIX-1"))
                .count() == 2);
        await("the store emptied", () -> intervalsIn(store) == 0);
        assertEquals(List.of(LocalDate.of(2026, 11, 1), LocalDate.of(2026, 11, 2)),
                central.batches.stream().filter(b -> b.serial().equals("FELIX-1")).map(Batch::day).toList());

        String shown = (String) commandService().getClass().getMethod("uplink").invoke(commandService());
        assertTrue(shown, shown.contains("connected:         yes"));
        assertTrue(shown, shown.contains("gateway gw-felix"));

        Central other = new Central("gw-felix-2");
        cleanup.add(other);
        configure("gw-felix-2");
        await("the birth under the new gateway id", () -> other.statuses.stream().anyMatch(GatewayStatus::online));
        store.appendIntervals(day("FELIX-2", LocalDate.of(2026, 11, 3)));
        await("the new day at the new gateway's central", () -> other.batches.size() == 1);
        await("the store emptied", () -> intervalsIn(store) == 0);
    }

    /** Data an earlier test class left in the shared store goes to a central that commits it, before this test. */
    private void drainLeftoversOf(ReadingStore store) throws Exception {
        if (store.backlog().entries().values().stream().mapToLong(Long::longValue).sum() == 0) {
            return;
        }
        try (Central sink = new Central("gw-felix-sink")) {
            configure("gw-felix-sink");
            await("the shared store emptied", () -> store.backlog().entries().values().stream()
                    .mapToLong(Long::longValue).sum() == 0);
        }
    }

    private void configure(String gateway) throws Exception {
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put("brokerUrl", System.getProperty(UplinkBroker.URL));
        properties.put("gatewayId", gateway);
        properties.put("ackTimeoutSeconds", 5);
        properties.put("reconnectMinBackoffMillis", 100);
        properties.put("reconnectMaxBackoffMillis", 1000);
        configAdmin().getConfiguration(PID, "?").update(properties);
    }

    private ConfigurationAdmin configAdmin() {
        return context.getService(context.getServiceReference(ConfigurationAdmin.class));
    }

    private Object commandService() throws Exception {
        ServiceReference<?>[] references = context.getServiceReferences((String) null,
                "(&(osgi.command.scope=medida)(osgi.command.function=uplink))");
        assertTrue("the medida:uplink command is registered", references != null && references.length == 1);
        return context.getService(references[0]);
    }

    private static long intervalsIn(ReadingStore store) {
        return store.backlog().entries().getOrDefault(DataClass.INTERVALS, 0L);
    }

    private static IntervalBlock day(String serial, LocalDate day) {
        Instant midnight = day.atStartOfDay(ZoneOffset.UTC).toInstant();
        List<Interval> entries = new ArrayList<>();
        for (int i = 0; i < 96; i++) {
            entries.add(new Interval(midnight.plus(Duration.ofMinutes(15L * i)), 0,
                    List.of(BigDecimal.valueOf(100_000 + i, 1))));
        }
        return new IntervalBlock(serial, "1.0.99.1.0.255", Duration.ofMinutes(15),
                List.of(new ProfileChannel("1.0.1.8.0.255", "Wh")), entries);
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        Instant deadline = Instant.now().plus(WAIT);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("timed out after " + WAIT + " waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    /** Central for one gateway: records its batches and status, commits every batch. */
    private static final class Central implements AutoCloseable {
        final List<Batch> batches = new CopyOnWriteArrayList<>();
        final List<GatewayStatus> statuses = new CopyOnWriteArrayList<>();
        private final MqttClient client;

        Central(String gateway) throws Exception {
            client = new MqttClient(System.getProperty(UplinkBroker.URL), "central-" + gateway,
                    new MemoryPersistence());
            MqttConnectOptions options = new MqttConnectOptions();
            options.setCleanSession(true);
            client.connect(options);
            client.subscribe(Topics.status(gateway), 1, (topic, message) ->
                    statuses.add(Payloads.decodeStatus(message.getPayload())));
            client.subscribe(Topics.batch(gateway), 1, (topic, message) -> {
                Batch batch = Payloads.decodeBatch(message.getPayload());
                batches.add(batch);
                // asynchronously: this is Paho's callback thread, which must not wait for its own publish
                client.getTopic(Topics.ack(gateway)).publish(Payloads.encodeAck(BatchAck.committed(batch.id())),
                        1, false);
            });
        }

        @Override
        public void close() throws Exception {
            client.disconnect();
            client.close();
        }
    }
}
