package dev.loopline.jobs.eval;

import dev.loopline.flink.CoreRecords;
import dev.loopline.core.bandit.BanditDecision;
import dev.loopline.core.bandit.BanditPolicy;
import dev.loopline.core.bandit.PolicyFactory;
import dev.loopline.core.memory.ErrorMemory;
import dev.loopline.core.memory.ErrorMemoryConfig;
import dev.loopline.core.memory.ScoreCompensation;
import dev.loopline.core.bandit.DecisionInput;
import dev.loopline.core.bandit.Draws;
import dev.loopline.envs.payments.PaymentsConfig;
import dev.loopline.envs.payments.PaymentsIncident;
import dev.loopline.envs.payments.PaymentsSimulator;
import dev.loopline.flink.LoopFunction;
import dev.loopline.schemas.ContextEvent;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The error memory on a bandit loop: the payments simulator with an outage, decided event by event by a
 * policy that learns online from each outcome, once alone and once with its predicted rewards corrected
 * by an error memory (one per action, one global key), same seed, same events, same outcomes (common
 * random numbers). Event time is one millisecond per event.
 *
 * <p>The loss of a decision is its regret (the best offered route's expected reward minus the chosen
 * one's), exact because the simulator knows every route's success probability. The level is the
 * policy's mean regret per event over the {@code window} events before the first shift (the policy
 * without the memory, for both runs); a run's excess after the shifts is its regret above that level,
 * summed over the {@code window} events from each shift on (an outage's start and its end are both
 * shifts: the world changes back). The stationary stretch is everything before the first shift after
 * a warm-up of one window; there the two runs are compared by mean expected reward.
 */
public final class BanditMemoryEvaluation {

    /**
     * @param policy  a policy of the suite ({@link PolicyFactory#NAMES}), learning online
     * @param events  events in the stream
     * @param shifts  the events (= milliseconds) at which the world changes, increasing
     * @param window  events after each shift whose excess regret is summed, and before the first that set the level
     */
    public record Options(String policy, int events, PaymentsConfig payments, List<Long> shifts, int window,
            ErrorMemoryConfig memory) {
        public Options {
            if (!PolicyFactory.NAMES.contains(policy) || policy.equals(PolicyFactory.UNIFORM)) {
                throw new IllegalArgumentException("policy '" + policy + "' is not a learning policy of the suite; choose one of "
                        + PolicyFactory.NAMES.stream().filter(n -> !n.equals(PolicyFactory.UNIFORM)).toList());
            }
            shifts = List.copyOf(shifts);
            if (window < 100 || shifts.isEmpty() || shifts.get(0) < 2L * window) {
                throw new IllegalArgumentException("the first shift " + shifts + " must leave a warm-up and a window ("
                        + window + " events) before it");
            }
            for (int i = 0; i < shifts.size(); i++) {
                if (shifts.get(i) >= events || (i > 0 && shifts.get(i) < shifts.get(i - 1) + window)) {
                    throw new IllegalArgumentException("shifts " + shifts + " must increase by at least a window ("
                            + window + ") and lie inside the " + events + " events");
                }
            }
        }

        /**
         * Two issuer outages, route-0 for eu cards and route-2 for us cards (the best routes of about half
         * the payments), keeping 5 % of their success from 20 s to 45 s of a 60 s stream; no degradation.
         */
        public static Options issuerOutage(String policy, long seed) {
            PaymentsConfig payments = PaymentsConfig.defaults(seed).withoutDrift().withIncidents(List.of(
                    new PaymentsIncident.Outage("route-0", "eu", 20_000, 45_000, 0.05),
                    new PaymentsIncident.Outage("route-2", "us", 20_000, 45_000, 0.05)));
            return new Options(policy, 60_000, payments, List.of(20_000L, 45_000L), 10_000,
                    ErrorMemoryConfig.defaults().withCapacity(256).withSeed(seed));
        }
    }

    /** One run's figures. */
    public record Run(double regret, double regretBeforeShift, double regretAfterShift, double excessAfterShift,
            double stationaryMeanReward, double meanReward, double eventsPerSecond) {}

    public record Result(Options options, double level, Run base, Run memory) {
        /** Share of the base run's excess regret after the shift that the memory saved. */
        public double excessReduction() {
            return 1 - memory.excessAfterShift() / base.excessAfterShift();
        }

        /** Relative change of the mean expected reward over the stationary stretch (negative: the memory is worse). */
        public double stationaryChange() {
            return memory.stationaryMeanReward() / base.stationaryMeanReward() - 1;
        }
    }

    private final Options options;

    public BanditMemoryEvaluation(Options options) {
        this.options = options;
    }

    public Result run() {
        Trace base = play(null);
        Trace memory = play(options.memory());
        long shift = options.shifts().get(0);
        double level = 0;
        for (long i = shift - options.window(); i < shift; i++) {
            level += base.regret()[(int) i];
        }
        level /= options.window();
        return new Result(options, level, figures(base, level), figures(memory, level));
    }

    /** One run, event by event: the regret and the expected reward of each decision, and the run's wall time. */
    private record Trace(double[] regret, double[] expectedReward, long nanos) {}

    private Trace play(ErrorMemoryConfig memoryConfig) {
        int n = options.events();
        PaymentsSimulator sim = new PaymentsSimulator(options.payments());
        long seed = options.payments().seed();
        BanditPolicy policy = PolicyFactory.create(options.policy(), seed);
        ScoreCompensation compensation = memoryConfig == null ? null
                : new ScoreCompensation(memoryConfig, sim.contextFeatureNames(), Double.NEGATIVE_INFINITY,
                        Double.POSITIVE_INFINITY);
        Map<String, ErrorMemory> memories = new HashMap<>();
        double[] regret = new double[n];
        double[] expected = new double[n];
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            ContextEvent e = sim.next(i);
            DecisionInput input = CoreRecords.decisionInput(e);
            var random = Draws.forEvent(seed, e.getEventId());
            ScoreCompensation.Lookup lookup = compensation == null ? null : compensation.lookup(input,
                    id -> memories.computeIfAbsent(id, x -> compensation.keyed().load(null)), i);
            BanditDecision d = lookup == null ? policy.choose(input, random) : policy.choose(input, random, lookup);
            Map<String, Double> oracle = e.getOracleRewards();
            double best = oracle.values().stream().mapToDouble(Double::doubleValue).max().orElseThrow();
            regret[i] = best - oracle.get(d.actionId());
            expected[i] = oracle.get(d.actionId());
            double reward = sim.outcome(e, d.actionId()).reward();
            if (lookup != null && lookup.applied()) {
                var served = lookup.of(d.index());
                compensation.learn(memories.get(d.actionId()), e.getFeatures(), reward, served.base(),
                        served.corrected(), served.neighbours(), i);
            }
            policy.learn(input, d.index(), reward);
        }
        return new Trace(regret, expected, System.nanoTime() - t0);
    }

    private Run figures(Trace trace, double level) {
        double[] r = trace.regret();
        double[] expected = trace.expectedReward();
        int n = options.events();
        int shift = options.shifts().get(0).intValue();
        int window = options.window();
        double total = 0, before = 0, after = 0, excess = 0, stationary = 0, reward = 0;
        for (int i = 0; i < n; i++) {
            total += r[i];
            reward += expected[i];
            if (i < shift) {
                before += r[i];
                if (i >= window) {
                    stationary += expected[i];
                }
            } else {
                after += r[i];
            }
        }
        for (long from : options.shifts()) {
            for (long i = from; i < Math.min(n, from + window); i++) {
                excess += r[(int) i] - level;
            }
        }
        return new Run(total, before, after, excess, stationary / (shift - window), reward / n,
                n / (trace.nanos() / 1e9));
    }
}
