package dev.loopline.core.bandit;

class BaggingTsContractTest extends BanditPolicyContractTest {
    @Override
    protected PolicyConfig config() {
        return PolicyFactory.defaults(PolicyFactory.BAGGING_TS, SEED);
    }
}
