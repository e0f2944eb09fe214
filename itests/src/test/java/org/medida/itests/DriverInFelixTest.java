package org.medida.itests;

import javax.inject.Inject;

import org.junit.After;
import org.junit.Before;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerSuite;
import org.osgi.framework.BundleContext;

/**
 * A test that runs inside Felix with the edge runtime and talks to the simulated meters through the DLMS driver
 * bundle. All test classes share one framework, as a gateway has one (jSerialComm's native library, for one, can
 * be loaded by only one class loader per JVM); the driver is configured before each test.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerSuite.class)
public abstract class DriverInFelixTest {

    @Inject
    protected BundleContext context;

    protected DriverUnderTest driver;

    @Configuration
    public Option[] config() {
        return EdgeRuntime.options();
    }

    @Before
    public void configureDriver() throws Exception {
        driver = DriverUnderTest.configure(context, DriverUnderTest.defaults());
    }

    @After
    public void releaseDriver() {
        driver.close();
    }
}
