package dev.loopline.core.policy;

import java.util.Map;

/**
 * Why a policy chose what it chose: the score of each offered action, the exploration bonus on top
 * of it, and the features that contributed most to the chosen action's score (linear scorers only).
 */
public record Explanation(Map<String, Double> scores, Map<String, Double> bonus, Map<String, Double> topFeatures) {
    public Explanation {
        scores = Map.copyOf(scores);
        bonus = Map.copyOf(bonus);
        topFeatures = Map.copyOf(topFeatures);
    }
}
