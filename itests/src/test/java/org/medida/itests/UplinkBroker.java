package org.medida.itests;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.rules.ExternalResource;
import org.medida.testing.MosquittoBroker;

/**
 * A Mosquitto of the suite's own, for the uplink inside Felix. It runs outside the framework, like the simulated
 * meters, and its URL reaches the test inside through a system property (the native container shares the JVM).
 */
final class UplinkBroker extends ExternalResource {

    /** System property: the broker's URL. */
    static final String URL = "medida.itest.mosquitto.url";

    private MosquittoBroker broker;

    @Override
    protected void before() throws Exception {
        Path target = Path.of(System.getProperty("medida.itest.target", "target"));
        broker = MosquittoBroker.start(Files.createTempDirectory(target, "uplink-broker-"));
        System.setProperty(URL, broker.url());
    }

    @Override
    protected void after() {
        if (broker != null) {
            broker.close();
        }
    }
}
