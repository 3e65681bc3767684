package dev.loopline.core.bandit;

class LinTsContractTest extends BanditPolicyContractTest {
    @Override
    protected PolicyConfig config() {
        return PolicyFactory.defaults(PolicyFactory.LIN_TS, SEED);
    }
}
