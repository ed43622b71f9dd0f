package io.jenkins.plugins.cloudfrontdeploy.cli;

import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.CuttingRelay;
import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.EmbeddedSshServer;
import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.FakeCloudFront;
import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.OpenSshServer;
import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.TestKeys;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The world the fault-injection suite deploys to, shared by all its scenarios: two hosts that are really different
 * sites (one behind the in-process MINA server, one behind a real OpenSSH sshd), each reachable directly or through
 * a {@link CuttingRelay} that fails the network on demand, and one CloudFront distribution on the in-process fake,
 * which throttles or answers 503 to a share of the requests.
 */
final class FaultSites implements Closeable {
    static final String DISTRIBUTION = "E11FAULTS";
    static final double CLOUDFRONT_FAULT_RATE = 0.2;
    static final int HOSTS = 2;
    private static final String KEY_VARIABLE = "CFD_FAULTS_ACCESS_KEY";
    private static final String SECRET_VARIABLE = "CFD_FAULTS_SECRET_KEY";

    private final Path root;
    private final OpenSshServer openSsh;
    private final EmbeddedSshServer mina;
    private final CuttingRelay[] relays = new CuttingRelay[HOSTS];
    private final Path[] sites = new Path[HOSTS];
    private final Path identity;
    private final Path knownHosts;
    final FakeCloudFront cloudFront;
    private final List<Closeable> opened = new ArrayList<>();

    FaultSites(Path root, long seed) throws IOException, InterruptedException {
        this.root = root;
        try {
            openSsh = opened(OpenSshServer.start(Files.createDirectories(root.resolve("sshd"))));
            identity = openSsh.userKey();
            mina = opened(EmbeddedSshServer.builder().authorizedKeys(TestKeys.pub(identity)).start());
            relays[0] = opened(new CuttingRelay(mina.port(), Long.MAX_VALUE));
            relays[1] = opened(new CuttingRelay(openSsh.port(), Long.MAX_VALUE));
            for (CuttingRelay relay : relays) {
                relay.reset(true); // a cut is a reset: what a crashed peer or a firewall sends
            }
            cloudFront = FakeCloudFront.start();
            opened.add(cloudFront::close);
            cloudFront.addDistribution(DISTRIBUTION)
                    // completed when first asked for: --wait costs one status call, not a poll interval
                    .completeAfter(Duration.ZERO)
                    .faultRate(CLOUDFRONT_FAULT_RATE, seed)
                    .faultKinds(FakeCloudFront.Fault.THROTTLED, FakeCloudFront.Fault.UNAVAILABLE)
                    .maxFaultsInARow(3); // the CLI makes 5 attempts per call: faults slow it, never exhaust it
            String openSshLine = Files.readString(openSsh.knownHosts()).strip();
            knownHosts = root.resolve("known_hosts");
            Files.writeString(knownHosts, String.join("\n", mina.knownHostsLine(),
                    relayed(mina.knownHostsLine(), mina.port(), relays[0].port()), openSshLine,
                    relayed(openSshLine, openSsh.port(), relays[1].port())) + "\n");
            for (int h = 0; h < HOSTS; h++) {
                sites[h] = Files.createDirectories(root.resolve("site" + (h + 1)));
            }
        } catch (IOException | InterruptedException | RuntimeException e) {
            close(); // no sshd may outlive a failed setup
            throw e;
        }
    }

    private <T extends Closeable> T opened(T resource) {
        opened.add(resource);
        return resource;
    }

    private static String relayed(String knownHostsLine, int port, int relayPort) {
        return knownHostsLine.replace("]:" + port + " ", "]:" + relayPort + " ");
    }

    CuttingRelay relay(int host) {
        return relays[host];
    }

    /** The site root of a host: its production link, release folders and .cloudfront-deploy. */
    Path site(int host) {
        return sites[host];
    }

    Path production(int host) {
        return sites[host].resolve("production");
    }

    /** The production link's text (a release name), or {@code null} when there is no link. */
    String live(int host) throws IOException {
        Path link = production(host);
        return Files.isSymbolicLink(link) ? Files.readSymbolicLink(link).toString() : null;
    }

    boolean locked(int host) {
        return Files.exists(sites[host].resolve(".cloudfront-deploy/lock"), LinkOption.NOFOLLOW_LINKS);
    }

    /** Whether nothing of a release is left on any host: neither its folder nor its journal entry. */
    boolean forgotten(String release) {
        for (Path site : sites) {
            if (Files.exists(site.resolve(release), LinkOption.NOFOLLOW_LINKS)
                    || Files.exists(site.resolve(".cloudfront-deploy/releases/" + release + ".json"))) {
                return false;
            }
        }
        return true;
    }

    /** The release folders (names) on a host. */
    List<String> releases(int host) throws IOException {
        List<String> names = new ArrayList<>();
        try (var s = Files.list(sites[host])) {
            s.filter(p -> Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS))
                    .map(p -> p.getFileName().toString())
                    .filter(n -> !n.startsWith("."))
                    .sorted()
                    .forEach(names::add);
        }
        return names;
    }

    /** The --target of each host, through its relay or straight to its server. */
    List<String> targets(boolean viaRelays) {
        int minaPort = viaRelays ? relays[0].port() : mina.port();
        int openSshPort = viaRelays ? relays[1].port() : openSsh.port();
        return List.of("ssh://tester@127.0.0.1:" + minaPort + production(0),
                "ssh://" + openSsh.user() + "@127.0.0.1:" + openSshPort + production(1));
    }

    /**
     * The arguments of a deploy of {@code source} as {@code release} to both hosts, with --wait and a short lock
     * timeout (a run that finds a lock fails at once instead of waiting minutes), reporting into {@code reportDir}.
     */
    List<String> deployArgs(Path source, String release, Path reportDir, boolean viaRelays, List<String> more) {
        List<String> args = new ArrayList<>(List.of("deploy", "--source", source.toString(), "--release", release));
        for (String t : targets(viaRelays)) {
            args.add("--target");
            args.add(t);
        }
        args.addAll(List.of("--identity", identity.toString(), "--known-hosts", knownHosts.toString(),
                "--report-dir", reportDir.toString(), "--keep", "2", "--lock-timeout", "1",
                "--distribution", DISTRIBUTION, "--endpoint-url", cloudFront.endpoint().toString(),
                "--access-key-env", KEY_VARIABLE, "--secret-key-env", SECRET_VARIABLE, "--wait",
                // small batches: a deploy sends several, so a kill can fall between two of them
                "--batch-size", "6",
                // the invariants identify a release by one build's exact content and want every URL changed between
                // builds invalidated; files kept after their removal are neither (KeepRemovedTest covers them)
                "--keep-removed", "0"));
        args.addAll(more);
        return args;
    }

    CliProcess start(Path workDir, List<String> args) throws IOException {
        return CliProcess.start(workDir, Map.of(KEY_VARIABLE, "AKIDFAULTS", SECRET_VARIABLE, "fault-secret"), args);
    }

    Path root() {
        return root;
    }

    /** Closes what was opened, newest first. */
    @Override
    public void close() throws IOException {
        IOException failure = null;
        for (int i = opened.size() - 1; i >= 0; i--) {
            try {
                opened.get(i).close();
            } catch (IOException e) {
                failure = failure == null ? e : failure;
            }
        }
        opened.clear();
        if (failure != null) {
            throw failure;
        }
    }
}
