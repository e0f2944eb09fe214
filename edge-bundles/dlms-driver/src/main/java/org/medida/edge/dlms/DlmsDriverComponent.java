package org.medida.edge.dlms;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.CompletionStage;

import org.medida.edge.api.DriverResult;
import org.medida.edge.api.MeterConversation;
import org.medida.edge.api.MeterDriver;
import org.medida.edge.api.MeterRef;
import org.medida.edge.api.Priority;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Publishes a {@link DlmsMeterDriver} as the gateway's {@link MeterDriver}, configured through Configuration Admin
 * (PID {@value #PID}). A new configuration replaces the driver: conversations still waiting complete as failed.
 */
@Component(name = DlmsDriverComponent.PID, service = MeterDriver.class)
@Designate(ocd = DlmsDriverComponent.Config.class)
public final class DlmsDriverComponent implements MeterDriver {

    static final String PID = "org.medida.edge.dlms";

    @ObjectClassDefinition(id = PID, name = "Medida DLMS driver",
            description = "Reads DLMS/COSEM meters over TCP wrapper, HDLC over TCP and serial mode E.")
    @interface Config {
        @AttributeDefinition(description = "Directory where the HLS5 invocation counter of every meter is kept; "
                + "empty for the bundle's own storage area.")
        String stateDirectory() default "";

        @AttributeDefinition(description = "The gateway's HLS5 system title: 16 hex digits, 3 manufacturer letters "
                + "and 5 bytes.")
        String clientSystemTitle() default "4D45440000000001";

        @AttributeDefinition(description = "How long opening a TCP connection to a meter or its modem may take, "
                + "in milliseconds.")
        int connectTimeoutMillis() default 10000;

        @AttributeDefinition(description = "How long one request waits for the meter's answer, in milliseconds.")
        int requestTimeoutMillis() default 5000;

        @AttributeDefinition(description = "How often a conversation that timed out or could not connect is "
                + "tried again.")
        int retries() default 2;

        @AttributeDefinition(description = "Pause before the first retry in milliseconds, doubled for each "
                + "further one.")
        int retryBackoffMillis() default 500;

        @AttributeDefinition(description = "How many channels (PLC segments, RF modems, serial ports) are talked to "
                + "at the same time.")
        int parallelChannels() default 8;
    }

    private final DlmsMeterDriver driver;

    @Activate
    public DlmsDriverComponent(BundleContext context, Config config) {
        Path stateDirectory = config.stateDirectory().isBlank()
                ? context.getDataFile("invocation-counters").toPath()
                : Path.of(config.stateDirectory());
        this.driver = new DlmsMeterDriver(new DriverSettings(stateDirectory,
                HexFormat.of().parseHex(config.clientSystemTitle()), Duration.ofMillis(config.connectTimeoutMillis()),
                Duration.ofMillis(config.requestTimeoutMillis()), config.retries(),
                Duration.ofMillis(config.retryBackoffMillis()), config.parallelChannels()));
    }

    @Override
    public <T> CompletionStage<DriverResult<T>> submit(MeterRef meter, Priority priority,
            MeterConversation<T> conversation) {
        return driver.submit(meter, priority, conversation);
    }

    @Deactivate
    void deactivate() {
        driver.close();
    }
}
