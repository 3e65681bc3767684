package dev.loopline.core.bandit;

/** SquareCB over per-action ridge regressions, learning from its own outcomes. */
class SquareCbLinearContractTest extends BanditPolicyContractTest {
    @Override
    protected PolicyConfig config() {
        return PolicyFactory.defaults(PolicyFactory.SQUARECB_LINEAR, SEED);
    }
}
