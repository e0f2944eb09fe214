package org.medida.central.events;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;

import org.medida.central.db.Database;
import org.medida.central.ingest.IngestListener;
import org.medida.central.web.FeatureRoutes;
import org.medida.central.workorders.WorkOrders;

/**
 * Events and alarms as one part of central: seeds the default alarm rules on the first start, turns what the
 * ingest stores into events ({@link #ingestListener}), runs the gap watcher and serves the routes.
 */
public final class EventsFeature implements AutoCloseable {

    private final IngestEvents ingestEvents = new IngestEvents();
    private final MissingIntervals missingIntervals;
    private final GapBackfill gapBackfill;
    private final EventRoutes routes;

    private EventsFeature(Database database, WorkOrders workOrders, Clock clock, GapBackfill.Settings settings) {
        this.missingIntervals = new MissingIntervals(database, clock, settings.grace());
        this.gapBackfill = new GapBackfill(database, workOrders, clock, settings);
        this.routes = new EventRoutes(database, missingIntervals, clock);
    }

    /** Seeds the alarm rules if there are none and starts the gap watcher. */
    public static EventsFeature start(Database database, WorkOrders workOrders, Clock clock,
            GapBackfill.Settings settings) throws SQLException {
        try (Connection connection = database.connect()) {
            AlarmRules.seedIfEmpty(connection);
        }
        EventsFeature feature = new EventsFeature(database, workOrders, clock, settings);
        feature.gapBackfill.start();
        return feature;
    }

    public IngestListener ingestListener() {
        return ingestEvents;
    }

    public FeatureRoutes routes() {
        return routes;
    }

    /** The missing-interval counts the gateway page's heatmap shows. */
    public MissingIntervals missingIntervals() {
        return missingIntervals;
    }

    @Override
    public void close() {
        gapBackfill.close();
    }
}
