package org.medida.edge.inventory;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.medida.edge.api.Failure;
import org.medida.edge.api.InventoryMeter;
import org.medida.edge.api.MeterInventory;
import org.medida.edge.api.MeterRef;
import org.medida.edge.api.MeterState;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Publishes a {@link SqliteMeterInventory} as the gateway's {@link MeterInventory}, configured through Configuration
 * Admin (PID {@value #PID}). With an import file, the file is upserted at activation and again whenever it changes.
 */
@Component(name = InventoryComponent.PID, service = MeterInventory.class)
@Designate(ocd = InventoryComponent.Config.class)
public final class InventoryComponent implements MeterInventory {

    static final String PID = "org.medida.edge.inventory";

    @ObjectClassDefinition(id = PID, name = "Medida meter inventory",
            description = "The gateway's meter table: links, security material, state, reachability, high-water "
                    + "marks (SQLite).")
    @interface Config {
        @AttributeDefinition(description = "The SQLite database file; empty for inventory.db in the bundle's own "
                + "storage area.")
        String databasePath() default "";

        @AttributeDefinition(description = "A meters file (CSV, see the bundle's README) to import at activation "
                + "and whenever it changes; empty for none.")
        String importFile() default "";

        @AttributeDefinition(description = "How often the import file is checked for changes, in seconds.")
        int importCheckSeconds() default 30;
    }

    private final SqliteMeterInventory inventory;
    private final ScheduledExecutorService importer;

    @Activate
    public InventoryComponent(BundleContext context, Config config) {
        Path database = config.databasePath().isBlank()
                ? context.getDataFile("inventory.db").toPath()
                : Path.of(config.databasePath());
        this.inventory = SqliteMeterInventory.open(database);
        if (config.importFile().isBlank()) {
            this.importer = null;
        } else {
            MetersImport metersImport = new MetersImport(Path.of(config.importFile()), inventory, Clock.systemUTC());
            metersImport.importIfChanged();
            this.importer = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "medida-inventory-import"));
            long every = Math.max(1, config.importCheckSeconds());
            importer.scheduleWithFixedDelay(metersImport::importIfChanged, every, every, TimeUnit.SECONDS);
        }
    }

    @Override
    public List<InventoryMeter> meters() {
        return inventory.meters();
    }

    @Override
    public Optional<InventoryMeter> meter(String serial) {
        return inventory.meter(serial);
    }

    @Override
    public void register(MeterRef meter, MeterState state, Instant at) {
        inventory.register(meter, state, at);
    }

    @Override
    public void changeState(String serial, MeterState state, Instant at) {
        inventory.changeState(serial, state, at);
    }

    @Override
    public void recordSuccess(String serial, Instant at) {
        inventory.recordSuccess(serial, at);
    }

    @Override
    public void recordFailure(String serial, Instant at, Failure reason) {
        inventory.recordFailure(serial, at, reason);
    }

    @Override
    public void moveHighWaterMark(String serial, String profileObis, Instant collectedUpTo) {
        inventory.moveHighWaterMark(serial, profileObis, collectedUpTo);
    }

    @Deactivate
    void deactivate() throws InterruptedException {
        if (importer != null) {
            importer.shutdownNow();
            importer.awaitTermination(10, TimeUnit.SECONDS);
        }
        inventory.close();
    }
}
