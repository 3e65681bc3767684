package dev.loopline.core.train;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import java.util.Random;

/**
 * The one minibatch training loop of the DJL trainers: epochs of shuffled minibatches over row-major
 * features, a forward and backward pass and an optimiser step each, every batch's arrays freed with it.
 */
final class Minibatches {
    private Minibatches() {}

    /** The loss of the last epoch (mean over its batches) and the optimiser steps taken. */
    record Outcome(double lastLoss, long steps) {}

    /**
     * @param x          {@code n} rows of {@code d} features, row-major
     * @param y          one target per row
     * @param column     targets as an {@code (n, 1)} column (regression) rather than a vector (class labels)
     * @param mask       {@code n} rows of {@code outputs} weights, or null: a row's prediction is the sum of the
     *                   network's outputs weighted by its mask row (one output per action: the chosen one's)
     * @param afterStep  run after every optimiser step (e.g. a projection of the weights), or null
     */
    static Outcome train(Trainer trainer, Loss loss, Device device, float[] x, int d, float[] y, boolean column,
            float[] mask, int outputs, int batchSize, int epochs, Random shuffle, Runnable afterStep) {
        int n = y.length;
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        double lastLoss = Double.NaN;
        long steps = 0;
        for (int epoch = 0; epoch < epochs; epoch++) {
            shuffleInPlace(order, shuffle);
            double lossSum = 0;
            int batches = 0;
            for (int from = 0; from < n; from += batchSize) {
                int size = Math.min(batchSize, n - from);
                float[] xb = new float[size * d];
                float[] yb = new float[size];
                float[] mb = mask == null ? null : new float[size * outputs];
                for (int r = 0; r < size; r++) {
                    System.arraycopy(x, order[from + r] * d, xb, r * d, d);
                    yb[r] = y[order[from + r]];
                    if (mb != null) {
                        System.arraycopy(mask, order[from + r] * outputs, mb, r * outputs, outputs);
                    }
                }
                try (NDManager batch = trainer.getManager().newSubManager(device)) {
                    NDArray features = batch.create(xb, new Shape(size, d));
                    NDArray targets = batch.create(yb, column ? new Shape(size, 1) : new Shape(size));
                    try (GradientCollector collector = trainer.newGradientCollector()) {
                        NDList predictions = trainer.forward(new NDList(features));
                        if (mb != null) {
                            NDArray weights = batch.create(mb, new Shape(size, outputs));
                            predictions = new NDList(predictions.singletonOrThrow().mul(weights).sum(new int[] {1}, true));
                        }
                        NDArray value = loss.evaluate(new NDList(targets), predictions);
                        collector.backward(value);
                        lossSum += value.getFloat();
                    }
                    trainer.step();
                }
                if (afterStep != null) {
                    afterStep.run();
                }
                batches++;
                steps++;
            }
            lastLoss = lossSum / batches;
        }
        return new Outcome(lastLoss, steps);
    }

    private static void shuffleInPlace(int[] a, Random random) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }
}
