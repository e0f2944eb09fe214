package org.medida.itests;

import org.junit.ClassRule;
import org.junit.runner.RunWith;
import org.junit.runners.Suite;
import org.junit.runners.Suite.SuiteClasses;

/**
 * Every in-container test, run against one set of simulated meters. JUnit runs this suite outside the framework, so
 * the simulators start once before the first test class and stop after the last, while the test classes share one
 * Felix. Pax Exam runs a test class's own {@code @BeforeClass} inside the framework, once per test method, which is
 * why the meters are not started there.
 */
@RunWith(Suite.class)
@SuiteClasses({
        EdgeRuntimeTest.class,
        TransportsTest.class,
        SecurityTest.class,
        ProfilesAndEventsTest.class,
        DisconnectorTest.class,
        FailuresTest.class,
        UplinkInFelixTest.class,
        CollectorInFelixTest.class })
public class SimulatedMetersSuite {

    /** System property: where the driver keeps its state (invocation counters) for the whole suite. */
    static final String STATE_DIR = "medida.itest.state.dir";

    @ClassRule
    public static final SimulatedFleets FLEETS = new SimulatedFleets();

    /** A Mosquitto for {@link UplinkInFelixTest}, its URL in the system property {@value UplinkBroker#URL}. */
    @ClassRule
    public static final UplinkBroker UPLINK_BROKER = new UplinkBroker();
}
