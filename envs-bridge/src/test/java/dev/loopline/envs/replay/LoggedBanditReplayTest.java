package dev.loopline.envs.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loopline.envs.DelayModel;
import dev.loopline.envs.Outcome;
import dev.loopline.envs.TestData;
import dev.loopline.envs.data.CsvTable;
import dev.loopline.envs.replay.LoggedBanditReplay.LoggedDecision;
import dev.loopline.schemas.Action;
import dev.loopline.schemas.ContextEvent;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class LoggedBanditReplayTest {
    private static final Path RANDOM = TestData.path("obd", "random", "men.csv");
    private static final Path BTS = TestData.path("obd", "bts", "men.csv");

    private static LoggedBanditReplay replay(Path log) {
        return new LoggedBanditReplay(LoggedBanditConfig.defaults(log, 1).withDelays(DelayModel.IMMEDIATE));
    }

    @Test
    void readsTheOpenBanditLayoutWithItsItemContext() {
        LoggedBanditConfig config = LoggedBanditConfig.defaults(RANDOM, 1);
        assertEquals("item_context_men.csv", config.itemContextPath().getFileName().toString());
        LoggedBanditReplay env = replay(RANDOM);
        assertEquals(10_000, env.size());
        assertEquals(IntStream.range(0, 34).mapToObj(k -> "item-" + k).toList(), env.actionIds());
        assertEquals(List.of("affinity", "item_feature_0"), env.actionFeatureNames());
        List<String> names = env.contextFeatureNames();
        assertEquals(List.of("position_1", "position_2", "position_3"), names.subList(0, 3));
        assertEquals(3 + (3 + 5 + 9 + 8) + 34, names.size(), names.toString());
        assertTrue(names.contains("user_feature_0=cef3390ed299c09874189c387777674a"));
        assertTrue(names.contains("user-item_affinity_33"));

        ContextEvent e = env.next(1_000L);
        assertEquals("obd", e.getDomain());
        assertNull(e.getOracleRewards(), "a log has no oracle");
        assertEquals(env.actionIds(), e.getActions().stream().map(Action::getActionId).toList());
        assertEquals(Set.copyOf(names), e.getFeatures().keySet());
        LoggedDecision d = env.logged(e);
        assertEquals(1.0, e.getFeatures().get("position_" + d.position()));
        assertEquals(1.0 / 34, d.propensity(), 1e-12);
        for (Action a : e.getActions()) {
            String k = a.getActionId().substring("item-".length());
            assertEquals(e.getFeatures().get("user-item_affinity_" + k), a.getFeatures().get("affinity"));
        }
        assertEquals(-0.6771831139635117, e.getActions().get(0).getFeatures().get("item_feature_0"), 1e-15);
    }

    @Test
    void eventsFollowTheLoggedTimestampsAndWrapAround() {
        LoggedBanditReplay env = replay(BTS);
        long previous = Long.MIN_VALUE;
        List<Integer> rows = new ArrayList<>();
        for (int i = 0; i < env.size(); i++) {
            LoggedDecision d = env.logged(env.next(i));
            assertTrue(d.timestampMicros() >= previous, "timestamp order at " + i);
            previous = d.timestampMicros();
            rows.add(d.row());
        }
        assertEquals(env.size(), Set.copyOf(rows).size(), "every logged row once per pass");
        assertEquals(env.loggedAt(0), env.logged(env.next(0)), "a new pass starts from the first");
        assertEquals(1_574_553_663_979_311L, env.loggedAt(0).timestampMicros(), "2019-11-24 00:01:03.979311+00:00");
    }

    /**
     * Replay (Li et al. 2011): only the logged item gets feedback. A policy that always takes the logged
     * item reproduces the log's click rate exactly (46 clicks in 10,000 rows of the random log); a
     * uniformly random policy matches about 1 in 34 rows.
     */
    @Test
    void onlyDecisionsThatMatchTheLogGetFeedback() {
        LoggedBanditReplay env = replay(RANDOM);
        SplittableRandom random = new SplittableRandom(7);
        double loggedClicks = 0;
        int matched = 0;
        for (int i = 0; i < env.size(); i++) {
            ContextEvent e = env.next(i);
            LoggedDecision d = env.logged(e);
            Outcome logged = env.outcome(e, d.actionId());
            assertTrue(logged.delivered());
            assertEquals(d.reward(), logged.reward());
            loggedClicks += logged.reward();
            String guess = env.actionIds().get(random.nextInt(env.actionIds().size()));
            Outcome o = env.outcome(e, guess);
            if (env.matches(e, guess)) {
                matched++;
                assertEquals(logged, o);
            } else {
                assertFalse(o.delivered(), "a mismatch is rejected: no feedback");
                assertEquals(0.0, o.reward());
            }
        }
        assertEquals(46, loggedClicks);
        assertEquals(1.0 / 34, matched / (double) env.size(), 0.005, "matched share " + matched);
        ContextEvent e = env.next(0);
        assertThrows(IllegalArgumentException.class, () -> env.outcome(e, "item-99"));
    }

    @Test
    void theThompsonSamplingLogHasNonUniformPropensities() {
        LoggedBanditReplay env = replay(BTS);
        double min = 1;
        double max = 0;
        for (int j = 0; j < env.size(); j++) {
            min = Math.min(min, env.loggedAt(j).propensity());
            max = Math.max(max, env.loggedAt(j).propensity());
        }
        assertTrue(max > 5 * min, "propensities from " + min + " to " + max);
    }

    @Test
    void sortsByTimeParsesIsoAndEpochAndExplainsMissingColumns() {
        CsvTable log = CsvTable.parse(String.join("\n",
                ",timestamp,item_id,position,click,propensity_score,user_feature_0,user-item_affinity_1",
                "0,2020-01-01T00:00:02Z,1,1,1,0.5,a,0.25",
                "1,2020-01-01 00:00:01.5+01:00,0,2,0,0.5,b,0.0",
                "2,1577836800000,1,1,0,0.5,a,1.0"));
        LoggedBanditReplay env = new LoggedBanditReplay(
                new LoggedBanditConfig(Path.of("inline.csv"), null, 3, 2, DelayModel.IMMEDIATE), log, null);
        // 00:00:01.5+01:00 is 23:00:01.5 the day before; epoch 1577836800000 is 2020-01-01T00:00:00Z
        assertEquals(List.of(1, 2, 0), IntStream.range(0, 3).mapToObj(j -> env.loggedAt(j).row()).toList());
        assertEquals(List.of("item-0", "item-1"), env.actionIds());
        assertEquals(List.of("position_1", "position_2", "user_feature_0=a", "user_feature_0=b",
                "user-item_affinity_1"), env.contextFeatureNames());
        ContextEvent e = env.next(0);
        assertEquals(0.0, e.getActions().get(0).getFeatures().get("affinity"), "no affinity column for item 0");
        ContextEvent second = env.next(1); // row 2
        assertEquals(1.0, second.getActions().get(1).getFeatures().get("affinity"), "row 2's user-item_affinity_1");

        CsvTable noClick = CsvTable.parse("timestamp,item_id,position,propensity_score\n1,0,1,0.5\n");
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class, () -> new LoggedBanditReplay(
                new LoggedBanditConfig(Path.of("x.csv"), null, 1, 1, DelayModel.IMMEDIATE), noClick, null));
        assertTrue(missing.getMessage().contains("\"click\""), missing.getMessage());
        CsvTable badPropensity = CsvTable.parse("timestamp,item_id,position,click,propensity_score\n1,0,1,0,0\n");
        IllegalArgumentException zero = assertThrows(IllegalArgumentException.class, () -> new LoggedBanditReplay(
                new LoggedBanditConfig(Path.of("x.csv"), null, 1, 1, DelayModel.IMMEDIATE), badPropensity, null));
        assertTrue(zero.getMessage().contains("propensity_score 0"), zero.getMessage());
    }

    @Test
    void sameConfigGivesSameEvents() {
        LoggedBanditReplay a = new LoggedBanditReplay(LoggedBanditConfig.defaults(RANDOM, 5));
        LoggedBanditReplay b = new LoggedBanditReplay(LoggedBanditConfig.defaults(RANDOM, 5));
        for (int i = 0; i < 500; i++) {
            ContextEvent ea = a.next(i);
            assertEquals(ea, b.next(i));
            String id = a.logged(ea).actionId();
            assertEquals(a.outcome(ea, id), b.outcome(ea, id));
        }
    }
}
