package org.medida.edge.uplink;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import org.medida.edge.api.MeterInventory;
import org.medida.edge.api.OnDemandWork;
import org.medida.edge.api.ReadingStore;
import org.medida.edge.uplink.UplinkSettings.TlsMaterial;
import org.medida.protocol.CommandVerifier;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Runs the {@link MqttUplink} of this gateway, configured through Configuration Admin (PID {@value #PID}; nothing
 * runs until it is configured, as there is no sensible default broker). A new configuration restarts the uplink:
 * batches awaiting their acknowledgement are released and go out again on the new connection. It registers the
 * field technician's {@code medida:uplink} Gogo command ({@link UplinkCommand}). Central's inventory changes go to
 * the {@link MeterInventory} service when it runs. The component itself is no service,
 * so its configuration, passwords included, never shows up as service properties.
 */
@Component(name = UplinkComponent.PID, service = {}, immediate = true,
        configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = UplinkComponent.Config.class)
public final class UplinkComponent {

    static final String PID = "org.medida.edge.uplink";

    @ObjectClassDefinition(id = PID, name = "Medida uplink",
            description = "Publishes the store's batches to central over MQTT and deletes them once central "
                    + "committed them.")
    @interface Config {
        @AttributeDefinition(description = "The broker: tcp://host:port or ssl://host:port.")
        String brokerUrl();

        @AttributeDefinition(description = "This gateway's id (1 to 64 of A-Z a-z 0-9 . _ -): its topics "
                + "medida/v1/gw/<id>/... and its MQTT client id.")
        String gatewayId();

        @AttributeDefinition(description = "MQTT user name; empty to connect without credentials.", required = false)
        String username() default "";

        @AttributeDefinition(type = AttributeType.PASSWORD, description = "MQTT password.", required = false)
        String password() default "";

        @AttributeDefinition(description = "For ssl://: the trust store (PKCS12 or JKS) with the CA of the broker's "
                + "certificate; empty for the JVM's default trust.", required = false)
        String trustStorePath() default "";

        @AttributeDefinition(type = AttributeType.PASSWORD, description = "Password of the trust store.",
                required = false)
        String trustStorePassword() default "";

        @AttributeDefinition(description = "For ssl:// with client certificates: the key store (PKCS12 or JKS) with "
                + "this gateway's certificate and key; empty for none.", required = false)
        String keyStorePath() default "";

        @AttributeDefinition(type = AttributeType.PASSWORD, description = "Password of the key store and its key.",
                required = false)
        String keyStorePassword() default "";

        @AttributeDefinition(description = "Where the session number is kept; empty for the bundle's own storage "
                + "area.", required = false)
        String stateDirectory() default "";

        @AttributeDefinition(description = "MQTT keep-alive in seconds: how soon the broker notices a dead gateway "
                + "and publishes its last will.")
        int keepAliveSeconds() default 30;

        @AttributeDefinition(description = "Batches published and awaiting central's acknowledgement at most.")
        int inFlightBatches() default 8;

        @AttributeDefinition(description = "Seconds to wait for central's acknowledgement of a batch before it is "
                + "sent again.")
        int ackTimeoutSeconds() default 30;

        @AttributeDefinition(description = "Rows per batch at most.")
        int maxEntriesPerBatch() default 1000;

        @AttributeDefinition(description = "First pause before reconnecting, in milliseconds; doubled per failed "
                + "attempt, with jitter.")
        int reconnectMinBackoffMillis() default 1000;

        @AttributeDefinition(description = "Longest pause between connection attempts, in milliseconds.")
        int reconnectMaxBackoffMillis() default 60000;

        @AttributeDefinition(description = "Batches published per second at most; 0 for no limit (the "
                + "acknowledgement window alone paces the uplink).")
        int maxBatchesPerSecond() default 0;

        @AttributeDefinition(description = "Central's public command key (base64 X.509 Ed25519, printed by central "
                + "at start and in the file <database>.command-key.pub): disconnect, reconnect and power limits "
                + "run only when signed with it; empty refuses them all.", required = false)
        String commandPublicKey() default "";
    }

    @Reference
    private ReadingStore store;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile OnDemandWork onDemandWork;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile MeterInventory meterInventory;

    private MqttUplink uplink;
    private ServiceRegistration<UplinkCommand> command;

    @Activate
    void activate(BundleContext context, Config config) {
        Optional<CommandVerifier> centralKey = config.commandPublicKey().isBlank() ? Optional.empty()
                : Optional.of(CommandVerifier.ofBase64(config.commandPublicKey()));
        uplink = new MqttUplink(settings(context, config), store, () -> Optional.ofNullable(onDemandWork),
                () -> Optional.ofNullable(meterInventory), centralKey);
        command = context.registerService(UplinkCommand.class, new UplinkCommand(uplink::status),
                FrameworkUtil.asDictionary(Map.of("osgi.command.scope", "medida", "osgi.command.function", "uplink")));
    }

    @Deactivate
    void deactivate() {
        command.unregister();
        uplink.close();
    }

    static UplinkSettings settings(BundleContext context, Config config) {
        Path stateDirectory = config.stateDirectory().isBlank()
                ? context.getDataFile("").toPath()
                : Path.of(config.stateDirectory());
        Optional<TlsMaterial> tls = config.trustStorePath().isBlank() ? Optional.empty()
                : Optional.of(new TlsMaterial(Path.of(config.trustStorePath()), config.trustStorePassword(),
                        config.keyStorePath().isBlank() ? Optional.empty() : Optional.of(Path.of(config.keyStorePath())),
                        config.keyStorePassword()));
        return new UplinkSettings(config.brokerUrl(), config.gatewayId(), config.username(), config.password(), tls,
                stateDirectory, Duration.ofSeconds(config.keepAliveSeconds()), config.inFlightBatches(),
                Duration.ofSeconds(config.ackTimeoutSeconds()), config.maxEntriesPerBatch(),
                Duration.ofMillis(config.reconnectMinBackoffMillis()),
                Duration.ofMillis(config.reconnectMaxBackoffMillis()), config.maxBatchesPerSecond());
    }
}
