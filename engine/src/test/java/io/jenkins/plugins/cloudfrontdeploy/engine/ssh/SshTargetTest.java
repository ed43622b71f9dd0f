package io.jenkins.plugins.cloudfrontdeploy.engine.ssh;

import static org.hamcrest.CoreMatchers.containsString;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import io.jenkins.plugins.cloudfrontdeploy.engine.DeployException;
import org.junit.Test;

public class SshTargetTest {
    @Test
    public void sshUrl() {
        SshTarget t = SshTarget.parse("ssh://deploy@web1.example.com:2222/var/www/site/production");
        assertEquals("deploy", t.user());
        assertEquals("web1.example.com", t.host());
        assertEquals(2222, t.port());
        assertEquals("/var/www/site/production", t.path());
        assertEquals("/var/www/site", t.parent());
        assertFalse(t.isLocal());
        assertEquals("ssh://deploy@web1.example.com:2222/var/www/site/production", t.toString());
    }

    @Test
    public void defaultsAndIpv6() {
        SshTarget t = SshTarget.parse("ssh://[::1]/srv/production");
        assertEquals("::1", t.host());
        assertEquals(22, t.port());
        assertEquals(System.getProperty("user.name"), t.user());
        assertEquals("[::1]:22", t.hostAndPort());
        assertEquals("/", SshTarget.parse("/production").parent());
    }

    @Test
    public void localPath() {
        SshTarget t = SshTarget.parse("/var/www/site/production");
        assertTrue(t.isLocal());
        assertEquals("/var/www/site/production", t.path());
    }

    @Test
    public void badTargetsNameTheValueAndTheFix() {
        String[][] cases = {
            {"relative/production", "is not absolute"},
            {"/var/www/../etc/production", "'..' segment"},
            {"/var/www//production", "empty"},
            {"/var/www/production/", "ends with '/'"},
            {"/", "root folder"},
            {"/var/www/pro\nduction", "control character"},
            {"ssh://web1", "has no path"},
            {"ssh://web1:99999/p", "invalid port '99999'"},
            {"ssh://web1:x/p", "invalid port 'x'"},
            {"ssh://@web1/p", "empty user name"},
            {"sftp://web1/p", "unsupported scheme"},
            {"", "no target given"},
        };
        for (String[] c : cases) {
            DeployException e = assertThrows(c[0], DeployException.class, () -> SshTarget.parse(c[0]));
            assertThat(e.getMessage(), containsString(c[1]));
        }
    }

    @Test
    public void aTargetWithoutUserTakesTheDefaultOneGiven() {
        assertEquals("deploy", SshTarget.parse("ssh://web1/var/www/site/production", "deploy").user());
        assertEquals("ops", SshTarget.parse("ssh://ops@web1/var/www/site/production", "deploy").user());
    }
}
