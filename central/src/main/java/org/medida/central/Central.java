package org.medida.central;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.eclipse.paho.client.mqttv3.MqttException;
import org.medida.central.broker.EmbeddedBroker;
import org.medida.central.db.Database;
import org.medida.central.direct.DirectMeters;
import org.medida.central.events.EventsFeature;
import org.medida.central.events.GapBackfill;
import org.medida.central.gateways.Gateways;
import org.medida.central.ingest.IngestService;
import org.medida.central.ingest.MqttSettings;
import org.medida.central.plans.Plans;
import org.medida.central.provisioning.InventoryChanges;
import org.medida.central.provisioning.Provisioning;
import org.medida.central.provisioning.ProvisioningQueries;
import org.medida.central.provisioning.ProvisioningRoutes;
import org.medida.central.provisioning.SecretBox;
import org.medida.central.web.FeatureRoutes;
import org.medida.central.web.HttpView;
import org.medida.central.workorders.CommandKeys;
import org.medida.central.workorders.WorkOrderRoutes;
import org.medida.central.workorders.WorkOrderService;

/**
 * A running central: its database, optionally an embedded broker, the ingest subscribed to the broker and the
 * HTTP view. Started in dependency order, closed in reverse.
 */
public final class Central implements AutoCloseable {

    /**
     * What to start.
     *
     * @param database         the SQLite file (created if missing) or a {@code jdbc:postgresql:} URL
     *                         ({@link Database#open(String)})
     * @param stateDirectory   where central keeps its keys (meter secrets key, command signing key pair) and the
     *                         point-to-point meters' invocation counters
     * @param brokerUrl        an external broker, or null to start the embedded one
     * @param embeddedBroker   host and port of the embedded broker when {@code brokerUrl} is null
     * @param clientId         central's MQTT client id
     * @param username         broker user, or null for anonymous
     * @param password         broker password, or null
     * @param httpHost         where the HTTP view listens
     * @param httpPort         its port (0: any free port)
     * @param gateways         gateways to accept data from, in addition to those already in the database
     * @param adminPasswordFile the first admin's password on first start, or null to generate one and log it once
     */
    public record Settings(String database, Path stateDirectory, String brokerUrl, HostPort embeddedBroker,
            String clientId, String username, char[] password, String httpHost, int httpPort, List<String> gateways,
            Plans.Settings plans, GapBackfill.Settings gaps, Path adminPasswordFile) {
        public Settings {
            Objects.requireNonNull(database, "database");
            Objects.requireNonNull(stateDirectory, "stateDirectory");
            Objects.requireNonNull(plans, "plans");
            Objects.requireNonNull(gaps, "gaps");
            if ((brokerUrl == null) == (embeddedBroker == null)) {
                throw new IllegalArgumentException("either an external broker or the embedded one");
            }
            gateways = List.copyOf(gateways);
        }
    }

    /** A listening address. */
    public record HostPort(String host, int port) {
    }

    /** The key of meter secrets in the database, next to the database file. */
    public static final String SECRET_KEY_FILE = "central.key";
    /** An inventory change without the gateway's answer this long is sent again. */
    private static final Duration RESEND = Duration.ofSeconds(60);

    private final List<AutoCloseable> parts;
    private final String brokerUrl;
    private final IngestService ingest;
    private final HttpView http;

    private Central(List<AutoCloseable> parts, String brokerUrl, IngestService ingest, HttpView http) {
        this.parts = parts;
        this.brokerUrl = brokerUrl;
        this.ingest = ingest;
        this.http = http;
    }

    /**
     * Opens (or creates) the database, registers the gateways, starts the embedded broker if asked, connects the
     * ingest (waiting for the broker if it is not up yet) and serves the HTTP view.
     */
    public static Central start(Settings settings, Clock clock)
            throws SQLException, IOException, MqttException, InterruptedException {
        List<AutoCloseable> parts = new ArrayList<>();
        try {
            Database database = Database.open(settings.database());
            parts.add(database);
            Gateways gateways = Gateways.load(database);
            gateways.register(database, settings.gateways(), clock.instant());
            String brokerUrl = settings.brokerUrl();
            if (brokerUrl == null) {
                EmbeddedBroker broker = EmbeddedBroker.start(settings.embeddedBroker().host(),
                        settings.embeddedBroker().port());
                parts.add(broker);
                brokerUrl = broker.url();
            }
            IngestService ingest = IngestService.create(database, gateways, new MqttSettings(brokerUrl,
                    settings.clientId(), settings.username(), settings.password()), clock);
            parts.add(ingest);
            List<FeatureRoutes> routes = new ArrayList<>();
            // features: each adds its ingest listener, its closeable parts and its HTTP routes here
            SecretBox secrets = SecretBox.open(settings.stateDirectory().resolve(SECRET_KEY_FILE));
            InventoryChanges inventory = InventoryChanges.start(database, secrets, ingest::publish, clock, RESEND);
            ingest.addListener(inventory);
            parts.add(inventory);
            routes.add(new ProvisioningRoutes(new Provisioning(database, gateways, secrets, inventory::wake, clock),
                    new ProvisioningQueries(database)));
            DirectMeters direct = new DirectMeters(database, secrets, ingest.directReadings(),
                    DirectMeters.defaultSettings(settings.stateDirectory().resolve("invocation-counters")), clock);
            parts.add(direct); // closed after the work orders that use it
            WorkOrderService workOrders = new WorkOrderService(database, ingest::publish, direct,
                    CommandKeys.in(settings.stateDirectory()).signer(), WorkOrderService.RESPONSE_TIMEOUT, clock);
            ingest.addListener(workOrders);
            parts.add(workOrders);
            routes.add(new WorkOrderRoutes(workOrders, database, clock));
            EventsFeature events = EventsFeature.start(database, workOrders, clock, settings.gaps());
            ingest.addListener(events.ingestListener());
            parts.add(events);
            routes.add(events.routes());
            Plans plans = Plans.start(database, workOrders, settings.plans(), clock);
            parts.add(plans);
            routes.add(plans.routes());
            ingest.connect();
            HttpView http = HttpView.start(database, settings.httpHost(), settings.httpPort(),
                    settings.adminPasswordFile(), clock, events.missingIntervals(), routes);
            parts.add(http);
            return new Central(parts, brokerUrl, ingest, http);
        } catch (SQLException | IOException | MqttException | InterruptedException | RuntimeException e) {
            closeAll(parts);
            throw e;
        }
    }

    /** The broker central is connected to (the embedded one's URL if it runs one). */
    public String brokerUrl() {
        return brokerUrl;
    }

    /** Whether the ingest is connected to the broker now. */
    public boolean isConnected() {
        return ingest.isConnected();
    }

    /** The port of the HTTP view. */
    public int httpPort() {
        return http.port();
    }

    /** The HTTP view (its tests walk the routes every feature registered). */
    public HttpView http() {
        return http;
    }

    @Override
    public void close() {
        closeAll(parts);
    }

    private static void closeAll(List<AutoCloseable> parts) {
        for (int i = parts.size() - 1; i >= 0; i--) {
            try {
                parts.get(i).close();
            } catch (Exception e) {
                org.slf4j.LoggerFactory.getLogger(Central.class).warn("Closing {}: {}", parts.get(i), e.getMessage());
            }
        }
        parts.clear();
    }
}
