package org.medida.edge.uplink;

import java.io.IOException;
import java.nio.file.Path;

import org.eclipse.paho.client.mqttv3.MqttException;
import org.medida.edge.store.SqliteReadingStore;
import org.medida.testing.MosquittoBroker;

/** What a test's uplink works with: a Mosquitto of its own, a SQLite store, and central's stand-in. */
final class Bench implements AutoCloseable {

    final MosquittoBroker broker;
    final CentralStandIn central;
    private final Path work;
    private SqliteReadingStore store;

    private Bench(Path work, MosquittoBroker broker, SqliteReadingStore store, CentralStandIn central) {
        this.work = work;
        this.broker = broker;
        this.store = store;
        this.central = central;
    }

    static Bench start(Path work, String gateway) throws IOException, MqttException {
        MosquittoBroker broker = MosquittoBroker.start(work.resolve("broker"));
        return new Bench(work, broker, Readings.openStore(work), CentralStandIn.connect(broker.url(), gateway));
    }

    SqliteReadingStore store() {
        return store;
    }

    /** Closes the store and opens its file again, as after a restart of the gateway. */
    SqliteReadingStore reopenStore() {
        store.close();
        store = Readings.openStore(work);
        return store;
    }

    @Override
    public void close() throws MqttException {
        central.close();
        store.close();
        broker.close();
    }
}
