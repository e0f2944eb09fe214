/**
 * What the edge bundles say to each other about meters: how to reach one ({@link org.medida.edge.api.MeterRef}),
 * what comes back from it (registers, clock, load-profile intervals, events, command results) and the driver
 * service that holds the conversations ({@link org.medida.edge.api.MeterDriver}), and the gateway's durable buffer
 * between collection and uplink ({@link org.medida.edge.api.ReadingStore}), and the on-demand work someone waits for
 * ({@link org.medida.edge.api.OnDemandWork}).
 */
@Export
@Version("2.0.0")
package org.medida.edge.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
