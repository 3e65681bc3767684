package dev.loopline.envs;

import java.util.List;

/**
 * Prints how fast each simulator generates context events on this machine, standalone (no Kafka):
 * {@code GenerationRate [EVENTS] [NAME...]}, default 1,000,000 events for every simulator. Each is
 * warmed up on a fifth of the events first; event times are 1 ms apart.
 */
public final class GenerationRate {
    private GenerationRate() {}

    /** Events per second of {@code env.next} over {@code events} events, after a warm-up. */
    public static double measure(Environment env, int events) {
        long t = 1_700_000_000_000L;
        long sink = 0;
        for (int i = 0; i < events / 5; i++) {
            sink += env.next(t++).getActions().size();
        }
        long start = System.nanoTime();
        for (int i = 0; i < events; i++) {
            sink += env.next(t++).getActions().size();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        if (sink == 0) {
            throw new IllegalStateException(env.name() + " offered no actions");
        }
        return events / seconds;
    }

    public static void main(String[] args) {
        int events = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        List<String> names = args.length > 1 ? List.of(args).subList(1, args.length) : Environments.names();
        for (String name : names) {
            System.out.printf("%-12s %,12.0f events/s over %,d events%n", name,
                    measure(Environments.create(name, 1), events), events);
        }
    }
}
