package org.medida.edge.uplink;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import org.medida.edge.store.SqliteReadingStore;

/**
 * A gateway's uplink in a JVM of its own, so that a test can kill it with SIGKILL. Arguments: broker URL, gateway
 * id, work directory (store and session number). Prints "up" once started; stops cleanly when its standard input
 * closes.
 */
public final class UplinkProcess {

    private UplinkProcess() {
    }

    public static void main(String[] args) throws IOException {
        Path work = Path.of(args[2]);
        UplinkSettings settings = UplinkSettings.defaults(args[0], args[1], work)
                .withConnection(Duration.ofSeconds(5), Duration.ofMillis(100), Duration.ofSeconds(1));
        try (SqliteReadingStore store = Readings.openStore(work);
                MqttUplink uplink = new MqttUplink(settings, store, Optional::empty)) {
            System.out.println("up");
            System.out.flush();
            while (System.in.read() >= 0) {
                // runs until the test closes our input
            }
        }
    }
}
