package org.medida.central.web;

import io.javalin.config.RoutesConfig;

/**
 * A feature's HTTP API (provisioning, work orders, plans, events, ...), registered by {@link HttpView} behind the
 * operators' login. Every route names the least {@link Role} that may call it; a state-changing route records
 * itself in the {@link AuditLog} with {@link Operator#of}.
 */
public interface FeatureRoutes {
    void register(RoutesConfig routes);
}
