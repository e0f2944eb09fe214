package org.medida.itests;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.concurrent.TimeUnit;

import org.medida.edge.api.DriverResult;
import org.medida.edge.api.MeterConversation;
import org.medida.edge.api.MeterDriver;
import org.medida.edge.api.MeterRef;
import org.medida.edge.api.Priority;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.util.tracker.ServiceTracker;

/**
 * The DLMS driver bundle as a gateway uses it: configured through Configuration Admin, then reached as a
 * {@link MeterDriver} service. Runs inside the framework.
 */
final class DriverUnderTest implements AutoCloseable {

    static final String PID = "org.medida.edge.dlms";
    /** Configuration property: the directory where the driver persists the invocation counter of every meter. */
    static final String STATE_DIRECTORY = "stateDirectory";

    /** Long enough for retries over the slowest link (serial at 300 baud sign-on), short enough to fail fast. */
    private static final long ANSWER_TIMEOUT_SECONDS = 60;
    private static final long SERVICE_TIMEOUT_MILLIS = 30_000;

    private final ServiceTracker<MeterDriver, MeterDriver> tracker;

    private DriverUnderTest(ServiceTracker<MeterDriver, MeterDriver> tracker) {
        this.tracker = tracker;
    }

    /**
     * Configures the driver (a no-op when the configuration is already in place) and waits for the service that
     * carries this configuration: Declarative Services publishes a component's configuration as service properties.
     */
    static DriverUnderTest configure(BundleContext context, Dictionary<String, Object> properties)
            throws IOException, InterruptedException, InvalidSyntaxException {
        ConfigurationAdmin configAdmin = context.getService(context.getServiceReference(ConfigurationAdmin.class));
        Configuration configuration = configAdmin.getConfiguration(PID, "?");
        configuration.updateIfDifferent(properties);
        ServiceTracker<MeterDriver, MeterDriver> tracker =
                new ServiceTracker<>(context, context.createFilter(serviceFilter(properties)), null);
        tracker.open();
        if (tracker.waitForService(SERVICE_TIMEOUT_MILLIS) == null) {
            tracker.close();
            throw new IllegalStateException("no " + MeterDriver.class.getSimpleName() + " service after configuring "
                    + PID);
        }
        return new DriverUnderTest(tracker);
    }

    /** The configuration every test starts from: the driver keeps its state in the suite's state directory. */
    static Dictionary<String, Object> defaults() {
        return withState(Path.of(System.getProperty(SimulatedMetersSuite.STATE_DIR)));
    }

    /** A driver that remembers nothing, as after its storage was lost. */
    static Dictionary<String, Object> freshState() throws IOException {
        Path suiteState = Path.of(System.getProperty(SimulatedMetersSuite.STATE_DIR));
        return withState(Files.createTempDirectory(suiteState.getParent(), "fresh-driver-state-"));
    }

    private static Dictionary<String, Object> withState(Path stateDirectory) {
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put(STATE_DIRECTORY, stateDirectory.toString());
        return properties;
    }

    private static String serviceFilter(Dictionary<String, Object> properties) {
        StringBuilder filter = new StringBuilder("(&(" + Constants.OBJECTCLASS + "=" + MeterDriver.class.getName() + ")");
        for (String key : Collections.list(properties.keys())) {
            filter.append('(').append(key).append('=').append(escape(String.valueOf(properties.get(key)))).append(')');
        }
        return filter.append(')').toString();
    }

    private static String escape(String value) {
        return value.replace("\\", "\\\\").replace("*", "\\*").replace("(", "\\(").replace(")", "\\)");
    }

    /** Runs one conversation with a meter and waits for its result. */
    <T> DriverResult<T> talk(MeterRef meter, MeterConversation<T> conversation) throws Exception {
        return talk(meter, Priority.NORMAL, conversation);
    }

    <T> DriverResult<T> talk(MeterRef meter, Priority priority, MeterConversation<T> conversation) throws Exception {
        // waited for, not just taken: a configuration change of the previous test may be re-registering the driver
        MeterDriver driver = tracker.waitForService(SERVICE_TIMEOUT_MILLIS);
        if (driver == null) {
            throw new IllegalStateException("no " + MeterDriver.class.getSimpleName() + " service within "
                    + SERVICE_TIMEOUT_MILLIS + " ms");
        }
        return driver.submit(meter, priority, conversation)
                .toCompletableFuture()
                .get(ANSWER_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }

    /** The value of a successful conversation; a failure fails the test with the driver's typed reason. */
    <T> T read(MeterRef meter, MeterConversation<T> conversation) throws Exception {
        return Assertions.value(meter.serial() + " over " + meter.link(), talk(meter, conversation));
    }

    @Override
    public void close() {
        tracker.close();
    }
}
