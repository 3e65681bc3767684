package dev.loopline.core.drift;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The SEA stream of the repository's {@code data/} (MOA's SEA generator, abrupt drifts at rows 10,000, 20,000
 * and 30,000, 10 % label noise), watched through the prequential errors of Gaussian naive Bayes, the
 * way {@code loopline drift} does without {@code --column}. These are the figures in the README.
 */
class SeaStreamGoldenTest {
    static final long[] DRIFTS = {10_000, 20_000, 30_000};
    static Streams.Sea sea;

    @BeforeAll
    static void load() throws IOException {
        sea = Streams.sea();
        assertEquals(40_000, sea.labels().length);
    }

    static List<Integer> run(DriftDetectorConfig config) {
        PrequentialMonitor monitor = new PrequentialMonitor(config, 3);
        List<Integer> hits = new ArrayList<>();
        for (int i = 0; i < sea.labels().length; i++) {
            if (monitor.observe(sea.features()[i], sea.labels()[i]).drift()) {
                hits.add(i);
            }
        }
        return hits;
    }

    static void assertScore(List<Integer> hits, long... delays) {
        DriftScore score = DriftScore.of(hits.stream().mapToLong(Integer::longValue).toArray(), DRIFTS);
        List<OptionalLong> expected = new ArrayList<>();
        for (long d : delays) {
            expected.add(OptionalLong.of(d));
        }
        assertEquals(expected, score.delays());
        assertEquals(0, score.falseAlarms());
        assertEquals(0, score.missed());
    }

    @Test
    void adwin() {
        List<Integer> hits = run(Adwin.Config.defaults());
        assertEquals(List.of(10_687, 20_127, 30_143), hits);
        assertScore(hits, 687, 127, 143);
    }

    @Test
    void pageHinkley() {
        List<Integer> hits = run(PageHinkley.Config.defaults());
        assertEquals(List.of(10_762, 20_325, 30_247), hits);
        assertScore(hits, 762, 325, 247);
    }

    @Test
    void ddm() {
        List<Integer> hits = run(Ddm.Config.defaults());
        assertEquals(List.of(11_049, 20_384, 30_304), hits);
        assertScore(hits, 1049, 384, 304);
    }

    @Test
    void theClassifierAloneErrsAboutAsOftenAsTheLabelNoise() {
        PrequentialMonitor monitor = new PrequentialMonitor(Adwin.Config.defaults(), 3);
        for (int i = 0; i < sea.labels().length; i++) {
            monitor.observe(sea.features()[i], sea.labels()[i]);
        }
        // 10 % label noise plus naive Bayes' own bias on a linear boundary.
        assertEquals(0.124, monitor.errorRate(), 0.005);
    }
}
