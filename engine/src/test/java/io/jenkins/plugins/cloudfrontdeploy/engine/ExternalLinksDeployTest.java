package io.jenkins.plugins.cloudfrontdeploy.engine;

import static org.hamcrest.CoreMatchers.containsString;
import static org.hamcrest.CoreMatchers.not;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import io.jenkins.plugins.cloudfrontdeploy.engine.ssh.SshSettings;
import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.Deploys;
import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.OpenSshServer;
import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.RecordingListener;
import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.Trees;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Symbolic links in the build that lead outside it (absolute, or climbing above it, also through another link) are
 * refused before anything is written to a server, each named with where it points; {@code --allow-external-links}
 * deploys them with a warning naming them. Links that stay inside the build deploy as before. Over the real OpenSSH
 * server, and locally.
 */
public class ExternalLinksDeployTest {
    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    /** A build with internal links and the three kinds of external ones. */
    private Path hostileBuild() throws Exception {
        Path build = tmp.newFolder("build").toPath();
        Trees.write(build, "index.html", "home\n");
        Trees.write(build, "news/today.html", "news\n");
        Trees.link(build, "latest", "news/today.html"); // inside
        Trees.link(build, "news/home", "../index.html"); // inside, climbing one folder
        Trees.link(build, "passwd.txt", "/etc/passwd");
        Trees.link(build, "etc", "../../../../etc");
        Trees.link(build, "news/up", ".."); // inside: the top of the build
        Trees.link(build, "sneaky", "news/up/../etc"); // its text stays inside, but news/up is the top
        return build;
    }

    private static String[] siteRootAfter(Path www) throws Exception {
        try (Stream<Path> s = Files.list(www)) {
            return s.map(p -> p.getFileName().toString()).sorted().toArray(String[]::new);
        }
    }

    @Test
    public void linksOutsideTheBuildAreRefusedBeforeAnythingIsWrittenOverOpenSsh() throws Exception {
        Path build = hostileBuild();
        Path www = tmp.newFolder("www").toPath();
        try (OpenSshServer sshd = OpenSshServer.start(tmp.newFolder().toPath())) {
            SshSettings ssh = SshSettings.builder().identityFile(sshd.userKey()).knownHostsFile(sshd.knownHosts())
                    .build();
            String target = sshd.url(www.resolve("production").toString());
            DeployException e = assertThrows(DeployException.class, () -> Deploys.run(
                    Deploys.request(build, "r1", ssh, tmp.newFolder().toPath(), target), new RecordingListener()));
            String m = e.getMessage();
            assertThat(m, containsString("3 symbolic links that lead outside the build"));
            assertThat(m, containsString("'passwd.txt' -> '/etc/passwd'"));
            assertThat(m, containsString("'etc' -> '../../../../etc'"));
            assertThat(m, containsString("'sneaky' -> 'news/up/../etc'"));
            assertThat(m, containsString("give --allow-external-links to deploy them anyway"));
            assertThat(m, not(containsString("latest")));
            assertThat(m, not(containsString("'news/home'")));
            assertThat(m, not(containsString("'news/up'")));
            assertEquals("nothing was created on the server, not even the lock", 0, siteRootAfter(www).length);

            // with the flag: deployed, with a warning naming each
            RecordingListener l = new RecordingListener();
            Deploys.run(Deploys.request(build, "r1", ssh, tmp.newFolder().toPath(), target)
                    .allowExternalLinks(true), l);
            String warnings = l.warnings.toString();
            assertThat(warnings, containsString("deploying 3 symbolic links that lead outside the build:"
                    + " 'etc' -> '../../../../etc', 'passwd.txt' -> '/etc/passwd', 'sneaky' -> 'news/up/../etc'"
                    + " (--allow-external-links)"));
            Path live = www.resolve("production");
            assertEquals(Path.of("/etc/passwd"), Files.readSymbolicLink(live.resolve("passwd.txt")));
            assertEquals("home\n", Files.readString(live.resolve("news/home")));
        }
    }

    @Test
    public void linksInsideTheBuildDeployAsBefore() throws Exception {
        Path build = tmp.newFolder("inside").toPath();
        Trees.write(build, "index.html", "home\n");
        Trees.write(build, "css/site.css", "body {}\n");
        Trees.link(build, "styles", "css");
        Trees.link(build, "css/home", "../index.html");
        Trees.link(build, "css/self", "./../css/./site.css");
        Trees.link(build, "dangling", "not-built-yet.html"); // inside, though nothing is there
        Path www = tmp.newFolder("www").toPath();
        RecordingListener l = new RecordingListener();
        Deploys.run(Deploys.request(build, "r1", null, tmp.newFolder().toPath(), www.resolve("production").toString()),
                l);
        assertEquals(List.of(), l.warnings);
        Path live = www.resolve("production");
        assertEquals(Path.of("css"), Files.readSymbolicLink(live.resolve("styles")));
        assertEquals("home\n", Files.readString(live.resolve("css/home")));
        assertEquals("body {}\n", Files.readString(live.resolve("css/self")));
        assertTrue(Files.isSymbolicLink(live.resolve("dangling")));
    }

    @Test
    public void manyLinksAreCountedAndADryRunRefusesThemToo() throws Exception {
        Path build = tmp.newFolder("many").toPath();
        Trees.write(build, "index.html", "home\n");
        for (int i = 0; i < 8; i++) {
            Trees.link(build, "l" + i, "/srv/secret" + i);
        }
        Trees.link(build, "odd\nname", "/etc/shadow");
        Path www = tmp.newFolder("www").toPath();
        DeployException e = assertThrows(DeployException.class, () -> Deploys.run(Deploys.request(build, "r1", null,
                tmp.newFolder().toPath(), www.resolve("production").toString()).dryRun(true), new RecordingListener()));
        assertThat(e.getMessage(), containsString("9 symbolic links that lead outside the build"));
        assertThat(e.getMessage(), containsString(" and 4 more;"));
        assertFalse(e.getMessage(), e.getMessage().contains("\n"));
        assertEquals(0, siteRootAfter(www).length);
    }

    @Test
    public void theRemedyIsSaidInEachFrontEndsWords() throws Exception {
        Path build = tmp.newFolder("ws", "site").toPath();
        Trees.write(build, "index.html", "home\n");
        Trees.link(build, "passwd.txt", "/etc/passwd");
        Path ws = build.getParent();
        String target = tmp.newFolder("www").toPath().resolve("production").toString();
        DeployParameters p = new DeployParameters("site", target, "1", null, null, null, null, null, null, null,
                false, false, null, null, false, null, null, null, null, null, null, false, false);
        String pipeline = assertThrows(DeployException.class, () -> new Deployment().run(p.withVocabulary(
                Vocabulary.PIPELINE).toRequest(ws, DeployParameters.Secrets.NONE, ws), new RecordingListener()))
                .getMessage();
        assertThat(pipeline, containsString("or give allowExternalLinks: true to deploy them anyway"));
        String form = assertThrows(DeployException.class, () -> new Deployment().run(p.withVocabulary(
                Vocabulary.FORM).toRequest(ws, DeployParameters.Secrets.NONE, ws), new RecordingListener()))
                .getMessage();
        assertThat(form, containsString("or give \"Allow links outside the build\" ticked to deploy them anyway"));

        DeployParameters allowed = new DeployParameters("site", target, "1", null, null, null, null, null, null,
                null, false, false, null, null, false, null, null, null, null, null, null, false, true);
        RecordingListener l = new RecordingListener();
        new Deployment().run(allowed.withVocabulary(Vocabulary.PIPELINE).toRequest(ws, DeployParameters.Secrets.NONE,
                ws), l);
        assertThat(l.warnings.toString(), containsString("'passwd.txt' -> '/etc/passwd' (allowExternalLinks: true)"));
    }
}
