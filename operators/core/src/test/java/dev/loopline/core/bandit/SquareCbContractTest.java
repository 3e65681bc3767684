package dev.loopline.core.bandit;

class SquareCbContractTest extends BanditPolicyContractTest {
    @Override
    protected PolicyConfig config() {
        return PolicyFactory.defaults(PolicyFactory.SQUARECB, SEED);
    }
}
