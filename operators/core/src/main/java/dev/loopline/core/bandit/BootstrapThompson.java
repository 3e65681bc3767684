package dev.loopline.core.bandit;

import java.util.SplittableRandom;

/**
 * Bootstrap (bagging) Thompson sampling: a uniformly drawn member of the online bootstrap chooses its
 * best action. The propensity is exact: the share of members whose best action it is (a member with
 * tied best actions splits its share).
 */
public final class BootstrapThompson implements Exploration {
    public static final String NAME = "bagging";

    /** @param members bootstrap replicates; each costs one scorer's memory and learning */
    public record Config(int members) implements ExplorationConfig {
        public Config {
            if (members < 2 || members > 256) {
                throw new IllegalArgumentException("bagging-ts members=" + members
                        + " is outside [2, 256]; 8-16 is usual (each member is a full copy of the scorer)");
            }
        }

        public static Config defaults() {
            return new Config(8);
        }

        @Override
        public String strategy() {
            return NAME;
        }

        @Override
        public Exploration create() {
            return new BootstrapThompson();
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean needsMembers() {
        return true;
    }

    @Override
    public Spread explore(ScoreSheet sheet, SplittableRandom random) {
        double[][] members = sheet.members();
        int k = sheet.size();
        double[] p = new double[k];
        for (double[] member : members) {
            double[] share = Spread.argmaxSet(member);
            for (int a = 0; a < k; a++) {
                p[a] += share[a] / members.length;
            }
        }
        int drawn = random.nextInt(members.length);
        int chosen = Draws.argmaxRandomTies(members[drawn], random);
        return new Spread(p, chosen, null, false);
    }
}
