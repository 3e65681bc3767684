package dev.loopline.tests.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * One JVM of the test cluster, started from an argument file and stopped by its PID. Each process
 * writes {@code NAME.pid}, {@code NAME.args} (the whole command line) and {@code NAME.out} (stdout and
 * stderr) into the work directory, so a run that died half-way can be inspected and cleaned up
 * ({@link #killLeftovers(Path)}, or {@code tests/cluster/stop.sh}).
 */
public final class JvmProcess {
    private final String name;
    private final Process process;
    private final Path out;
    private final long launchedNanos;

    private JvmProcess(String name, Process process, Path out, long launchedNanos) {
        this.name = name;
        this.process = process;
        this.out = out;
        this.launchedNanos = launchedNanos;
    }

    /**
     * Starts {@code java @NAME.args} in {@code workDir} with the environment of this JVM plus {@code env}.
     * The argument file keeps the (long) classpath off the command line and names the work directory, which
     * is how leftovers of an earlier run are recognised.
     */
    public static JvmProcess start(String name, Path workDir, String classpath, List<String> jvmArgs, String mainClass,
            List<String> args, Map<String, String> env) {
        try {
            Files.createDirectories(workDir);
            List<String> all = new ArrayList<>(jvmArgs);
            all.add("-Dloopline.cluster.process=" + name);
            all.add("-cp");
            all.add(classpath);
            all.add(mainClass);
            all.addAll(args);
            Path argFile = workDir.resolve(name + ".args");
            StringBuilder text = new StringBuilder();
            for (String a : all) {
                text.append('"').append(a.replace("\\", "\\\\").replace("\"", "\\\"")).append("\"\n");
            }
            Files.writeString(argFile, text, StandardCharsets.UTF_8);
            Path out = workDir.resolve(name + ".out");
            ProcessBuilder pb = new ProcessBuilder(javaExecutable(), "@" + argFile.toAbsolutePath())
                    .directory(workDir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(out.toFile());
            pb.environment().putAll(env);
            long launched = System.nanoTime();
            Process p = pb.start();
            Files.writeString(workDir.resolve(name + ".pid"), Long.toString(p.pid()));
            JvmProcess jvm = new JvmProcess(name, p, out, launched);
            Reaper.INSTANCE.register(jvm);
            return jvm;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name, e);
        }
    }

    public static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    public String name() {
        return name;
    }

    public long pid() {
        return process.pid();
    }

    public long launchedNanos() {
        return launchedNanos;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** The exit code, or empty when the process still runs after {@code timeout}. */
    public Optional<Integer> waitFor(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) ? Optional.of(process.exitValue()) : Optional.empty();
    }

    public String output() {
        try {
            return Files.exists(out) ? Files.readString(out, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "(cannot read " + out + ": " + e + ")";
        }
    }

    /** The last lines of the process's output (for failure messages). */
    public String tail(int lines) {
        List<String> all = output().lines().toList();
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    @Override
    public String toString() {
        return name + " (pid " + pid() + ")";
    }

    /**
     * Stops every process by its PID, all at once: SIGTERM to each, then a shared grace period, then
     * SIGKILL for those still alive. Returns the names of the processes that needed the kill.
     */
    public static List<String> stopAll(List<JvmProcess> processes, Duration grace) throws InterruptedException {
        for (JvmProcess p : processes) {
            if (p.isAlive()) {
                p.process.destroy();
            }
        }
        long deadline = System.nanoTime() + grace.toNanos();
        List<String> killed = new ArrayList<>();
        for (JvmProcess p : processes) {
            long left = Math.max(0, deadline - System.nanoTime());
            if (!p.process.waitFor(left, TimeUnit.NANOSECONDS)) {
                p.process.destroyForcibly();
                killed.add(p.name);
            }
        }
        for (JvmProcess p : processes) {
            if (!p.process.waitFor(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException(p + " survived SIGKILL for 10 s");
            }
            Reaper.INSTANCE.unregister(p);
            try {
                Files.deleteIfExists(p.out.resolveSibling(p.name + ".pid"));
            } catch (IOException e) {
                // the PID file is only a diagnostic
            }
        }
        return killed;
    }

    /**
     * Kills the processes of an earlier run in {@code workDir} that are still alive (a test JVM killed
     * with SIGKILL cannot stop its children): only a PID whose command line names this work directory.
     */
    public static List<Long> killLeftovers(Path workDir) throws Exception {
        List<Long> killed = new ArrayList<>();
        if (!Files.isDirectory(workDir)) {
            return killed;
        }
        List<Path> pidFiles;
        try (Stream<Path> files = Files.list(workDir)) {
            pidFiles = files.filter(f -> f.getFileName().toString().endsWith(".pid")).toList();
        }
        String marker = workDir.toAbsolutePath().toString();
        for (Path pidFile : pidFiles) {
            long pid;
            try {
                pid = Long.parseLong(Files.readString(pidFile).trim());
            } catch (NumberFormatException e) {
                continue;
            }
            Optional<ProcessHandle> handle = ProcessHandle.of(pid);
            if (handle.isPresent() && handle.get().info().commandLine().map(c -> c.contains(marker)).orElse(false)) {
                handle.get().destroyForcibly();
                handle.get().onExit().get(10, TimeUnit.SECONDS);
                killed.add(pid);
            }
        }
        return killed;
    }

    /** Kills what is still registered when this JVM exits (a failed or interrupted run, a surefire timeout). */
    private static final class Reaper {
        static final Reaper INSTANCE = new Reaper();
        private final List<JvmProcess> live = new ArrayList<>();

        private Reaper() {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                List<JvmProcess> left;
                synchronized (live) {
                    left = new ArrayList<>(live);
                }
                left.forEach(p -> p.process.destroyForcibly());
            }, "loopline-cluster-reaper"));
        }

        void register(JvmProcess p) {
            synchronized (live) {
                live.add(p);
            }
        }

        void unregister(JvmProcess p) {
            synchronized (live) {
                live.remove(p);
            }
        }
    }
}
