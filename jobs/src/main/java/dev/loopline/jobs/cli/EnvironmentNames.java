package dev.loopline.jobs.cli;

import dev.loopline.envs.Environment;
import dev.loopline.envs.payments.PaymentsConfig;
import dev.loopline.envs.payments.PaymentsSimulator;
import java.util.Iterator;
import java.util.List;

/** The environments the command line can play. */
final class EnvironmentNames implements Iterable<String> {
    static final List<String> NAMES = List.of(PaymentsSimulator.NAME);

    static Environment create(String name, long seed) {
        if (name.equals(PaymentsSimulator.NAME)) {
            return new PaymentsSimulator(PaymentsConfig.defaults(seed));
        }
        throw new IllegalArgumentException("unknown environment '" + name + "'; choose one of " + NAMES);
    }

    @Override
    public Iterator<String> iterator() {
        return NAMES.iterator();
    }
}
