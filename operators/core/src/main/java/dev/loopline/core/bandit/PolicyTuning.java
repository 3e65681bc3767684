package dev.loopline.core.bandit;

import java.io.Serializable;

/**
 * The knobs a deployment sets on the named policies ({@code policy.*} in {@code loop.yaml}). Each applies
 * wherever the policy has the part it tunes, so one setting means the same in the stream, in {@code
 * loopline eval} and for an off-policy candidate; {@link #DEFAULTS} are the policies' own defaults, so
 * tuning with them changes nothing.
 *
 * @param ucbAlpha   width of an upper-confidence bound (linucb, linucb-hybrid)
 * @param ridge      ridge prior strength of every linear scorer
 * @param gammaScale inverse-gap weighting's {@code gamma0} of squarecb (over the served model)
 * @param gammaMin   inverse-gap weighting's floor on gamma of squarecb
 */
public record PolicyTuning(double ucbAlpha, double ridge, double gammaScale, double gammaMin) implements Serializable {
    private static final InverseGap.Config SERVED = (InverseGap.Config) PolicyFactory.defaults(PolicyFactory.SQUARECB, 0)
            .exploration();
    public static final PolicyTuning DEFAULTS = new PolicyTuning(UpperConfidence.Config.defaults().alpha(),
            RidgeScorer.Config.defaults().ridge(), SERVED.gamma0(), SERVED.gammaMin());

    public PolicyTuning withUcbAlpha(double v) {
        return new PolicyTuning(v, ridge, gammaScale, gammaMin);
    }

    public PolicyTuning withRidge(double v) {
        return new PolicyTuning(ucbAlpha, v, gammaScale, gammaMin);
    }

    public PolicyTuning withGammaScale(double v) {
        return new PolicyTuning(ucbAlpha, ridge, v, gammaMin);
    }

    public PolicyTuning withGammaMin(double v) {
        return new PolicyTuning(ucbAlpha, ridge, gammaScale, v);
    }
}
