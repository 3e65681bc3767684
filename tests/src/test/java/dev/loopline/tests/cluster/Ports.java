package dev.loopline.tests.cluster;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Ports chosen up front for processes that bind them seconds later. They are drawn below the kernel's
 * ephemeral range ({@code net.ipv4.ip_local_port_range}): a port the kernel hands to an outgoing
 * connection in the meantime (and the cluster's processes open many while they start) can never be one
 * of them. Each is checked free by binding it on 127.0.0.1.
 */
public final class Ports {
    private static final int LOWEST = 15_000;

    private Ports() {}

    public static int[] free(int n) throws IOException {
        int ephemeralStart = ephemeralRangeStart();
        Set<Integer> ports = new LinkedHashSet<>();
        if (ephemeralStart - LOWEST < 1000) {
            // No room below the ephemeral range: let the kernel choose (the small race is then unavoidable).
            while (ports.size() < n) {
                try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                    ports.add(s.getLocalPort());
                }
            }
        } else {
            for (int attempt = 0; ports.size() < n; attempt++) {
                if (attempt > 10_000) {
                    throw new IOException("no " + n + " free ports in [" + LOWEST + ", " + ephemeralStart + ")");
                }
                int candidate = ThreadLocalRandom.current().nextInt(LOWEST, ephemeralStart);
                if (!ports.contains(candidate) && bindable(candidate)) {
                    ports.add(candidate);
                }
            }
        }
        return ports.stream().mapToInt(Integer::intValue).toArray();
    }

    private static boolean bindable(int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(false);
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int ephemeralRangeStart() {
        try {
            return Integer.parseInt(Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).trim().split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            return 32_768;
        }
    }
}
