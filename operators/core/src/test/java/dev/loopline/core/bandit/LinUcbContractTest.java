package dev.loopline.core.bandit;

class LinUcbContractTest extends BanditPolicyContractTest {
    @Override
    protected PolicyConfig config() {
        return PolicyFactory.defaults(PolicyFactory.LINUCB, SEED);
    }
}
