package org.medida.edge.store;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.medida.edge.api.AppendResult;
import org.medida.edge.api.Backlog;
import org.medida.edge.api.Batch;
import org.medida.edge.api.BatchLimits;
import org.medida.edge.api.IntervalBlock;
import org.medida.edge.api.MeterEvent;
import org.medida.edge.api.ProfileGap;
import org.medida.edge.api.ReadingStore;
import org.medida.edge.api.RegisterReading;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Publishes a {@link SqliteReadingStore} as the gateway's {@link ReadingStore}, configured through Configuration
 * Admin (PID {@value #PID}). A new configuration reopens the store: the data stays in the file; batches handed out
 * before are due again.
 */
@Component(name = StoreComponent.PID, service = ReadingStore.class)
@Designate(ocd = StoreComponent.Config.class)
public final class StoreComponent implements ReadingStore {

    static final String PID = "org.medida.edge.store";

    @ObjectClassDefinition(id = PID, name = "Medida reading store",
            description = "The gateway's durable buffer between collection and uplink (SQLite).")
    @interface Config {
        @AttributeDefinition(description = "The SQLite database file; empty for store.db in the bundle's own "
                + "storage area.")
        String databasePath() default "";

        @AttributeDefinition(description = "Disk budget in bytes; beyond it the oldest load-profile entries are "
                + "dropped (and reported), never registers or events.")
        long maxBytes() default 256L * 1024 * 1024;
    }

    private final SqliteReadingStore store;

    @Activate
    public StoreComponent(BundleContext context, Config config) {
        Path database = config.databasePath().isBlank()
                ? context.getDataFile("store.db").toPath()
                : Path.of(config.databasePath());
        this.store = SqliteReadingStore.open(new StoreSettings(database, config.maxBytes()));
    }

    @Override
    public AppendResult appendIntervals(IntervalBlock block) {
        return store.appendIntervals(block);
    }

    @Override
    public AppendResult appendRegisters(String serial, List<RegisterReading> readings) {
        return store.appendRegisters(serial, readings);
    }

    @Override
    public AppendResult appendEvents(String serial, List<MeterEvent> events) {
        return store.appendEvents(serial, events);
    }

    @Override
    public AppendResult appendGap(ProfileGap gap) {
        return store.appendGap(gap);
    }

    @Override
    public Optional<Batch> nextBatch(BatchLimits limits) {
        return store.nextBatch(limits);
    }

    @Override
    public boolean confirm(long batchId) {
        return store.confirm(batchId);
    }

    @Override
    public boolean release(long batchId) {
        return store.release(batchId);
    }

    @Override
    public Backlog backlog() {
        return store.backlog();
    }

    @Deactivate
    void deactivate() {
        store.close();
    }
}
