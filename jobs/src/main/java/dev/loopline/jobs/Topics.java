package dev.loopline.jobs;

import java.io.Serializable;
import java.util.List;

/** The six topics of the contract under one prefix, so several loops can share a cluster. */
public record Topics(String prefix) implements Serializable {
    public Topics {
        if (prefix == null || !prefix.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException("topic prefix '" + prefix
                    + "' must be non-empty and use only letters, digits, '.', '_' and '-'");
        }
    }

    public static Topics defaults() {
        return new Topics("loopline");
    }

    public String context() {
        return prefix + ".context";
    }

    public String decisions() {
        return prefix + ".decisions";
    }

    public String feedback() {
        return prefix + ".feedback";
    }

    public String models() {
        return prefix + ".models";
    }

    public String metrics() {
        return prefix + ".metrics";
    }

    public String deadLetter() {
        return prefix + ".deadletter";
    }

    public List<String> all() {
        return List.of(context(), decisions(), feedback(), models(), metrics(), deadLetter());
    }
}
