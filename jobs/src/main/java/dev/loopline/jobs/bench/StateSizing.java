package dev.loopline.jobs.bench;

import dev.loopline.core.bandit.BanditDecision;
import dev.loopline.core.bandit.BanditPolicy;
import dev.loopline.core.bandit.DecisionInput;
import dev.loopline.core.bandit.PolicyFactory;
import dev.loopline.core.memory.ErrorMemory;
import dev.loopline.core.memory.ErrorMemoryConfig;
import dev.loopline.envs.Environment;
import dev.loopline.envs.Environments;
import dev.loopline.flink.CoreRecords;
import dev.loopline.flink.Outcomes;
import dev.loopline.flink.PendingDecisionSerializer;
import dev.loopline.schemas.ContextEvent;
import dev.loopline.schemas.Decision;
import dev.loopline.schemas.internal.PendingDecision;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.flink.core.memory.DataOutputSerializer;

/**
 * What one entity and one decision cost the loop, measured on the payments simulator's events: per policy
 * family, the keyed state one entity holds (its policy snapshot) and the policy's CPU per decision (choose and
 * learn, one thread, after a warm-up); the bytes of a pending decision and of its tombstone; the bytes of one
 * error-memory entry. The sizing section of the README multiplies these out.
 */
public final class StateSizing {
    /** One policy family: state bytes per key after {@code events} outcomes, and CPU microseconds per decision. */
    public record PolicyCost(String policy, int stateBytesPerKey, double microsPerDecision) {}

    /** @param projectedPendingDecisionBytes a waiting decision when only its outcome's projection reads it */
    public record Result(int events, int contextFeatures, int actions, List<PolicyCost> policies, int pendingDecisionBytes,
            int projectedPendingDecisionBytes, int tombstoneBytes, int errorMemoryEntryBytes, int errorMemoryCapacity) {}

    private StateSizing() {}

    public static Result measure(int events, PrintStream out) throws IOException {
        List<ContextEvent> contexts = new ArrayList<>();
        Environment env = Environments.create("payments", 1);
        for (int i = 0; i < events; i++) {
            contexts.add(env.next(1_000L + i));
        }
        List<DecisionInput> inputs = contexts.stream().map(CoreRecords::decisionInput).toList();
        List<PolicyCost> costs = new ArrayList<>();
        for (String name : PolicyFactory.NAMES) {
            BanditPolicy policy = PolicyFactory.create(name, 1);
            long start = 0;
            for (int i = 0; i < events; i++) {
                if (i == events / 2) {
                    start = System.nanoTime(); // the first half warms the JIT and the policy up
                }
                BanditDecision d = policy.choose(inputs.get(i));
                policy.learn(inputs.get(i), d.index(), env.outcome(contexts.get(i), d.actionId()).reward());
            }
            double micros = (System.nanoTime() - start) / 1e3 / (events - events / 2);
            costs.add(new PolicyCost(name, policy.snapshot().length, micros));
        }
        ContextEvent context = contexts.get(0);
        Decision decision = Decision.newBuilder().setDecisionId(context.getEventId()).setEntityId(context.getEntityId())
                .setTimestamp(context.getTimestamp()).setActionId(context.getActions().get(0).getActionId())
                .setPropensity(0.2).setProbabilities(CoreRecords.perAction(inputs.get(0),
                        new double[inputs.get(0).size()])).setPolicy(PolicyFactory.SQUARECB).setModelVersion(1)
                .setExplored(false).setLatencyMicros(0).build();
        PendingDecision open = PendingDecision.newBuilder().setContext(context).setDecision(decision).setDeadline(1)
                .setResolved(false).setBasePrediction(0.5).setServedPrediction(0.5).build();
        PendingDecision projected = PendingDecision.newBuilder(open)
                .setContext(Outcomes.projected(context, decision.getActionId(), List.of()))
                .setDecision(Outcomes.projected(decision)).build();
        PendingDecision tombstone = PendingDecision.newBuilder().setDecision(decision).setDeadline(1).setResolved(true).build();
        int features = context.getFeatures().size();
        int entryBytes = new ErrorMemory.Entry(1, 1, 0.1, new double[features]).encode().length;
        Result result = new Result(events, features, context.getActions().size(), costs, bytes(open), bytes(projected), bytes(tombstone),
                entryBytes, ErrorMemoryConfig.keyedDefaults().capacity());
        print(result, out);
        return result;
    }

    private static int bytes(PendingDecision p) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(512);
        new PendingDecisionSerializer().serialize(p, out);
        return out.length();
    }

    private static void print(Result r, PrintStream out) {
        out.printf(Locale.ROOT, "State and CPU per entity, payments events (%d context features, %d actions), %,d outcomes:%n",
                r.contextFeatures(), r.actions(), r.events());
        out.printf(Locale.ROOT, "  %-16s %22s %20s %26s%n", "policy", "state bytes per key", "CPU us per decision",
                "cores per 1,000 decisions/s");
        for (PolicyCost c : r.policies()) {
            out.printf(Locale.ROOT, "  %-16s %,22d %20.1f %26.3f%n", c.policy(), c.stateBytesPerKey(), c.microsPerDecision(),
                    c.microsPerDecision() / 1_000);
        }
        out.printf(Locale.ROOT, "  pending decision %,d bytes while it waits (%,d with neither trainer nor off-policy "
                + "evaluation), %,d as a tombstone; error-memory entry %,d bytes (x %d per action and key when the memory is on)%n",
                r.pendingDecisionBytes(), r.projectedPendingDecisionBytes(), r.tombstoneBytes(),
                r.errorMemoryEntryBytes(), r.errorMemoryCapacity());
    }
}
