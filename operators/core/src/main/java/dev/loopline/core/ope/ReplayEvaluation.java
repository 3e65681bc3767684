package dev.loopline.core.ope;

import dev.loopline.core.bandit.BanditDecision;
import dev.loopline.core.bandit.BanditPolicy;
import dev.loopline.core.bandit.PolicyFactory;
import dev.loopline.core.bandit.PolicyTuning;
import dev.loopline.core.bandit.DecisionInput;
import dev.loopline.core.stats.Bootstrap;
import dev.loopline.core.stats.Interval;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Online off-policy evaluation over a sliding window of logged decisions: what each candidate policy
 * of the suite would have earned on the loop's own traffic, and the loop's regret against the best
 * fixed action and against a reference policy, all without an oracle.
 *
 * <p><b>How a candidate's distribution is obtained: replay.</b> A learning policy has no fixed
 * distribution; what it would do depends on what it has learned. Each candidate is therefore replayed
 * as a learner over the logged stream, in order: for logged decision i it gives its distribution
 * {@code π_i(·|x_i)} having learned from decisions 0..i−1 only, and then learns the logged outcome
 * (the logged action and its reward; it never sees the rewards of actions it would have chosen). Each
 * row keeps the importance weight {@code π_i(a_i|x_i) / μ(a_i|x_i)} with the logging propensity μ. This
 * is the progressive ("replay") estimate of the candidate's value as it learns on this traffic, not of
 * a frozen model; it differs from a live run in that the candidate learns from the logging policy's
 * choices instead of its own. A non-learning candidate ({@code uniform}) is exact.
 *
 * <p>The doubly robust estimates use a ridge reward model replayed the same way (the {@code greedy}
 * policy's scorer): its predictions for decision i come from decisions before i, so a row's residual
 * never contains its own reward.
 *
 * <p>At each {@link #closeWindow()} every candidate gets SNIPS and DR over the rows in the window, with
 * percentile bootstrap intervals (rows resampled with the reward model fixed). The regret of the loop per
 * decision is estimated as {@code V̂(comparator) − mean logged reward}, with a bootstrap interval of the
 * difference, for two comparators:
 * <ul>
 *   <li>the best fixed action: the action with the highest SNIPS value, {@code Σ 1{a_i=a} r_i/μ_i /
 *       Σ 1{a_i=a}/μ_i} (the value of always taking a where it was offered), among actions logged at
 *       least {@value #MIN_SUPPORT} times in the window. The maximum of noisy estimates is optimistic, so
 *       the action is chosen on half of the rows (even positions) and valued on the other half, both
 *       ways, and the two values averaged; every bootstrap replicate does the same, so the interval
 *       carries the selection too;</li>
 *   <li>a reference policy (uniform random by default), replayed like a candidate, valued by SNIPS.</li>
 * </ul>
 * The window's regret is that rate times the decisions that entered the window since the last close;
 * the cumulative regret is the running sum, and its bounds the running sums of the windows' bounds (a
 * conservative band, wider than a joint interval).
 */
public final class ReplayEvaluation {
    /** Least logged rows of an action for it to be a candidate best fixed action. */
    public static final int MIN_SUPPORT = 20;
    static final int MAGIC = 0x4C4C5245;
    static final int FORMAT_VERSION = 1;

    /**
     * @param candidates      policy names of the suite ({@link PolicyFactory}) to estimate, each at most once
     * @param reference       the policy the regret is also measured against, e.g. {@code uniform}
     * @param seed            seed of the replayed policies (their draws depend on it and the event id)
     * @param windowDecisions logged decisions kept, in [100, 1,000,000]
     * @param bootstrap       resamples, level and seed of every interval
     * @param tuning          the deployment's policy knobs, so a candidate is the policy the loop would run
     */
    public record Config(List<String> candidates, String reference, long seed, int windowDecisions,
            Bootstrap.Config bootstrap, PolicyTuning tuning) implements Serializable {
        public Config(List<String> candidates, String reference, long seed, int windowDecisions, Bootstrap.Config bootstrap) {
            this(candidates, reference, seed, windowDecisions, bootstrap, PolicyTuning.DEFAULTS);
        }

        public Config {
            candidates = List.copyOf(candidates);
            if (candidates.stream().distinct().count() != candidates.size()) {
                throw new IllegalArgumentException("off-policy candidates " + candidates + " name a policy twice");
            }
            for (String c : java.util.stream.Stream.concat(candidates.stream(), java.util.stream.Stream.of(reference)).toList()) {
                if (!PolicyFactory.create(PolicyFactory.config(c, seed, tuning)).learns()) {
                    throw new IllegalArgumentException("off-policy candidate " + c + " serves the trainer's reward model,"
                            + " which the replay does not see; the promotion gate values it on held-out decisions instead."
                            + " Replay one of " + PolicyFactory.NAMES + " or " + PolicyFactory.UNIFORM);
                }
            }
            if (windowDecisions < 100 || windowDecisions > 1_000_000) {
                throw new IllegalArgumentException("off-policy window of " + windowDecisions
                        + " decisions is outside [100, 1000000]; 2000 is a good start");
            }
            if (bootstrap == null) {
                throw new IllegalArgumentException("the bootstrap config is missing; use Bootstrap.Config.defaults()");
            }
        }
    }

    /** A candidate's estimates over the window; the DR reward model is the replayed ridge model. */
    public record PolicyEstimate(String policy, int rows, OffPolicyEvaluation.Estimate snips,
            OffPolicyEvaluation.Estimate dr, double effectiveSampleSize) {}

    /**
     * The loop's regret against one comparator.
     *
     * @param comparator     {@code bestFixed} or {@code reference}
     * @param against        the best fixed action's id, or the reference policy's name
     * @param perDecision    estimated regret per decision over the window, with its interval
     * @param window         regret of the decisions that entered since the last close
     * @param cumulative     running sum of the windows' regrets
     * @param cumulativeLow  running sum of the windows' lower bounds
     * @param cumulativeHigh running sum of the windows' upper bounds
     */
    public record Regret(String comparator, String against, double perDecision, Interval perDecisionInterval,
            double window, Interval windowInterval, double cumulative, double cumulativeLow, double cumulativeHigh) {}

    /**
     * @param rows        logged decisions in the window
     * @param newRows     decisions that entered since the previous close
     * @param loggedValue mean logged reward over the window
     * @param candidates  one estimate per candidate, in config order
     * @param bestFixed   regret against the best fixed action; empty when no action has enough support
     * @param reference   regret against the reference policy
     */
    public record Report(int rows, int newRows, double loggedValue, List<PolicyEstimate> candidates,
            Optional<Regret> bestFixed, Regret reference) {}

    private final Config config;
    /** Candidates, then the reference last. */
    private final List<BanditPolicy> policies = new ArrayList<>();
    private final BanditPolicy rewardModel;
    private final int capacity;
    private final double[] reward;
    private final double[] propensity;
    private final double[] modelLogged;
    private final String[] action;
    private final double[][] weight;
    private final double[][] modelTarget;
    private int head;
    private int size;
    private int newRows;
    private final double[] cumBestFixed = new double[3];
    private final double[] cumReference = new double[3];

    public ReplayEvaluation(Config config) {
        this.config = config;
        for (String c : config.candidates()) {
            policies.add(PolicyFactory.create(PolicyFactory.config(c, config.seed(), config.tuning())));
        }
        policies.add(PolicyFactory.create(PolicyFactory.config(config.reference(), config.seed(), config.tuning())));
        rewardModel = PolicyFactory.create(PolicyFactory.GREEDY, config.seed());
        capacity = config.windowDecisions();
        reward = new double[capacity];
        propensity = new double[capacity];
        modelLogged = new double[capacity];
        action = new String[capacity];
        weight = new double[policies.size()][capacity];
        modelTarget = new double[policies.size()][capacity];
    }

    public Config config() {
        return config;
    }

    /** Logged decisions in the window. */
    public int size() {
        return size;
    }

    /**
     * One logged decision, in the order the loop resolved them.
     *
     * @param input        the context and offered actions
     * @param loggedAction the action the loop took, one of the offered
     * @param propensity   the loop's probability of it, in (0, 1]
     * @param reward       the reward it earned, finite
     */
    public void observe(DecisionInput input, String loggedAction, double propensity, double reward) {
        int chosen = input.actionIds().indexOf(loggedAction);
        if (chosen < 0) {
            throw new IllegalArgumentException("logged action " + loggedAction + " was not offered in event " + input.eventId());
        }
        if (!(propensity > 0 && propensity <= 1)) {
            throw new IllegalArgumentException("propensity " + propensity + " of event " + input.eventId()
                    + " is outside (0, 1]; off-policy estimates need the logging probability");
        }
        if (!Double.isFinite(reward)) {
            throw new IllegalArgumentException("reward " + reward + " of event " + input.eventId() + " is not finite");
        }
        double[] q = rewardModel.choose(input).scores();
        int row = (head + size) % capacity;
        if (size == capacity) {
            head = (head + 1) % capacity;
        } else {
            size++;
        }
        this.reward[row] = reward;
        this.propensity[row] = propensity;
        this.modelLogged[row] = q[chosen];
        this.action[row] = loggedAction;
        for (int p = 0; p < policies.size(); p++) {
            BanditPolicy policy = policies.get(p);
            BanditDecision d = policy.choose(input);
            double[] pi = d.probabilities();
            double target = 0;
            for (int a = 0; a < pi.length; a++) {
                target += pi[a] * q[a];
            }
            weight[p][row] = pi[chosen] / propensity;
            modelTarget[p][row] = target;
            policy.learn(input, chosen, reward);
        }
        rewardModel.learn(input, chosen, reward);
        newRows++;
    }

    /**
     * Estimates over the window and closes the current metrics window: its regret is added to the
     * cumulative sums and the count of new decisions starts again. Empty while the window is empty.
     */
    public Optional<Report> closeWindow() {
        if (size == 0) {
            return Optional.empty();
        }
        int n = size;
        double[] r = ordered(reward);
        double[] mu = ordered(propensity);
        double[] ql = ordered(modelLogged);
        String[] acts = new String[n];
        for (int i = 0; i < n; i++) {
            acts[i] = action[(head + i) % capacity];
        }
        OffPolicyEvaluation.Config ope = new OffPolicyEvaluation.Config(config.bootstrap(), Double.POSITIVE_INFINITY,
                0.0, 1);
        List<PolicyEstimate> estimates = new ArrayList<>();
        for (int p = 0; p < config.candidates().size(); p++) {
            OpeSample s = new OpeSample(ordered(weight[p]), r, ql, ordered(modelTarget[p]));
            OffPolicyEvaluation.Report report = OffPolicyEvaluation.evaluate(s, ope);
            estimates.add(new PolicyEstimate(config.candidates().get(p), n, report.get("snips"), report.get("dr"),
                    report.weights().effectiveSampleSize()));
        }
        double logged = mean(r);
        int fresh = newRows;
        newRows = 0;

        double[] refWeights = ordered(weight[policies.size() - 1]);
        Regret reference = regret("reference", config.reference(), logged,
                idx -> Estimator.snips(refWeights, r, idx) - mean(r, idx), refValue(refWeights, r) - logged, fresh, cumReference);

        Map<String, Integer> index = new HashMap<>();
        int[] a = new int[n];
        List<String> names = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            a[i] = index.computeIfAbsent(acts[i], k -> {
                names.add(k);
                return names.size() - 1;
            });
        }
        int k = names.size();
        int[] support = new int[k];
        for (int x : a) {
            support[x]++;
        }
        boolean[] eligible = new boolean[k];
        boolean any = false;
        for (int j = 0; j < k; j++) {
            eligible[j] = support[j] >= MIN_SUPPORT;
            any |= eligible[j];
        }
        Optional<Regret> bestFixed = Optional.empty();
        if (any) {
            int[] all = identity(n);
            double[] values = fixedValues(a, k, r, mu, all);
            int best = -1;
            for (int j = 0; j < k; j++) {
                if (eligible[j] && (best < 0 || values[j] > values[best])) {
                    best = j;
                }
            }
            double point = crossFittedBest(a, k, r, mu, all, eligible) - logged;
            bestFixed = Optional.of(regret("bestFixed", names.get(best), logged,
                    idx -> crossFittedBest(a, k, r, mu, idx, eligible) - mean(r, idx), point, fresh, cumBestFixed));
        }
        return Optional.of(new Report(n, fresh, logged, estimates, bestFixed, reference));
    }

    private Regret regret(String comparator, String against, double logged,
            java.util.function.ToDoubleFunction<int[]> statistic, double point, int fresh, double[] cum) {
        Interval per = Bootstrap.interval(size, statistic, config.bootstrap());
        Interval window = new Interval(per.low() * fresh, per.high() * fresh, per.level());
        cum[0] += point * fresh;
        cum[1] += window.low();
        cum[2] += window.high();
        return new Regret(comparator, against, point, per, point * fresh, window, cum[0], cum[1], cum[2]);
    }

    private static double refValue(double[] w, double[] r) {
        return Estimator.snips(w, r, identity(r.length));
    }

    /**
     * The value of the best fixed action without the optimism of taking the maximum of noisy estimates:
     * the action chosen on the rows of even position is valued on the odd ones and vice versa, and the
     * two values averaged (cross-fitting). Rows keep their parity in a bootstrap replicate.
     */
    private static double crossFittedBest(int[] a, int k, double[] r, double[] mu, int[] idx, boolean[] eligible) {
        int evens = 0;
        for (int i : idx) {
            evens += (i & 1) == 0 ? 1 : 0;
        }
        int[] even = new int[evens];
        int[] odd = new int[idx.length - evens];
        int e = 0;
        int o = 0;
        for (int i : idx) {
            if ((i & 1) == 0) {
                even[e++] = i;
            } else {
                odd[o++] = i;
            }
        }
        double[] onEven = fixedValues(a, k, r, mu, even);
        double[] onOdd = fixedValues(a, k, r, mu, odd);
        double sum = 0;
        int halves = 0;
        for (double[][] pair : new double[][][] {{onEven, onOdd}, {onOdd, onEven}}) {
            int best = argmax(pair[0], eligible);
            if (best >= 0 && !Double.isNaN(pair[1][best])) {
                sum += pair[1][best];
                halves++;
            }
        }
        return halves == 0 ? Double.NaN : sum / halves;
    }

    private static int argmax(double[] values, boolean[] eligible) {
        int best = -1;
        for (int j = 0; j < values.length; j++) {
            if (eligible[j] && !Double.isNaN(values[j]) && (best < 0 || values[j] > values[best])) {
                best = j;
            }
        }
        return best;
    }

    /** SNIPS value of always taking each action, NaN for an action absent from the rows. */
    private static double[] fixedValues(int[] a, int k, double[] r, double[] mu, int[] idx) {
        double[] num = new double[k];
        double[] den = new double[k];
        for (int i : idx) {
            num[a[i]] += r[i] / mu[i];
            den[a[i]] += 1 / mu[i];
        }
        double[] v = new double[k];
        for (int j = 0; j < k; j++) {
            v[j] = den[j] == 0 ? Double.NaN : num[j] / den[j];
        }
        return v;
    }

    private static double mean(double[] x) {
        double s = 0;
        for (double v : x) {
            s += v;
        }
        return s / x.length;
    }

    private static double mean(double[] x, int[] idx) {
        double s = 0;
        for (int i : idx) {
            s += x[i];
        }
        return s / idx.length;
    }

    private static int[] identity(int n) {
        int[] all = new int[n];
        for (int i = 0; i < n; i++) {
            all[i] = i;
        }
        return all;
    }

    /** The column's rows oldest first. */
    private double[] ordered(double[] column) {
        double[] out = new double[size];
        for (int i = 0; i < size; i++) {
            out[i] = column[(head + i) % capacity];
        }
        return out;
    }

    /**
     * Format {@value #FORMAT_VERSION} (big-endian): int magic ("LLRE"), int version, int rows, int new rows,
     * 6 doubles of cumulative regret (best fixed, then reference: value, low, high), int policies and per
     * policy (candidates, reference, reward model) UTF name, int length, its {@link BanditPolicy#snapshot},
     * then per row oldest first: double reward, propensity, model prediction, UTF action, and per policy
     * double weight and model value. The window's capacity comes from the config, so it can be changed
     * between runs (the oldest rows are dropped when it shrinks).
     */
    public byte[] snapshot() {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeInt(MAGIC);
            out.writeInt(FORMAT_VERSION);
            out.writeInt(size);
            out.writeInt(newRows);
            for (double v : cumBestFixed) {
                out.writeDouble(v);
            }
            for (double v : cumReference) {
                out.writeDouble(v);
            }
            List<BanditPolicy> all = new ArrayList<>(policies);
            all.add(rewardModel);
            out.writeInt(all.size());
            for (BanditPolicy p : all) {
                byte[] s = p.snapshot();
                out.writeUTF(p.name());
                out.writeInt(s.length);
                out.write(s);
            }
            for (int i = 0; i < size; i++) {
                int row = (head + i) % capacity;
                out.writeDouble(reward[row]);
                out.writeDouble(propensity[row]);
                out.writeDouble(modelLogged[row]);
                out.writeUTF(action[row]);
                for (int p = 0; p < policies.size(); p++) {
                    out.writeDouble(weight[p][row]);
                    out.writeDouble(modelTarget[p][row]);
                }
            }
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException("writing to memory failed", e);
        }
    }

    /**
     * An evaluation with this config and a snapshot's state. The snapshot must hold the same candidates
     * and reference in the same order (a changed list starts afresh: the caller catches the
     * {@link IllegalArgumentException}).
     */
    public static ReplayEvaluation restore(Config config, byte[] snapshot) {
        ReplayEvaluation e = new ReplayEvaluation(config);
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(snapshot))) {
            if (in.readInt() != MAGIC) {
                throw new IllegalArgumentException("not a replay evaluation snapshot (bad magic)");
            }
            int version = in.readInt();
            if (version != FORMAT_VERSION) {
                throw new IllegalArgumentException("replay evaluation snapshot format " + version
                        + " is not supported; this build reads " + FORMAT_VERSION);
            }
            int rows = in.readInt();
            e.newRows = in.readInt();
            for (int i = 0; i < 3; i++) {
                e.cumBestFixed[i] = in.readDouble();
            }
            for (int i = 0; i < 3; i++) {
                e.cumReference[i] = in.readDouble();
            }
            List<BanditPolicy> all = new ArrayList<>(e.policies);
            all.add(e.rewardModel);
            int n = in.readInt();
            if (n != all.size()) {
                throw new IllegalArgumentException("snapshot holds " + n + " replayed policies, the config " + all.size());
            }
            for (BanditPolicy p : all) {
                String name = in.readUTF();
                if (!name.equals(p.name())) {
                    throw new IllegalArgumentException("snapshot replays " + name + " where the config has " + p.name());
                }
                p.restore(in.readNBytes(in.readInt()));
            }
            for (int i = 0; i < rows; i++) {
                double r = in.readDouble();
                double mu = in.readDouble();
                double ql = in.readDouble();
                String a = in.readUTF();
                double[] w = new double[e.policies.size()];
                double[] qt = new double[e.policies.size()];
                for (int p = 0; p < w.length; p++) {
                    w[p] = in.readDouble();
                    qt[p] = in.readDouble();
                }
                e.append(r, mu, ql, a, w, qt);
            }
            if (in.available() != 0) {
                throw new IllegalArgumentException(in.available() + " trailing bytes after the replay evaluation state");
            }
        } catch (IOException ex) {
            throw new IllegalArgumentException("replay evaluation snapshot ends early: " + ex.getMessage(), ex);
        }
        return e;
    }

    private void append(double r, double mu, double ql, String a, double[] w, double[] qt) {
        int row = (head + size) % capacity;
        if (size == capacity) {
            head = (head + 1) % capacity;
        } else {
            size++;
        }
        reward[row] = r;
        propensity[row] = mu;
        modelLogged[row] = ql;
        action[row] = a;
        for (int p = 0; p < w.length; p++) {
            weight[p][row] = w[p];
            modelTarget[p][row] = qt[p];
        }
    }
}
