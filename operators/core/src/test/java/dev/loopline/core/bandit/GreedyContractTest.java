package dev.loopline.core.bandit;

class GreedyContractTest extends BanditPolicyContractTest {
    @Override
    protected PolicyConfig config() {
        return PolicyFactory.defaults(PolicyFactory.GREEDY, SEED);
    }
}
