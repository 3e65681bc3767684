package dev.loopline.core.bandit;

class SoftmaxContractTest extends BanditPolicyContractTest {
    @Override
    protected PolicyConfig config() {
        return PolicyFactory.defaults(PolicyFactory.SOFTMAX, SEED);
    }
}
