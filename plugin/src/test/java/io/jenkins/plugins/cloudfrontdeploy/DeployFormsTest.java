package io.jenkins.plugins.cloudfrontdeploy;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import hudson.model.FreeStyleProject;
import hudson.model.Item;
import hudson.security.ACL;
import hudson.model.User;
import hudson.security.ACLContext;
import hudson.util.FormValidation;
import jenkins.model.Jenkins;
import org.junit.Rule;
import org.junit.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.MockAuthorizationStrategy;
import org.springframework.security.access.AccessDeniedException;

/** The form methods: validation through the engine, and nothing shown or connected to without permission. */
public class DeployFormsTest {
    @Rule
    public JenkinsRule r = new JenkinsRule();

    @Test
    public void checksUseTheEnginesMessages() throws Exception {
        FreeStyleProject p = r.createFreeStyleProject();
        assertEquals(FormValidation.Kind.OK, DeployForms.checkTarget(p, "ssh://deploy@web1/var/www/a/production").kind);
        assertEquals(FormValidation.Kind.ERROR, DeployForms.checkTarget(p, "ftp://web1/x").kind);
        assertEquals(FormValidation.Kind.OK, DeployForms.checkTarget(p, "${TARGET}").kind);
        assertEquals(FormValidation.Kind.ERROR, DeployForms.checkRelease(p, "../x").kind);
        assertEquals(FormValidation.Kind.ERROR, DeployForms.checkDistributionIds(p, "not-an-id").kind);
    }

    @Test
    public void aReaderSeesNoCredentialsAndCannotTestAConnection() throws Exception {
        r.jenkins.setSecurityRealm(r.createDummySecurityRealm());
        r.jenkins.setAuthorizationStrategy(new MockAuthorizationStrategy()
                .grant(Jenkins.READ, Item.READ).everywhere().to("reader")
                .grant(Jenkins.ADMINISTER).everywhere().to("admin"));
        FreeStyleProject p = r.createFreeStyleProject();
        try (ACLContext ignored = ACL.as2(User.getById("reader", true).impersonate2())) {
            assertEquals(1, DeployForms.sshCredentials(p, "kept").size()); // only the current value
            assertEquals(FormValidation.Kind.OK, DeployForms.checkTarget(p, "ftp://quiet").kind);
            assertThrows(AccessDeniedException.class, () -> DeployForms.testConnection(p, "/var/www/a/production",
                    null));
        }
    }
}
