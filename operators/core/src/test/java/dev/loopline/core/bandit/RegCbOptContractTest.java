package dev.loopline.core.bandit;

class RegCbOptContractTest extends BanditPolicyContractTest {
    @Override
    protected PolicyConfig config() {
        return PolicyFactory.defaults(PolicyFactory.REGCB_OPT, SEED);
    }
}
