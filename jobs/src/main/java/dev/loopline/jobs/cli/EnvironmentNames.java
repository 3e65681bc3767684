package dev.loopline.jobs.cli;

import dev.loopline.envs.Environments;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/** The environments the command line can play: the registry's names and its replay forms. */
final class EnvironmentNames implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
        List<String> all = new ArrayList<>(Environments.names());
        all.addAll(Environments.replayForms());
        return all.iterator();
    }
}
