package org.medida.itests;

import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.ops4j.pax.exam.Option;

/**
 * The edge runtime the in-container tests run in: Felix with the OSGi services our bundles use, jDLMS and its
 * dependencies, and the Medida edge bundles, each installed from the jar file Maven resolved (Surefire passes
 * the paths as {@code medida.bundle.*} system properties, see the POM).
 */
final class EdgeRuntime {

    /** Installed and started in this order; dependencies first so every bundle resolves on its first start. */
    static final List<String> BUNDLES = List.of(
            "asm", "asm-tree", "asm-analysis", "asm-commons", "asm-util", "spifly", "slf4j.api", "slf4j.simple",
            "component", "promise", "function", "configadmin", "log", "scr", "metatype", "eventadmin",
            "bcprov", "asn1bean", "jserialcomm", "jrxtx", "jdlms",
            "edge.api", "edge.dlms", "protocol", "paho", "sqlite", "edge.store", "edge.uplink",
            "edge.tasks", "edge.inventory", "edge.collector", "edge.shell");

    private EdgeRuntime() {
    }

    /**
     * Pax Exam's options for the runtime. The native container runs Felix in the test JVM, so the tests inside read
     * the same system properties (meter ports, device paths) as the code outside.
     */
    static Option[] options() {
        List<Option> all = new ArrayList<>();
        all.add(junitBundles());
        BUNDLES.forEach(name -> all.add(bundle(locationOf(name))));
        return all.toArray(Option[]::new);
    }

    /**
     * The location (a {@code file:} URL) the named bundle is installed from. The native container shares the test JVM, so the same system
     * properties are visible inside the framework.
     */
    static String locationOf(String name) {
        String property = "medida.bundle." + name;
        String path = System.getProperty(property);
        if (path == null || !Files.isRegularFile(Path.of(path))) {
            throw new IllegalStateException("bundle jar not found for " + property + " = " + path
                    + " (run the tests through Maven, which resolves the bundles)");
        }
        return Path.of(path).toUri().toString();
    }
}
