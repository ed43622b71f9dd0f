package io.jenkins.plugins.cloudfrontdeploy.engine;

import static org.hamcrest.CoreMatchers.containsString;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;

import io.jenkins.plugins.cloudfrontdeploy.engine.ssh.SshSettings;
import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.Deploys;
import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.OpenSshServer;
import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.RecordingListener;
import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.Trees;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * A production link that leads outside the site root is refused, naming where it points and the command that makes
 * it a release: its folder's files are never hard-linked into a new release. A site root reached through a link is
 * still the site root.
 */
public class ProductionOutsideRootTest {
    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private Path build;
    private Path www;
    private Path elsewhere;
    private Map<String, String> before;

    @Before
    public void site() throws Exception {
        build = tmp.newFolder("build").toPath();
        Trees.write(build, "index.html", "home\n");
        www = tmp.newFolder("www").toPath();
        elsewhere = tmp.newFolder("srv", "elsewhere").toPath();
        Trees.write(elsewhere, "index.html", "home\n"); // the same bytes: a seed would hard-link it
        Trees.write(elsewhere, "private/customers.csv", "secret\n");
        before = Trees.snapshot(elsewhere);
    }

    private void assertRefusedAndUntouched(String message, Path production, String linkText) throws Exception {
        assertThat(message, containsString("the production link " + production + " on "));
        assertThat(message, containsString(" points at " + elsewhere.toRealPath()));
        assertThat(message, containsString("outside the site root " + www));
        assertThat(message, containsString("would hard-link that folder's files into it, so nothing was changed"));
        assertThat(message, containsString("cp -a " + elsewhere.toRealPath() + " " + www.resolve("elsewhere")
                + " && ln -sfn elsewhere " + production));
        assertFalse(message, message.contains("\n"));
        assertFalse("no release folder was created", Files.exists(www.resolve("r1")));
        assertEquals(Path.of(linkText), Files.readSymbolicLink(production));
        assertEquals(before, Trees.snapshot(elsewhere));
        assertEquals("the outside folder's files have no second link", 1,
                Files.getAttribute(elsewhere.resolve("index.html"), "unix:nlink"));
    }

    @Test
    public void anAbsoluteLinkOutsideTheSiteRootIsRefusedOverOpenSsh() throws Exception {
        Path production = Files.createSymbolicLink(www.resolve("production"), elsewhere);
        try (OpenSshServer sshd = OpenSshServer.start(tmp.newFolder().toPath())) {
            SshSettings ssh = SshSettings.builder().identityFile(sshd.userKey()).knownHostsFile(sshd.knownHosts())
                    .build();
            DeployException e = assertThrows(DeployException.class, () -> Deploys.run(Deploys.request(build, "r1",
                    ssh, tmp.newFolder().toPath(), sshd.url(production.toString())), new RecordingListener()));
            assertRefusedAndUntouched(e.getMessage(), production, elsewhere.toString());
        }
    }

    @Test
    public void aRelativeLinkClimbingOutOfTheSiteRootIsRefusedEvenInADryRun() throws Exception {
        Path production = Files.createSymbolicLink(www.resolve("production"), Path.of("../srv/elsewhere"));
        for (boolean dryRun : new boolean[] {true, false}) {
            DeployException e = assertThrows(DeployException.class, () -> Deploys.run(Deploys.request(build, "r1",
                    null, tmp.newFolder().toPath(), production.toString()).dryRun(dryRun), new RecordingListener()));
            assertRefusedAndUntouched(e.getMessage(), production, "../srv/elsewhere");
            assertThat(e.getMessage(), containsString("(its text is ../srv/elsewhere)"));
        }
    }

    @Test
    public void aSiteRootReachedThroughALinkIsStillTheSiteRoot() throws Exception {
        Trees.write(www.resolve("r0"), "index.html", "old\n");
        Files.createSymbolicLink(www.resolve("production"), Path.of("r0"));
        Path viaLink = Files.createSymbolicLink(tmp.getRoot().toPath().resolve("site-link"), www);
        Deploys.run(Deploys.request(build, "r1", null, tmp.newFolder().toPath(),
                viaLink.resolve("production").toString()), new RecordingListener());
        assertEquals(Path.of("r1"), Files.readSymbolicLink(www.resolve("production")));
        assertEquals("home\n", Files.readString(www.resolve("r1/index.html")));
    }
}
