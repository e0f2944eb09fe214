package org.medida.edge.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

import org.apache.felix.scr.impl.Activator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medida.edge.api.ReadingStore;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;
import org.osgi.service.component.ComponentContext;
import org.osgi.util.function.Function;
import org.osgi.util.promise.Promise;
import org.sqlite.JDBC;

/**
 * The bundle as a gateway runs it: Felix with SCR, the API bundle, the sqlite-jdbc bundle (whose native library must
 * load inside OSGi) and this bundle from target/classes. Without a configuration the store opens in the bundle's
 * data area and registers {@link ReadingStore}.
 */
class StoreInFelixTest {

    @TempDir
    Path directory;

    @Test
    void theBundleRegistersTheStoreInItsDataArea() throws Exception {
        Framework felix = ServiceLoader.load(FrameworkFactory.class).findFirst().orElseThrow()
                .newFramework(Map.of(Constants.FRAMEWORK_STORAGE, directory.resolve("felix").toString(),
                        Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT));
        felix.start();
        try {
            BundleContext context = felix.getBundleContext();
            List<Bundle> bundles = new ArrayList<>();
            // dependencies first: SCR's API and utilities, SCR, the API bundle, SQLite, then the store
            for (Class<?> fromBundle : List.of(Function.class, Promise.class, ComponentContext.class, Activator.class,
                    ReadingStore.class, JDBC.class, StoreComponent.class)) {
                Path location = Path.of(fromBundle.getProtectionDomain().getCodeSource().getLocation().toURI());
                bundles.add(context.installBundle("reference:" + location.toUri()));
            }
            for (Bundle bundle : bundles) {
                bundle.start();
            }

            // all references: the test's own class path has another copy of the API, so no service would be
            // "assignable" to the framework's launcher
            ServiceReference<?>[] registered = context.getAllServiceReferences(ReadingStore.class.getName(), null);
            assertNotNull(registered, "no ReadingStore service");
            Object store = context.getService(registered[0]);
            assertNotNull(store, "the component did not activate");
            Bundle storeBundle = registered[0].getBundle();
            assertEquals("org.medida.edge.store", storeBundle.getSymbolicName());
            assertEquals(Bundle.ACTIVE, storeBundle.getState());
            // the service object lives in the framework's class space: ask it through its own interface
            Object backlog = store.getClass().getMethod("backlog").invoke(store);
            assertTrue(backlog.toString().contains("maxBytes=268435456"), backlog.toString());
            assertTrue(Files.isRegularFile(storeBundle.getDataFile("store.db").toPath()));
        } finally {
            felix.stop();
            felix.waitForStop(10_000);
        }
    }
}
