package io.jenkins.plugins.cloudfrontdeploy.engine.release;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Who holds a deploy lock, as its {@code owner.json} says: the deploy (user, host, release, target) and enough about
 * its process to tell when that process is provably gone. Every field may be missing (older versions wrote fewer).
 *
 * @param processStartTicks the process's start in clock ticks since boot ({@code /proc/PID/stat}), which, unlike
 *     the start instant, no later change of the clock moves
 * @param machineId {@code /etc/machine-id}: two machines of one host name are not the same host
 * @param pidNamespace two containers of one host name and boot share no process ids
 */
record LockOwner(String host, String user, String since, String release, String target, Long pid,
        String processStart, Long processStartTicks, String bootId, String machineId, String pidNamespace) {
    /** The start instants of one process, as two JVMs compute them, may differ this much (rounding, clock steps). */
    static final Duration START_TOLERANCE = Duration.ofSeconds(2);

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** This process, about to take a lock. */
    static LockOwner current(String release, String target) {
        ProcessHandle self = ProcessHandle.current();
        return new LockOwner(hostName(), System.getProperty("user.name"), Instant.now().toString(), release, target,
                self.pid(), self.info().startInstant().map(Instant::toString).orElse(null), startTicks(self.pid()),
                firstLine("/proc/sys/kernel/random/boot_id"), firstLine("/etc/machine-id"), currentPidNamespace());
    }

    static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "unknown-host";
        }
    }

    /** Reads an {@code owner.json}; {@code null} when it is empty or not JSON. */
    static LockOwner parse(String json) {
        if (json == null || json.isBlank()) {
            return null;
        }
        Map<?, ?> o;
        try {
            o = MAPPER.readValue(json, Map.class);
        } catch (IOException e) {
            return null;
        }
        if (o == null) { // the JSON text null
            return null;
        }
        return new LockOwner(text(o, "host"), text(o, "user"), text(o, "since"), text(o, "release"),
                text(o, "target"), number(o, "pid"), text(o, "processStart"), number(o, "processStartTicks"),
                text(o, "bootId"), text(o, "machineId"), text(o, "pidNamespace"));
    }

    byte[] toJson() throws IOException {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("host", host);
        o.put("user", user);
        o.put("since", since);
        o.put("release", release);
        o.put("target", target);
        o.put("pid", pid);
        o.put("processStart", processStart);
        o.put("processStartTicks", processStartTicks);
        o.put("bootId", bootId);
        o.put("machineId", machineId);
        o.put("pidNamespace", pidNamespace);
        o.values().removeIf(v -> v == null);
        return MAPPER.writeValueAsBytes(o);
    }

    /** One line for messages: {@code jenkins@ci-7 (pid 4242) since 2026-01-01T00:00:00Z, deploying release r0}. */
    String describe() {
        // an owner file written by hand or by another tool may lack any of these: say only what it holds
        String who = user != null && host != null ? user + "@" + host
                : host != null ? "a deploy on " + host
                : user != null ? "a deploy by " + user
                : "a deploy that did not record who ran it";
        return who + (pid == null ? "" : " (pid " + pid + ")") + (since == null ? "" : " since " + since)
                + (release == null ? "" : ", deploying release " + release);
    }

    /**
     * Why this owner is provably gone, seen from {@code here} (this process's own owner record), or {@code null} when
     * it may still run: it must have run on this same host (same name, and same machine and process namespace where
     * both are known), and either the host has restarted since (another boot id), or no process has its pid, or the
     * process with its pid started at another time (the pid was reused).
     */
    String whyStale(LockOwner here) {
        if (pid == null || host == null || !host.equals(here.host) || differ(machineId, here.machineId)) {
            return null; // another machine, or a version that did not say which process it was
        }
        if (differ(bootId, here.bootId)) {
            return host + " has restarted since";
        }
        if (differ(pidNamespace, here.pidNamespace)) {
            return null; // another container on this host: its processes are not visible from here
        }
        Optional<ProcessHandle> process = ProcessHandle.of(pid);
        if (process.isEmpty() || !process.get().isAlive()) {
            return "its process " + pid + " on " + host + " is gone";
        }
        Long ticks = startTicks(pid);
        if (processStartTicks != null && ticks != null) {
            return ticks.equals(processStartTicks) ? null : reused(process.get());
        }
        Optional<Instant> started = process.get().info().startInstant();
        Instant recorded = instant(processStart);
        if (recorded == null || started.isEmpty()
                || Duration.between(recorded, started.get()).abs().compareTo(START_TOLERANCE) <= 0) {
            return null;
        }
        return reused(process.get());
    }

    private String reused(ProcessHandle process) {
        return "its process " + pid + " on " + host + " is gone: that pid is now another process (started "
                + process.info().startInstant().map(Instant::toString).orElse("at another time") + ")";
    }

    private static boolean differ(String recorded, String here) {
        return recorded != null && here != null && !recorded.equals(here);
    }

    private static Instant instant(String text) {
        try {
            return text == null ? null : Instant.parse(text);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** Field 22 of {@code /proc/PID/stat}, counted after the command name (which may hold spaces and parentheses). */
    static Long startTicks(long pid) {
        String stat = firstLine("/proc/" + pid + "/stat");
        int end = stat == null ? -1 : stat.lastIndexOf(')');
        if (end < 0) {
            return null;
        }
        String[] fields = stat.substring(end + 1).trim().split(" ");
        try {
            return fields.length > 19 ? Long.valueOf(fields[19]) : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String currentPidNamespace() {
        try {
            return Files.readSymbolicLink(Path.of("/proc/self/ns/pid")).toString();
        } catch (IOException | UnsupportedOperationException e) {
            return null;
        }
    }

    private static String firstLine(String file) {
        try {
            String text = Files.readString(Path.of(file), StandardCharsets.UTF_8).strip();
            int eol = text.indexOf('\n');
            return text.isEmpty() ? null : eol < 0 ? text : text.substring(0, eol);
        } catch (IOException | RuntimeException e) {
            return null; // not Linux, or not readable: the field is left out
        }
    }

    private static String text(Map<?, ?> o, String key) {
        Object v = o.get(key);
        return v == null ? null : String.valueOf(v);
    }

    private static Long number(Map<?, ?> o, String key) {
        Object v = o.get(key);
        if (v instanceof Number n) {
            return n.longValue();
        }
        try {
            return v == null ? null : Long.valueOf(String.valueOf(v)); // older versions wrote the pid as a string
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
