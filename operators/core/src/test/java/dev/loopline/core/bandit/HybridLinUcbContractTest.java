package dev.loopline.core.bandit;

class HybridLinUcbContractTest extends BanditPolicyContractTest {
    @Override
    protected PolicyConfig config() {
        return PolicyFactory.defaults(PolicyFactory.LINUCB_HYBRID, SEED);
    }
}
