package dev.loopline.envs.payments;

import dev.loopline.envs.DelayModel;
import java.util.Objects;

/**
 * Configuration of the {@link PaymentsSimulator}. Immutable; validated on construction.
 *
 * @param seed               seed of every random draw (events and outcomes)
 * @param merchants          number of merchants (entities {@code merchant-00} ...), 1..10000; default 24
 * @param routes             number of payment routes (actions {@code route-0} ...), 2..5; default 5
 * @param degradeRoute       the route whose success rate drops at the drift point; default
 *                           {@code route-1}, the best route on average
 * @param degradeAfterMillis event time, relative to the first event, at which the drift starts;
 *                           default 30000; 0 or less disables the drift
 * @param degradedSuccess    multiplier applied to the degraded route's success probability after the
 *                           drift, in [0, 1]; default 0.3
 * @param unavailability     probability that a route is not offered in an event, in [0, 0.9];
 *                           default 0.15; at least two routes are always offered
 * @param delays             when outcomes are reported; default {@link DelayModel#DEFAULT}
 */
public record PaymentsConfig(
        long seed,
        int merchants,
        int routes,
        String degradeRoute,
        long degradeAfterMillis,
        double degradedSuccess,
        double unavailability,
        DelayModel delays) {

    public static final int DEFAULT_MERCHANTS = 24;
    public static final int DEFAULT_ROUTES = 5;
    public static final String DEFAULT_DEGRADE_ROUTE = "route-1";
    public static final long DEFAULT_DEGRADE_AFTER_MILLIS = 30_000;
    public static final double DEFAULT_DEGRADED_SUCCESS = 0.3;
    public static final double DEFAULT_UNAVAILABILITY = 0.15;

    public PaymentsConfig {
        if (merchants < 1 || merchants > 10_000) {
            throw new IllegalArgumentException("merchants " + merchants
                    + " is outside [1, 10000]; use the default " + DEFAULT_MERCHANTS);
        }
        if (routes < 2 || routes > PaymentsSimulator.MAX_ROUTES) {
            throw new IllegalArgumentException("routes " + routes + " is outside [2, "
                    + PaymentsSimulator.MAX_ROUTES + "]; each route has a designed profile, use the default "
                    + DEFAULT_ROUTES);
        }
        Objects.requireNonNull(degradeRoute, "degradeRoute is null; use \"" + DEFAULT_DEGRADE_ROUTE + "\"");
        int index = PaymentsSimulator.routeIndex(degradeRoute);
        if (index < 0 || index >= routes) {
            throw new IllegalArgumentException("degradeRoute \"" + degradeRoute + "\" is not one of route-0..route-"
                    + (routes - 1) + "; name an offered route, e.g. \"" + DEFAULT_DEGRADE_ROUTE + "\"");
        }
        if (!(degradedSuccess >= 0.0 && degradedSuccess <= 1.0)) {
            throw new IllegalArgumentException("degradedSuccess " + degradedSuccess
                    + " is outside [0, 1]; it multiplies a probability, e.g. " + DEFAULT_DEGRADED_SUCCESS);
        }
        if (!(unavailability >= 0.0 && unavailability <= 0.9)) {
            throw new IllegalArgumentException("unavailability " + unavailability
                    + " is outside [0, 0.9]; use e.g. " + DEFAULT_UNAVAILABILITY + " (0 offers every route)");
        }
        Objects.requireNonNull(delays, "delays is null; use DelayModel.DEFAULT");
    }

    /** The defaults above with the given seed. */
    public static PaymentsConfig defaults(long seed) {
        return new PaymentsConfig(seed, DEFAULT_MERCHANTS, DEFAULT_ROUTES, DEFAULT_DEGRADE_ROUTE,
                DEFAULT_DEGRADE_AFTER_MILLIS, DEFAULT_DEGRADED_SUCCESS, DEFAULT_UNAVAILABILITY, DelayModel.DEFAULT);
    }

    public PaymentsConfig withMerchants(int value) {
        return new PaymentsConfig(seed, value, routes, degradeRoute, degradeAfterMillis, degradedSuccess, unavailability, delays);
    }

    public PaymentsConfig withRoutes(int value) {
        return new PaymentsConfig(seed, merchants, value, degradeRoute, degradeAfterMillis, degradedSuccess, unavailability, delays);
    }

    public PaymentsConfig withDrift(String route, long afterMillis, double successMultiplier) {
        return new PaymentsConfig(seed, merchants, routes, route, afterMillis, successMultiplier, unavailability, delays);
    }

    /** Disables the drift. */
    public PaymentsConfig withoutDrift() {
        return withDrift(degradeRoute, 0, degradedSuccess);
    }

    public PaymentsConfig withUnavailability(double value) {
        return new PaymentsConfig(seed, merchants, routes, degradeRoute, degradeAfterMillis, degradedSuccess, value, delays);
    }

    public PaymentsConfig withDelays(DelayModel value) {
        return new PaymentsConfig(seed, merchants, routes, degradeRoute, degradeAfterMillis, degradedSuccess, unavailability, value);
    }
}
