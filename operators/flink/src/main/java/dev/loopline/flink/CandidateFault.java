package dev.loopline.flink;

import dev.loopline.core.model.Mlp;
import java.io.Serializable;

/**
 * A fault a demonstration injects into the trainer's candidates, so the promotion gate can be seen
 * refusing one: never part of a deployed job's configuration ({@code loop.yaml} cannot set it).
 */
@FunctionalInterface
public interface CandidateFault extends Serializable {
    /** No fault: every candidate is what training produced. */
    CandidateFault NONE = (round, network) -> network;

    /** The candidate of training round {@code round}, made from the trained {@code network}. */
    Mlp candidate(long round, Mlp network);

    /** The candidate of {@code round} scores inverted (so the worst action looks best); every other as trained. */
    static CandidateFault invertRound(long round) {
        return (r, network) -> r == round ? network.inverted() : network;
    }
}
