package dev.loopline.core.bandit;

class EpsilonGreedyContractTest extends BanditPolicyContractTest {
    @Override
    protected PolicyConfig config() {
        return PolicyFactory.defaults(PolicyFactory.EPSILON_GREEDY, SEED);
    }
}
