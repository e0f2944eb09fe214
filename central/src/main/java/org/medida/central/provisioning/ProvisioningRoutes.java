package org.medida.central.provisioning;

import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonMappingException;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import org.medida.central.web.FeatureRoutes;
import org.medida.central.web.Operator;
import org.medida.central.web.QueryParameters;
import org.medida.central.web.Role;

/**
 * The provisioning API (contracts.md, {@code openapi/provisioning.json}): reads for support staff, changes for
 * technical staff, each change audited by {@link Provisioning}. A refused request is answered
 * {@code {"error": "..."}} with 400 (invalid, naming the field), 404 (unknown meter or gateway) or 409 (not in this
 * state). Lifecycle changes that go to a gateway answer 202 with the correlation ids of the inventory changes.
 */
public final class ProvisioningRoutes implements FeatureRoutes {

    private static final Set<String> METER_STATES = Set.of("discovered", "registered", "commissioned",
            "decommissioned");

    /** Bodies of the API. */
    public record RelinkBody(String gatewayId) {
    }

    public record UsagePointBody(String pod, String address) {
    }

    public record ContractBody(String contractProfile, String contractState, String tariffProfile) {
    }

    public record GroupBody(List<String> serials) {
    }

    public record GroupAdded(String group, int added) {
    }

    private final Provisioning provisioning;
    private final ProvisioningQueries queries;

    public ProvisioningRoutes(Provisioning provisioning, ProvisioningQueries queries) {
        this.provisioning = provisioning;
        this.queries = queries;
    }

    @Override
    public void register(RoutesConfig routes) {
        routes.get("/api/gateways", ctx -> ctx.json(queries.gateways()), Role.SUPPORT);
        routes.get("/api/gateways/{id}", ctx -> ctx.json(queries.gateway(ctx.pathParam("id"))
                .orElseThrow(() -> ProvisioningException.notFound("no gateway " + ctx.pathParam("id")))),
                Role.SUPPORT);
        routes.post("/api/gateways", this::saveGateway, Role.TECHNICAL);
        routes.get("/api/meters", ctx -> ctx.json(queries.meters(filter(ctx))), Role.SUPPORT);
        routes.get("/api/meters/{serial}", ctx -> ctx.json(meter(ctx.pathParam("serial"))), Role.SUPPORT);
        routes.post("/api/meters", this::registerMeter, Role.TECHNICAL);
        routes.post("/api/meters/{serial}/commission", ctx -> accepted(ctx,
                provisioning.commission(ctx.pathParam("serial"), user(ctx))), Role.TECHNICAL);
        routes.post("/api/meters/{serial}/decommission", ctx -> accepted(ctx,
                provisioning.decommission(ctx.pathParam("serial"), user(ctx))), Role.TECHNICAL);
        routes.post("/api/meters/{serial}/relink", ctx -> accepted(ctx, provisioning.relink(ctx.pathParam("serial"),
                body(ctx, RelinkBody.class).gatewayId(), user(ctx))), Role.TECHNICAL);
        routes.post("/api/meters/{serial}/usage-point", this::linkUsagePoint, Role.TECHNICAL);
        routes.delete("/api/meters/{serial}/usage-point", ctx -> {
            provisioning.unlinkUsagePoint(ctx.pathParam("serial"), user(ctx));
            ctx.json(meter(ctx.pathParam("serial")));
        }, Role.TECHNICAL);
        routes.post("/api/meters/{serial}/contract", this::changeContract, Role.TECHNICAL);
        routes.post("/api/groups/{name}/meters", ctx -> {
            String group = ctx.pathParam("name");
            int added = provisioning.addToGroup(group, body(ctx, GroupBody.class).serials(), user(ctx));
            ctx.json(new GroupAdded(group, added));
        }, Role.TECHNICAL);
        routes.exception(ProvisioningException.class, (e, ctx) ->
                ctx.status(e.kind().httpStatus()).json(Map.of("error", e.getMessage())));
    }

    private void saveGateway(Context ctx) throws ProvisioningException, SQLException {
        GatewayRegistration registration = body(ctx, GatewayRegistration.class);
        provisioning.saveGateway(registration, user(ctx));
        ctx.json(queries.gateway(registration.id()).orElseThrow());
    }

    private void registerMeter(Context ctx) throws ProvisioningException, SQLException {
        Provisioning.Accepted accepted = provisioning.registerMeter(body(ctx, MeterRegistration.class), user(ctx));
        ctx.status(201).json(accepted);
    }

    private void linkUsagePoint(Context ctx) throws ProvisioningException, SQLException {
        UsagePointBody body = body(ctx, UsagePointBody.class);
        provisioning.linkUsagePoint(ctx.pathParam("serial"), body.pod(), body.address(), user(ctx));
        ctx.json(meter(ctx.pathParam("serial")));
    }

    private void changeContract(Context ctx) throws ProvisioningException, SQLException {
        ContractBody body = body(ctx, ContractBody.class);
        provisioning.changeContract(ctx.pathParam("serial"), body.contractProfile(), body.contractState(),
                body.tariffProfile(), user(ctx));
        ctx.json(meter(ctx.pathParam("serial")));
    }

    private ProvisioningQueries.MeterDetail meter(String serial) throws SQLException, ProvisioningException {
        return queries.meter(serial).orElseThrow(() -> ProvisioningException.notFound("no meter " + serial));
    }

    private static void accepted(Context ctx, Provisioning.Accepted accepted) {
        ctx.status(accepted.correlationIds().isEmpty() ? 200 : 202).json(accepted);
    }

    private static String user(Context ctx) {
        return Operator.of(ctx).username();
    }

    private static ProvisioningQueries.MeterFilter filter(Context ctx) throws ProvisioningException {
        String state = ctx.queryParam("state");
        if (state != null && !state.isBlank() && !METER_STATES.contains(state)) {
            throw ProvisioningException.invalid("state must be one of discovered, registered, commissioned, "
                    + "decommissioned, not '" + state + "'");
        }
        return new ProvisioningQueries.MeterFilter(ctx.queryParam("q"), ctx.queryParam("gateway"), state,
                QueryParameters.limit(ctx, ProvisioningQueries.MAX_LIMIT, ProvisioningQueries.DEFAULT_LIMIT));
    }

    /** Jackson's complaint, naming the field it is about, on one line. */
    private static String describe(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
                String field = mapping.getPath().stream()
                        .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                        .collect(Collectors.joining("."));
                return "field '" + field + "': " + firstLine(mapping.getOriginalMessage());
            }
        }
        return firstLine(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
    }

    private static String firstLine(String text) {
        int end = text.indexOf('\n');
        return end < 0 ? text : text.substring(0, end);
    }

    /** The JSON body as {@code type}; a body that is not one is a 400 naming what is wrong. */
    private static <T> T body(Context ctx, Class<T> type) throws ProvisioningException {
        if (ctx.body().isBlank()) {
            throw ProvisioningException.invalid("a JSON body is required");
        }
        try {
            return ctx.bodyAsClass(type);
        } catch (Exception e) { // Jackson's own exceptions are checked ones, thrown through
            throw ProvisioningException.invalid("the body is not a valid " + type.getSimpleName() + ": "
                    + describe(e));
        }
    }
}
