package org.medida.central.plans;

import java.io.IOException;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.javalin.config.RoutesConfig;
import io.javalin.http.BadRequestResponse;
import io.javalin.http.Context;
import org.medida.central.web.FeatureRoutes;
import org.medida.central.web.Operator;
import org.medida.central.web.QueryParameters;
import org.medida.central.web.Role;

/**
 * The plans' HTTP API (documented in {@code openapi/plans.json}): create (400 with every problem when the plan is
 * refused) and cancel for technical staff, the rest for support. A day is an ISO date, default the plan's latest.
 */
final class PlanRoutes implements FeatureRoutes {

    static final int MAX_RESULTS = 1000;

    private final PlanService service;

    PlanRoutes(PlanService service) {
        this.service = service;
    }

    @Override
    public void register(RoutesConfig routes) {
        routes.post("/api/plans", this::create, Role.TECHNICAL);
        routes.get("/api/plans", ctx -> json(ctx, 200, service.list().stream().map(PlanRoutes::view).toList()),
                Role.SUPPORT);
        routes.get("/api/plans/{id}", this::show, Role.SUPPORT);
        routes.get("/api/plans/{id}/meters", this::meters, Role.SUPPORT);
        routes.get("/api/plans/{id}/results", this::results, Role.SUPPORT);
        routes.post("/api/plans/{id}/cancel", this::cancel, Role.TECHNICAL);
    }

    private void create(Context ctx) throws SQLException {
        PlanRequest request;
        try {
            request = PlanFormat.JSON.readValue(ctx.body(), PlanRequest.class);
        } catch (JsonProcessingException e) {
            error(ctx, 400, describe(e));
            return;
        }
        if (request == null) {
            error(ctx, 400, "body: a plan object is required");
            return;
        }
        try {
            Plan plan = service.create(request.definition(), Operator.of(ctx).username());
            json(ctx, 201, view(plan));
        } catch (InvalidPlanException e) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("error", "invalid plan");
            body.put("problems", e.problems());
            json(ctx, 400, body);
        }
    }

    private void show(Context ctx) throws SQLException {
        long id = id(ctx);
        LocalDate day = QueryParameters.day(ctx, "day", null);
        Optional<PlanService.Progress> progress = service.progress(id, day);
        if (progress.isEmpty()) {
            error(ctx, 404, "no plan " + id);
            return;
        }
        Map<String, Object> body = PlanFormat.JSON.convertValue(view(progress.get().plan()), new TypeReference<>() {
        });
        body.put("day", progress.get().day().toString());
        body.put("counts", progress.get().counts());
        json(ctx, 200, body);
    }

    private void meters(Context ctx) throws SQLException {
        long id = id(ctx);
        LocalDate day = QueryParameters.day(ctx, "day", null);
        Optional<Plan> plan = service.find(id);
        Optional<List<MeterProgress>> meters = service.meters(id, day);
        if (plan.isEmpty() || meters.isEmpty()) {
            error(ctx, 404, "no plan " + id);
            return;
        }
        json(ctx, 200, meters.get().stream().map(meter -> new MeterView(meter.day().toString(), meter.serial(),
                meter.state(), plan.get().definition().kinds().get(meter.step()).name(), meter.reason(),
                meter.correlationId(), meter.attempts(), meter.updatedAt().toString())).toList());
    }

    private void results(Context ctx) throws SQLException, IOException {
        long id = id(ctx);
        long after = QueryParameters.wholeNumber(ctx, "after", 0, Long.MAX_VALUE, 0);
        Optional<List<PlanStore.Delivery>> results = service.results(id, after, MAX_RESULTS);
        if (results.isEmpty()) {
            error(ctx, 404, "no plan " + id);
            return;
        }
        List<ResultView> views = new ArrayList<>();
        for (PlanStore.Delivery delivery : results.get()) {
            views.add(new ResultView(delivery.id(), delivery.deliveredAt() != null,
                    delivery.deliveredAt() == null ? null : delivery.deliveredAt().toString(), delivery.attempts(),
                    delivery.lastError(), PlanFormat.JSON.readTree(delivery.payload())));
        }
        long next = views.isEmpty() ? after : views.get(views.size() - 1).deliveryId();
        json(ctx, 200, new ResultsView(views, next));
    }

    private void cancel(Context ctx) throws SQLException {
        long id = id(ctx);
        try {
            Optional<Plan> plan = service.cancel(id, Operator.of(ctx).username());
            if (plan.isEmpty()) {
                error(ctx, 404, "no plan " + id);
            } else {
                json(ctx, 200, view(plan.get()));
            }
        } catch (IllegalStateException e) {
            error(ctx, 409, e.getMessage());
        }
    }

    // ---- JSON views: days, times and instants as ISO-8601 strings

    record TargetView(String kind, String value) {
    }

    record PlanView(long id, String name, TargetView target, List<String> kinds, String firstDay, String lastDay,
            String windowStart, String windowEnd, int maxAttempts, long retryAfterSeconds, boolean daily,
            String state, String createdBy, String createdAt) {
    }

    record MeterView(String day, String serial, String state, String kind, String reason, String correlationId,
            int attempts, String updatedAt) {
    }

    record ResultView(long deliveryId, boolean delivered, String deliveredAt, int attempts, String lastError,
            JsonNode result) {
    }

    record ResultsView(List<ResultView> results, long next) {
    }

    static PlanView view(Plan plan) {
        PlanDefinition d = plan.definition();
        return new PlanView(plan.id(), d.name(), new TargetView(d.target().kind().code(), d.target().value()),
                d.kinds().stream().map(Enum::name).toList(), d.firstDay().toString(),
                d.lastDay() == null ? null : d.lastDay().toString(), PlanFormat.time(d.windowStart()),
                PlanFormat.time(d.windowEnd()), d.retry().maxAttempts(), d.retry().retryAfter().toSeconds(),
                d.daily(), plan.state().name(), plan.createdBy(), plan.createdAt().toString());
    }

    // ---- parameters and answers

    /** The plan id of the path; a 400 when it is not a number. */
    private static long id(Context ctx) {
        String text = ctx.pathParam("id");
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new BadRequestResponse("id: '" + text + "' is not a plan id");
        }
    }

    private static String describe(JsonProcessingException e) {
        if (e instanceof UnrecognizedPropertyException unknown) {
            return path(unknown) + ": unknown field";
        }
        if (e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            return path(mapping) + ": " + mapping.getOriginalMessage().lines().findFirst().orElse("wrong type");
        }
        return "body: not a JSON object (" + e.getOriginalMessage() + ")";
    }

    private static String path(JsonMappingException e) {
        return String.join(".", e.getPath().stream().map(reference -> reference.getFieldName() != null
                ? reference.getFieldName() : "[" + reference.getIndex() + "]").toList());
    }

    private static void error(Context ctx, int status, String message) {
        json(ctx, status, Map.of("error", message));
    }

    private static void json(Context ctx, int status, Object body) {
        ctx.status(status).contentType("application/json; charset=utf-8").result(PlanFormat.json(body));
    }
}
