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
 * @param incidents          issuer outages and fee changes, in any order; default none
 * @param feeWeight          how much a route's fee costs: an authorised payment earns {@code 1 - feeWeight · fee},
 *                           in [0, 1]; default 0 (reward is authorisation alone)
 */
public record PaymentsConfig(
        long seed,
        int merchants,
        int routes,
        String degradeRoute,
        long degradeAfterMillis,
        double degradedSuccess,
        double unavailability,
        DelayModel delays,
        java.util.List<PaymentsIncident> incidents,
        double feeWeight) {

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
        incidents = java.util.List.copyOf(Objects.requireNonNull(incidents, "incidents is null; use List.of()"));
        for (PaymentsIncident incident : incidents) {
            String route = incident instanceof PaymentsIncident.Outage o ? o.route() : ((PaymentsIncident.FeeChange) incident).route();
            if (!PaymentsIncident.ANY.equals(route) && PaymentsSimulator.routeIndex(route) >= routes) {
                throw new IllegalArgumentException(incident + " names " + route + " but only route-0..route-"
                        + (routes - 1) + " exist");
            }
        }
        if (!(feeWeight >= 0 && feeWeight <= 1)) {
            throw new IllegalArgumentException("feeWeight " + feeWeight + " is outside [0, 1]; 0 ignores fees, 0.3 makes"
                    + " the dearest route give up 0.24 of a success");
        }
    }


    /** The defaults above with the given seed. */
    public static PaymentsConfig defaults(long seed) {
        return new PaymentsConfig(seed, DEFAULT_MERCHANTS, DEFAULT_ROUTES, DEFAULT_DEGRADE_ROUTE,
                DEFAULT_DEGRADE_AFTER_MILLIS, DEFAULT_DEGRADED_SUCCESS, DEFAULT_UNAVAILABILITY, DelayModel.DEFAULT,
                java.util.List.of(), 0.0);
    }

    public PaymentsConfig withMerchants(int value) {
        return new PaymentsConfig(seed, value, routes, degradeRoute, degradeAfterMillis, degradedSuccess, unavailability, delays, incidents, feeWeight);
    }

    public PaymentsConfig withRoutes(int value) {
        return new PaymentsConfig(seed, merchants, value, degradeRoute, degradeAfterMillis, degradedSuccess, unavailability, delays, incidents, feeWeight);
    }

    public PaymentsConfig withDrift(String route, long afterMillis, double successMultiplier) {
        return new PaymentsConfig(seed, merchants, routes, route, afterMillis, successMultiplier, unavailability, delays, incidents, feeWeight);
    }

    /** Disables the drift. */
    public PaymentsConfig withoutDrift() {
        return withDrift(degradeRoute, 0, degradedSuccess);
    }

    public PaymentsConfig withUnavailability(double value) {
        return new PaymentsConfig(seed, merchants, routes, degradeRoute, degradeAfterMillis, degradedSuccess, value, delays, incidents, feeWeight);
    }

    public PaymentsConfig withDelays(DelayModel value) {
        return new PaymentsConfig(seed, merchants, routes, degradeRoute, degradeAfterMillis, degradedSuccess, unavailability, value, incidents, feeWeight);
    }

    /** These incidents added to the config's. */
    public PaymentsConfig withIncidents(java.util.List<? extends PaymentsIncident> more) {
        java.util.List<PaymentsIncident> all = new java.util.ArrayList<>(incidents);
        all.addAll(more);
        return new PaymentsConfig(seed, merchants, routes, degradeRoute, degradeAfterMillis, degradedSuccess, unavailability, delays, all, feeWeight);
    }

    public PaymentsConfig withFeeWeight(double value) {
        return new PaymentsConfig(seed, merchants, routes, degradeRoute, degradeAfterMillis, degradedSuccess, unavailability, delays, incidents, value);
    }

    /**
     * The options {@code loopline env payments} and {@code demo} accept as {@code --env-option NAME=VALUE}:
     * every scalar component of this record ({@link dev.loopline.envs.ConfigOptions}), plus the incidents.
     */
    public static final java.util.List<String> OPTIONS = java.util.stream.Stream.concat(
            dev.loopline.envs.ConfigOptions.names(PaymentsConfig.class).stream(),
            java.util.stream.Stream.of("outage", "feeChange")).toList();

    /**
     * This config changed by named options, e.g. {@code outage=route-0:eu:20000:45000:0.1} (several
     * separated by {@code ;}), {@code feeChange=route-1:40000:0.9}, {@code feeWeight=0.3},
     * {@code degradeAfterMillis=0} (no route degradation).
     */
    public PaymentsConfig withOptions(java.util.Map<String, String> options) {
        for (String name : options.keySet()) {
            if (!OPTIONS.contains(name)) {
                throw new IllegalArgumentException("payments has no option \"" + name + "\"; its options are " + OPTIONS);
            }
        }
        java.util.Map<String, String> scalars = new java.util.LinkedHashMap<>(options);
        java.util.List<PaymentsIncident> incidents = new java.util.ArrayList<>();
        String outages = scalars.remove("outage");
        String feeChanges = scalars.remove("feeChange");
        for (String part : outages == null ? new String[0] : outages.split(";")) {
            if (!part.isBlank()) {
                incidents.add(PaymentsIncident.parseOutage(part));
            }
        }
        for (String part : feeChanges == null ? new String[0] : feeChanges.split(";")) {
            if (!part.isBlank()) {
                incidents.add(PaymentsIncident.parseFeeChange(part));
            }
        }
        return dev.loopline.envs.ConfigOptions.apply(this, scalars, PaymentsSimulator.NAME).withIncidents(incidents);
    }
}
