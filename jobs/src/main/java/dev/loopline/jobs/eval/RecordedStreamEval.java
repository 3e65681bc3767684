package dev.loopline.jobs.eval;

import dev.loopline.core.bandit.BanditDecision;
import dev.loopline.core.bandit.BanditPolicy;
import dev.loopline.core.bandit.DecisionInput;
import dev.loopline.core.bandit.PolicyConfig;
import dev.loopline.core.bandit.PolicyFactory;
import dev.loopline.flink.CoreRecords;
import dev.loopline.schemas.ContextEvent;
import dev.loopline.schemas.recording.RecordedEvent;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Replays a recorded environment run ({@code loopline demo|env --record}) offline, progressively and in the
 * order it was sent: each event is decided, then the chosen action's recorded reward is learned at once.
 * The stream decided the same events, but in parallel subtasks, with feedback arriving after its delay and a
 * reward model retrained in the background; the difference between the two regrets is the price of streaming.
 *
 * <p>Policy state lives where the loop keeps it: per entity ({@code state.scope: entity}, the loop's default)
 * or in one state ({@code global}). A policy that serves a reward model ({@code squarecb}) has one model
 * whatever the scope, trained as {@link ServedModelRounds} describes.
 *
 * <p>Rewards: {@code meanReward} is the recorded (realized) reward of the chosen actions, as the demo's
 * {@code meanReward}; regret is measured on the oracle's expected rewards, as the demo's
 * {@code cumulativeRegret}.
 */
public final class RecordedStreamEval {
    /** Where a learning policy's state lives, as {@code state.scope} in the loop. */
    public enum Scope {
        ENTITY, GLOBAL;

        /** {@code entity} or {@code global}; {@code segment} needs the loop's segment features and is not offered. */
        public static Scope parse(String text) {
            return switch (text) {
                case "entity" -> ENTITY;
                case "global" -> GLOBAL;
                default -> throw new IllegalArgumentException("--scope " + text + " is not entity or global");
            };
        }
    }

    /**
     * One policy's figures over the recording.
     *
     * @param meanReward            recorded reward of the chosen actions, per event
     * @param lastQuarterMeanReward the same over the last quarter of the events
     * @param meanRegret            oracle best minus the chosen action's expected reward, per event (0 when
     *                              the recording has no oracle)
     * @param lastQuarterMeanRegret the same over the last quarter of the events
     */
    public record Result(String policy, String scope, long events, double meanReward, double lastQuarterMeanReward,
            double meanExpectedReward, double oracleMeanReward, double meanRegret, double lastQuarterMeanRegret,
            double seconds, PolicyConfig config) {
        public double eventsPerSecond() {
            return events / Math.max(1e-9, seconds);
        }
    }

    private final List<RecordedEvent> events;
    private final long seed;
    private final Scope scope;

    public RecordedStreamEval(List<RecordedEvent> events, Scope scope, long seed) {
        if (events.isEmpty()) {
            throw new IllegalArgumentException("the recording holds no events");
        }
        this.events = events;
        this.scope = scope;
        this.seed = seed;
    }

    public long size() {
        return events.size();
    }

    /** The named policy's defaults with this evaluation's seed. */
    public Result run(String policyName) {
        return run(PolicyFactory.defaults(policyName, seed));
    }

    public Result run(PolicyConfig config) {
        BanditPolicy first = PolicyFactory.create(config);
        ServedModelRounds served = first.learns() ? null : new ServedModelRounds(first, seed);
        boolean perEntity = scope == Scope.ENTITY && first.learns();
        Map<String, BanditPolicy> byEntity = new HashMap<>();
        long lastQuarterFrom = events.size() - events.size() / 4;
        double reward = 0;
        double lastQuarter = 0;
        double expected = 0;
        double oracle = 0;
        double lastQuarterRegret = 0;
        long n = 0;
        long start = System.nanoTime();
        for (RecordedEvent recorded : events) {
            ContextEvent event = recorded.getEvent();
            BanditPolicy policy = perEntity
                    ? byEntity.computeIfAbsent(event.getEntityId(), e -> PolicyFactory.create(config))
                    : first;
            DecisionInput input = CoreRecords.decisionInput(event);
            BanditDecision decision = policy.choose(input);
            Double r = recorded.getRewards().get(decision.actionId());
            if (r == null) {
                throw new IllegalArgumentException("event " + event.getEventId() + " has no recorded reward for action "
                        + decision.actionId() + "; the recording is incomplete");
            }
            if (served != null) {
                served.learn(input, decision.index(), r);
            } else {
                policy.learn(input, decision.index(), r);
            }
            reward += r;
            if (n >= lastQuarterFrom) {
                lastQuarter += r;
            }
            Map<String, Double> oracleRewards = event.getOracleRewards();
            if (oracleRewards != null && !oracleRewards.isEmpty()) {
                double chosen = oracleRewards.getOrDefault(decision.actionId(), 0.0);
                expected += chosen;
                double best = oracleRewards.values().stream().mapToDouble(Double::doubleValue).max().orElse(0);
                oracle += best;
                if (n >= lastQuarterFrom) {
                    lastQuarterRegret += best - chosen;
                }
            }
            n++;
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Result(first.name(), scope.name().toLowerCase(java.util.Locale.ROOT), n, reward / n,
                lastQuarter / Math.max(1, n - lastQuarterFrom), expected / n, oracle / n, (oracle - expected) / n,
                lastQuarterRegret / Math.max(1, n - lastQuarterFrom), seconds, first.config());
    }

    /** The uniform-random floor on the same events. */
    public Result uniform() {
        return run(PolicyFactory.UNIFORM);
    }
}
