package dev.loopline.envs.payments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loopline.envs.Environments;
import dev.loopline.schemas.Action;
import dev.loopline.schemas.ContextEvent;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PaymentsIncidentTest {
    private static final long T0 = 1_000_000;

    private static PaymentsSimulator simulator(String... options) {
        Map<String, String> o = new java.util.LinkedHashMap<>();
        o.put("degradeAfterMillis", "0");
        for (String option : options) {
            String[] kv = option.split("=", 2);
            o.put(kv[0], kv[1]);
        }
        return (PaymentsSimulator) Environments.create("payments", 3, o);
    }

    /** Mean oracle reward and realised reward of a route for events of a region, inside [from, to) ms. */
    private static double[] routeFigures(PaymentsSimulator sim, String route, String region, long from, long to) {
        double oracle = 0;
        double realised = 0;
        int n = 0;
        for (long t = 0; t < 60_000; t += 2) {
            ContextEvent e = sim.next(T0 + t);
            boolean inRegion = e.getFeatures().get("region_" + region) == 1.0;
            boolean offered = e.getActions().stream().anyMatch(a -> a.getActionId().equals(route));
            if (t >= from && t < to && inRegion && offered) {
                oracle += e.getOracleRewards().get(route);
                realised += sim.outcome(e, route).reward();
                n++;
            }
        }
        return new double[] {oracle / n, realised / n, n};
    }

    @Test
    void anIssuerOutageHitsOneRouteForOneRegionDuringItsWindowOnly() {
        String outage = "outage=route-0:eu:20000:40000:0.1";
        double[] during = routeFigures(simulator(outage), "route-0", "eu", 20_000, 40_000);
        double[] normal = routeFigures(simulator(), "route-0", "eu", 20_000, 40_000);
        double[] after = routeFigures(simulator(outage), "route-0", "eu", 40_000, 60_000);
        double[] afterNormal = routeFigures(simulator(), "route-0", "eu", 40_000, 60_000);
        double[] otherRegion = routeFigures(simulator(outage), "route-0", "us", 20_000, 40_000);
        double[] otherRegionNormal = routeFigures(simulator(), "route-0", "us", 20_000, 40_000);
        assertEquals(0.1, during[0] / normal[0], 1e-9, "oracle scaled during the outage");
        assertEquals(during[0], during[1], 0.03, "realised rewards follow the oracle (n=" + during[2] + ")");
        assertEquals(afterNormal[0], after[0], 1e-12, "the outage ends");
        assertEquals(otherRegionNormal[0], otherRegion[0], 1e-12, "other issuers are untouched");
    }

    @Test
    void aFeeChangeShowsInTheFeatureAndCostsRewardWhenFeesAreWeighed() {
        PaymentsSimulator sim = simulator("feeChange=route-1:30000:0.9", "feeWeight=0.5");
        assertEquals(0.5, sim.fee(1, 29_999), 1e-12);
        assertEquals(0.9, sim.fee(1, 30_000), 1e-12);
        double feeBefore = 0, feeAfter = 0;
        int nb = 0, na = 0;
        for (long t = 0; t < 60_000; t += 5) {
            ContextEvent e = sim.next(T0 + t);
            for (Action a : e.getActions()) {
                if (a.getActionId().equals("route-1")) {
                    double reward = sim.outcome(e, "route-1").reward();
                    assertTrue(reward == 0.0 || Math.abs(reward - (1 - 0.5 * sim.fee(1, t))) < 1e-12, "reward " + reward);
                    double p = sim.successProbability(e.getFeatures(), 1, false, t);
                    assertEquals(p * (1 - 0.5 * sim.fee(1, t)), e.getOracleRewards().get("route-1"), 1e-12);
                    if (t < 30_000) {
                        feeBefore += a.getFeatures().get("fee");
                        nb++;
                    } else {
                        feeAfter += a.getFeatures().get("fee");
                        na++;
                    }
                }
            }
        }
        assertEquals(0.5, feeBefore / nb, 0.01);
        assertEquals(0.9, feeAfter / na, 0.01);
    }

    @Test
    void badIncidentsAndOptionsAreRefusedWithTheForm() {
        var e = assertThrows(IllegalArgumentException.class, () -> simulator("outage=route-0:eu:20000"));
        assertTrue(e.getMessage().contains("ROUTE:REGION:FROM_MS:TO_MS:MULTIPLIER"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> simulator("outage=route-7:eu:0:10:0.1"));
        assertThrows(IllegalArgumentException.class, () -> simulator("outage=route-0:mars:0:10:0.1"));
        assertThrows(IllegalArgumentException.class, () -> simulator("outage=route-0:eu:10:5:0.1"));
        assertThrows(IllegalArgumentException.class, () -> simulator("feeWeight=2"));
        var unknown = assertThrows(IllegalArgumentException.class, () -> simulator("colour=red"));
        assertTrue(unknown.getMessage().contains("feeChange"), unknown.getMessage());
        var other = assertThrows(IllegalArgumentException.class,
                () -> Environments.create("robot", 1, Map.of("merchants", "3")));
        assertTrue(other.getMessage().contains("robot has no option \"merchants\""), other.getMessage());
        assertEquals(2, simulator("outage=route-0:eu:0:10:0.1; route-*:*:5:6:0".replace("route-*", "*")).config()
                .incidents().size());
        assertEquals(List.of(), simulator().config().incidents());
    }
}
