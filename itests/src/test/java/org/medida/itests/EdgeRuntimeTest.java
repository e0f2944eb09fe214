package org.medida.itests;

import static org.junit.Assert.assertEquals;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

import javax.inject.Inject;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.medida.edge.api.MeterDriver;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerSuite;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.namespace.PackageNamespace;
import org.osgi.framework.wiring.BundleWiring;
import org.osgi.service.metatype.MetaTypeService;

/**
 * The edge runtime itself: every bundle resolves and starts in Felix, packages are wired to the bundles meant to
 * provide them, and the driver bundle offers its service and configuration description.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerSuite.class)
public class EdgeRuntimeTest {

    private static final String API_PACKAGE = MeterDriver.class.getPackageName();

    @Inject
    private BundleContext context;

    @Configuration
    public Option[] config() {
        return EdgeRuntime.options();
    }

    @Test
    public void runsOnFelix7() {
        Bundle system = context.getBundle(Constants.SYSTEM_BUNDLE_LOCATION);
        assertEquals("org.apache.felix.framework", system.getSymbolicName());
        assertEquals(7, system.getVersion().getMajor());
    }

    @Test
    public void everyBundleIsActive() {
        String notActive = Arrays.stream(context.getBundles())
                .filter(b -> b.getHeaders().get(Constants.FRAGMENT_HOST) == null)
                .filter(b -> b.getState() != Bundle.ACTIVE)
                .map(b -> b.getSymbolicName() + " " + b.getVersion() + " state " + b.getState())
                .collect(Collectors.joining(", "));
        assertEquals("bundles not active", "", notActive);
    }

    @Test
    public void driverBundleRegistersTheMeterDriverAndDescribesItsConfiguration() {
        Bundle driver = installedFrom("edge.dlms");
        assertEquals(driver, context.getServiceReference(MeterDriver.class).getBundle());

        MetaTypeService metaType = context.getService(context.getServiceReference(MetaTypeService.class));
        assertEquals(List.of(DriverUnderTest.PID), List.of(metaType.getMetaTypeInformation(driver).getPids()));
    }

    @Test
    public void apiPackageIsWiredFromTheApiBundle() {
        assertEquals(List.of(installedFrom("edge.api")),
                providersOf(FrameworkUtil.getBundle(getClass()), API_PACKAGE));
        assertEquals(List.of(installedFrom("edge.api")), providersOf(installedFrom("edge.dlms"), API_PACKAGE));
    }

    /**
     * jDLMS imports its serial library and ASN.1 coder optionally: an optional import is only wired if the provider
     * is there when jDLMS resolves, so the serial path silently breaks if the order is wrong.
     */
    @Test
    public void jdlmsIsWiredToJrxtxOnJserialCommAndToAsn1bean() {
        Bundle jdlms = installedFrom("jdlms");
        assertEquals(List.of(installedFrom("jrxtx")), providersOf(jdlms, "org.openmuc.jrxtx"));
        assertEquals(List.of(installedFrom("asn1bean")), providersOf(jdlms, "com.beanit.asn1bean.ber"));
        assertEquals(List.of(installedFrom("jserialcomm")),
                providersOf(installedFrom("jrxtx"), "com.fazecast.jSerialComm"));
    }

    private static List<Bundle> providersOf(Bundle importer, String packageName) {
        return importer.adapt(BundleWiring.class).getRequiredWires(PackageNamespace.PACKAGE_NAMESPACE).stream()
                .filter(w -> packageName.equals(w.getCapability().getAttributes().get(PackageNamespace.PACKAGE_NAMESPACE)))
                .map(w -> w.getProvider().getBundle())
                .toList();
    }

    private Bundle installedFrom(String name) {
        return context.getBundle(EdgeRuntime.locationOf(name));
    }
}
