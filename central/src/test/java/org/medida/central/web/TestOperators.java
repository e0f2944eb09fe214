package org.medida.central.web;

/** Stands in for the login check in feature tests: every request is made by {@code operator}. */
public final class TestOperators {

    private TestOperators() {
    }

    public static FeatureRoutes as(Operator operator) {
        return routes -> routes.before(ctx -> ctx.attribute(Operator.ATTRIBUTE, operator));
    }
}
