package dev.loopline.core.bandit;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.SplittableRandom;

/**
 * An online bootstrap (Oza and Russell; Eckles and Kaptein's bootstrap Thompson sampling): {@code B}
 * copies of a scorer, each learning every outcome a Poisson(1) number of times, so each member is a
 * draw from the bootstrap distribution of the model. The mean prediction is the members' average;
 * {@link #memberScores} gives each member's own, for an exploration that chooses by member.
 */
public final class BaggedScorer implements Scorer {
    public static final String KIND = "bagged";
    private static final double EXP_MINUS_ONE = Math.exp(-1);

    private final Scorer[] members;

    public BaggedScorer(Scorer prototype, int size) {
        if (size < 1) {
            throw new IllegalArgumentException("a bag needs at least one member, not " + size);
        }
        members = new Scorer[size];
        for (int i = 0; i < size; i++) {
            members[i] = prototype.copy();
        }
    }

    private BaggedScorer(Scorer[] members) {
        this.members = members;
    }

    public int size() {
        return members.length;
    }

    @Override
    public String kind() {
        return KIND + "-" + members[0].kind();
    }

    @Override
    public boolean hasWidths() {
        return false;
    }

    @Override
    public void score(Featurized features, DecisionInput input, double[] means, double[] widths) {
        if (widths != null) {
            throw new IllegalStateException("a bag reports member scores, not confidence widths");
        }
        average(memberScores(features, input), means);
    }

    /** The members' mean prediction per action. */
    static void average(double[][] each, double[] means) {
        for (int a = 0; a < means.length; a++) {
            double s = 0;
            for (double[] member : each) {
                s += member[a];
            }
            means[a] = s / each.length;
        }
    }

    /** Each member's predictions: {@code [member][action]}. */
    public double[][] memberScores(Featurized features, DecisionInput input) {
        double[][] each = new double[members.length][input.size()];
        for (int m = 0; m < members.length; m++) {
            members[m].score(features, input, each[m], null);
        }
        return each;
    }

    @Override
    public void learn(Featurized features, DecisionInput input, int chosen, double reward, double weight,
            SplittableRandom random) {
        for (Scorer member : members) {
            int times = poissonOne(random);
            if (times > 0) {
                member.learn(features, input, chosen, reward, weight * times, random);
            }
        }
    }

    /** A Poisson(1) draw (Knuth's product of uniforms; the mean is 1, so few steps). */
    static int poissonOne(SplittableRandom random) {
        int k = 0;
        double p = random.nextDouble();
        while (p > EXP_MINUS_ONE) {
            k++;
            p *= random.nextDouble();
        }
        return k;
    }

    @Override
    public BaggedScorer copy() {
        Scorer[] c = new Scorer[members.length];
        for (int i = 0; i < c.length; i++) {
            c[i] = members[i].copy();
        }
        return new BaggedScorer(c);
    }

    @Override
    public void write(DataOutput out) throws IOException {
        out.writeInt(members.length);
        for (Scorer member : members) {
            member.write(out);
        }
    }

    @Override
    public void read(DataInput in) throws IOException {
        int n = in.readInt();
        if (n != members.length) {
            throw new IllegalArgumentException("snapshot bag has " + n + " members, the config has " + members.length);
        }
        Scorer[] fresh = new Scorer[n];
        for (int i = 0; i < n; i++) {
            fresh[i] = members[i].copy();
            fresh[i].read(in);
        }
        System.arraycopy(fresh, 0, members, 0, n);
    }
}
