package dev.loopline.flink;

import dev.loopline.core.join.FeedbackJoin;
import dev.loopline.schemas.internal.PendingDecision;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.common.typeutils.base.StringSerializer;
import org.apache.flink.streaming.api.TimerService;

/**
 * The feedback join's store in keyed state: the current key's pending decisions (and tombstones) by id,
 * and per timer kind the ids due at each instant, one event-time timer per instant. The record kept per
 * decision is a {@link PendingDecision} in its own binary format ({@link PendingDecisionSerializer}).
 */
final class PendingDecisions implements FeedbackJoin.Store<PendingDecision>, FeedbackJoin.Records<PendingDecision> {
    private final MapState<String, PendingDecision> pending;
    private final MapState<Long, List<String>> deadlines;
    private final MapState<Long, List<String>> expiries;
    private TimerService timers;

    PendingDecisions(RuntimeContext runtime) {
        pending = runtime.getMapState(new MapStateDescriptor<>("pending-decisions-v1", StringSerializer.INSTANCE,
                new PendingDecisionSerializer()));
        deadlines = runtime.getMapState(new MapStateDescriptor<>("decision-deadlines-v1", Types.LONG,
                Types.LIST(Types.STRING)));
        expiries = runtime.getMapState(new MapStateDescriptor<>("decision-expiries-v1", Types.LONG,
                Types.LIST(Types.STRING)));
    }

    /** This store with the timer service of the element or timer being processed. */
    PendingDecisions at(TimerService timerService) {
        this.timers = timerService;
        return this;
    }

    @Override
    public PendingDecision get(String id) throws Exception {
        return pending.get(id);
    }

    @Override
    public void put(String id, PendingDecision decision) throws Exception {
        pending.put(id, decision);
    }

    @Override
    public void remove(String id) throws Exception {
        pending.remove(id);
    }

    @Override
    public void schedule(FeedbackJoin.Timer timer, long at, String id) throws Exception {
        MapState<Long, List<String>> index = index(timer);
        List<String> ids = index.get(at);
        if (ids == null) {
            ids = new ArrayList<>();
            timers.registerEventTimeTimer(at);
        }
        ids.add(id);
        index.put(at, ids);
    }

    @Override
    public List<String> takeDue(FeedbackJoin.Timer timer, long at) throws Exception {
        MapState<Long, List<String>> index = index(timer);
        List<String> due = index.get(at);
        if (due == null) {
            return List.of();
        }
        index.remove(at);
        return due;
    }

    private MapState<Long, List<String>> index(FeedbackJoin.Timer timer) {
        return timer == FeedbackJoin.Timer.DEADLINE ? deadlines : expiries;
    }

    @Override
    public long deadline(PendingDecision p) {
        return p.getDeadline();
    }

    @Override
    public boolean resolved(PendingDecision p) {
        return p.getResolved();
    }

    @Override
    public boolean hasContext(PendingDecision p) {
        return p.getContext() != null;
    }

    @Override
    public List<Long> feedbackTimes(PendingDecision p) {
        return p.getFeedbackTimes();
    }

    @Override
    public double rewardSum(PendingDecision p) {
        return p.getRewardSum();
    }

    @Override
    public PendingDecision withFeedback(PendingDecision p, double reward, long at) {
        List<Long> times = new ArrayList<>(p.getFeedbackTimes());
        times.add(at);
        return PendingDecision.newBuilder(p).setRewardSum(p.getRewardSum() + reward).setFeedbackTimes(times).build();
    }

    @Override
    public PendingDecision withoutContext(PendingDecision p) {
        return PendingDecision.newBuilder(p).setContext(null).build();
    }

    @Override
    public PendingDecision tombstone(PendingDecision p, boolean keepContext) {
        // Enough to tell late feedback from feedback for an unknown decision, and the decision for the late example.
        PendingDecision.Builder tombstone = PendingDecision.newBuilder().setDeadline(p.getDeadline()).setResolved(true)
                .setDecision(p.getDecision());
        if (keepContext) {
            tombstone.setContext(p.getContext()).setBasePrediction(p.getBasePrediction())
                    .setServedPrediction(p.getServedPrediction()).setMemoryNeighbours(p.getMemoryNeighbours())
                    .setMemoryOccupancy(p.getMemoryOccupancy());
        }
        return tombstone.build();
    }
}
