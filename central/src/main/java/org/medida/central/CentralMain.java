package org.medida.central;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import org.medida.central.db.Database;
import org.medida.central.events.GapBackfill;
import org.medida.central.plans.Plans;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code java -jar medida-central.jar --db (central.db | jdbc:postgresql://...)
 * (--broker tcp://host:port | --embedded-broker-port P)
 * --gateway gw-1 ...}: runs central until SIGTERM or Ctrl-C, then closes it cleanly (ingest drained, database
 * closed).
 */
@Command(name = "medida-central", mixinStandardHelpOptions = true, version = "medida-central 0.1.0",
        description = "Medida central: ingests gateway data over MQTT into SQLite or PostgreSQL, with a small HTTP view.")
public final class CentralMain implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(CentralMain.class);

    @Option(names = "--db", required = true, description = "SQLite database file (created if missing) or a PostgreSQL "
            + "URL jdbc:postgresql://host:port/database?user=U (password: &password=P, ~/.pgpass or PGPASSFILE)")
    String database;

    @Option(names = "--state-dir", description = "where central keeps its keys (meter secrets, command signing key "
            + "pair); default: the SQLite file's directory, required with PostgreSQL")
    Path stateDirectory;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Broker broker;

    static final class Broker {
        @Option(names = "--broker", description = "MQTT broker URL, e.g. tcp://127.0.0.1:1883")
        String url;

        @Option(names = "--embedded-broker-port", description = "start an embedded MQTT broker on this port")
        Integer embeddedPort;
    }

    @Option(names = "--embedded-broker-host", defaultValue = "127.0.0.1",
            description = "address the embedded broker listens on (default: ${DEFAULT-VALUE})")
    String embeddedHost;

    @Option(names = "--mqtt-username", description = "broker user name")
    String username;

    @Option(names = "--mqtt-password", description = "broker password", interactive = false, arity = "1")
    char[] password;

    @Option(names = "--mqtt-client-id", defaultValue = "medida-central",
            description = "MQTT client id, stable across restarts (default: ${DEFAULT-VALUE})")
    String clientId;

    @Option(names = "--http-host", defaultValue = "127.0.0.1", description = "HTTP view address (default: ${DEFAULT-VALUE})")
    String httpHost;

    @Option(names = "--http-port", defaultValue = "8080", description = "HTTP view port (default: ${DEFAULT-VALUE})")
    int httpPort;

    @Option(names = "--admin-password-file", description = "on first start, the password of the operator 'admin' "
            + "(first line); without it one is generated and logged once")
    Path adminPasswordFile;

    @Option(names = "--gateway", description = "a gateway to accept data from (repeatable; also kept in the database)")
    List<String> gateways = List.of();

    @Option(names = "--results-webhook",
            description = "URL receiving plan results (POST JSON, header Idempotency-Key); without it: GET /api/plans/{id}/results")
    String resultsWebhook;

    @Option(names = "--results-retry-seconds", defaultValue = "3600",
            description = "wait before re-sending a refused result (default: ${DEFAULT-VALUE})")
    long resultsRetrySeconds;

    @Option(names = "--meter-buffer-days", defaultValue = "40",
            description = "days of load profile the meters keep: a gap within them is read again (backfill), an older "
                    + "one is recorded as unrecoverable (default: ${DEFAULT-VALUE})")
    int meterBufferDays;

    private Path stateDirectory() {
        if (stateDirectory != null) {
            return stateDirectory;
        }
        if (Database.isPostgres(database)) {
            throw new CommandLine.ParameterException(new CommandLine(this),
                    "--state-dir is required with a PostgreSQL database: central's keys are kept there");
        }
        return Path.of(database).toAbsolutePath().getParent();
    }

    private GapBackfill.Settings gapSettings() {
        if (meterBufferDays < 1) {
            throw new CommandLine.ParameterException(new CommandLine(this),
                    "--meter-buffer-days must be at least 1, not " + meterBufferDays);
        }
        return GapBackfill.Settings.DEFAULTS.withBufferDepth(Duration.ofDays(meterBufferDays));
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new CentralMain()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        Central.HostPort embedded = broker.embeddedPort == null ? null
                : new Central.HostPort(embeddedHost, broker.embeddedPort);
        Central central = Central.start(new Central.Settings(database, stateDirectory(), broker.url, embedded, clientId,
                username, password, httpHost, httpPort, gateways,
                Plans.Settings.of(resultsWebhook, resultsRetrySeconds), gapSettings(), adminPasswordFile),
                Clock.systemUTC());
        LOG.info("Central running: database {}, broker {}, HTTP view http://{}:{}/", Database.redacted(database),
                central.brokerUrl(),
                httpHost, central.httpPort());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            LOG.info("Stopping central");
            central.close();
            stopped.countDown();
        }, "central-shutdown"));
        stopped.await();
        return 0;
    }
}
