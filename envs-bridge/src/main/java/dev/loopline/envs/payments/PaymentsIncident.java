package dev.loopline.envs.payments;

import java.util.Locale;

/**
 * Something that happens to the payment network at a point of event time (relative to the first
 * event), beside the one-route degradation of {@link PaymentsConfig}.
 */
public sealed interface PaymentsIncident {
    /** Any route or any issuer region. */
    String ANY = "*";

    /**
     * Authorisations through {@code route} for cards of issuers in {@code region} succeed with their
     * probability times {@code successMultiplier} while {@code fromMillis <= t < toMillis}: an issuer's
     * link to one acquirer failing, the common real outage ({@code *} for every route or every region;
     * both {@code *} is a network-wide outage).
     *
     * <p>Written {@code ROUTE:REGION:FROM_MS:TO_MS:MULTIPLIER}, e.g. {@code route-0:eu:20000:45000:0.1}.
     */
    record Outage(String route, String region, long fromMillis, long toMillis, double successMultiplier)
            implements PaymentsIncident {
        public Outage {
            if (!ANY.equals(route) && PaymentsSimulator.routeIndex(route) < 0) {
                throw new IllegalArgumentException("outage route \"" + route + "\" is not route-K or *");
            }
            if (!ANY.equals(region) && PaymentsSimulator.regionIndex(region) < 0) {
                throw new IllegalArgumentException("outage region \"" + region + "\" is not one of "
                        + PaymentsSimulator.REGION_NAMES + " or *");
            }
            if (fromMillis < 0 || toMillis <= fromMillis) {
                throw new IllegalArgumentException("outage window [" + fromMillis + ", " + toMillis
                        + ") ms is empty or negative; write FROM_MS < TO_MS, e.g. 20000:45000");
            }
            if (!(successMultiplier >= 0 && successMultiplier <= 1)) {
                throw new IllegalArgumentException("outage success multiplier " + successMultiplier
                        + " is outside [0, 1]; 0 fails every payment, 0.1 lets one in ten through");
            }
        }

        boolean hits(int routeIndex, int regionIndex, long relativeMillis) {
            return relativeMillis >= fromMillis && relativeMillis < toMillis
                    && (ANY.equals(route) || PaymentsSimulator.routeIndex(route) == routeIndex)
                    && (ANY.equals(region) || PaymentsSimulator.regionIndex(region) == regionIndex);
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "outage %s:%s:%d:%d:%s", route, region, fromMillis, toMillis, successMultiplier);
        }
    }

    /**
     * From {@code atMillis} on, {@code route} charges {@code fee} (normalised to [0, 1], the scale of the
     * {@code fee} action feature). With a fee weight above 0 the reward of an authorised payment is
     * {@code 1 - feeWeight · fee}, so a fee change moves the best route.
     *
     * <p>Written {@code ROUTE:AT_MS:FEE}, e.g. {@code route-1:40000:0.9}.
     */
    record FeeChange(String route, long atMillis, double fee) implements PaymentsIncident {
        public FeeChange {
            if (PaymentsSimulator.routeIndex(route) < 0) {
                throw new IllegalArgumentException("fee change route \"" + route + "\" is not route-K");
            }
            if (atMillis < 0) {
                throw new IllegalArgumentException("fee change time " + atMillis + " ms is negative");
            }
            if (!(fee >= 0 && fee <= 1)) {
                throw new IllegalArgumentException("fee " + fee + " is outside [0, 1] (fees are normalised like the fee feature)");
            }
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "fee %s:%d:%s", route, atMillis, fee);
        }
    }

    /** {@code ROUTE:REGION:FROM_MS:TO_MS:MULTIPLIER}. */
    static Outage parseOutage(String text) {
        String[] p = fields(text, 5, "outage", "ROUTE:REGION:FROM_MS:TO_MS:MULTIPLIER, e.g. route-0:eu:20000:45000:0.1");
        return new Outage(p[0], p[1], number(p[2], text), number(p[3], text), Double.parseDouble(p[4]));
    }

    /** {@code ROUTE:AT_MS:FEE}. */
    static FeeChange parseFeeChange(String text) {
        String[] p = fields(text, 3, "fee change", "ROUTE:AT_MS:FEE, e.g. route-1:40000:0.9");
        return new FeeChange(p[0], number(p[1], text), Double.parseDouble(p[2]));
    }

    private static String[] fields(String text, int n, String what, String form) {
        String[] p = text == null ? new String[0] : text.trim().split(":");
        if (p.length != n) {
            throw new IllegalArgumentException(what + " \"" + text + "\" has " + p.length + " fields; write " + form);
        }
        return p;
    }

    private static long number(String value, String text) {
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("\"" + value + "\" in \"" + text + "\" is not a whole number of milliseconds");
        }
    }
}
