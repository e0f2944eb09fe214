package org.medida.central.web;

/** Stands in for the login check in tests of feature routes: every request is made by {@code operator}. */
public final class TestLogin {

    private TestLogin() {
    }

    public static FeatureRoutes as(Operator operator) {
        return routes -> routes.before(ctx -> ctx.attribute(Operator.ATTRIBUTE, operator));
    }
}
