package dev.loopline.core.bandit;

class UniformContractTest extends BanditPolicyContractTest {
    @Override
    protected PolicyConfig config() {
        return PolicyFactory.defaults(PolicyFactory.UNIFORM, SEED);
    }

    @Override
    protected boolean learns() {
        return false;
    }
}
