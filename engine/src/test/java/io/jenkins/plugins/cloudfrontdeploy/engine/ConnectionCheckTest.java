package io.jenkins.plugins.cloudfrontdeploy.engine;

import static org.hamcrest.CoreMatchers.containsString;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.junit.Assert.assertThrows;

import io.jenkins.plugins.cloudfrontdeploy.engine.ssh.SshSettings;
import io.jenkins.plugins.cloudfrontdeploy.engine.ssh.SshTarget;
import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.EmbeddedSshServer;
import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.TestKeys;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** The "Test connection" check: says where the link points, and refuses an unknown host key. */
public class ConnectionCheckTest {
    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    @Test
    public void saysWhereTheLinkPointsAndRefusesAnUnknownHostKey() throws Exception {
        Path www = tmp.newFolder("www").toPath();
        Files.createDirectories(www.resolve("1.0.3"));
        Files.createSymbolicLink(www.resolve("production"), Path.of("1.0.3"));
        Path key = TestKeys.generate(tmp.getRoot().toPath(), "id_test", "ed25519", "", false);
        try (EmbeddedSshServer server = EmbeddedSshServer.builder().authorizedKeys(TestKeys.pub(key)).start()) {
            Path knownHosts = tmp.newFile("known_hosts").toPath();
            Files.writeString(knownHosts, server.knownHostsLine() + "\n");
            SshTarget target = SshTarget.parse(server.url("tester", www.resolve("production").toString()));
            assertThat(ConnectionCheck.check(target, SshSettings.builder().identityFile(key)
                    .knownHostsFile(knownHosts).build()), containsString("production points at 1.0.3"));
            Path empty = tmp.newFile("empty_known_hosts").toPath();
            DeployException e = assertThrows(DeployException.class, () -> ConnectionCheck.check(target,
                    SshSettings.builder().identityFile(key).knownHostsFile(empty).build()));
            assertThat(e.getMessage(), containsString("host key"));
        }
        assertThat(ConnectionCheck.check(SshTarget.parse(www.resolve("new-site").toString()),
                SshSettings.builder().build()), containsString("does not exist yet"));
    }
}
