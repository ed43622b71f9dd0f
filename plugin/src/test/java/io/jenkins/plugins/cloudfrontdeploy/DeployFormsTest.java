package io.jenkins.plugins.cloudfrontdeploy;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.domains.Domain;
import com.cloudbees.plugins.credentials.impl.UsernamePasswordCredentialsImpl;
import hudson.model.FreeStyleProject;
import hudson.model.Item;
import hudson.model.User;
import hudson.security.ACL;
import hudson.security.ACLContext;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
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
        CredentialsProvider.lookupStores(r.jenkins).iterator().next().addCredentials(Domain.global(),
                new UsernamePasswordCredentialsImpl(CredentialsScope.GLOBAL, "web", null, "deploy", "a-long-password-1"));
        try (ACLContext ignored = ACL.as2(User.getById("admin", true).impersonate2())) {
            assertTrue(DeployForms.sshCredentials(p, "", "").stream().anyMatch(o -> o.value.equals("web")));
        }
        try (ACLContext ignored = ACL.as2(User.getById("reader", true).impersonate2())) {
            ListBoxModel seen = DeployForms.sshCredentials(p, "kept", "");
            assertEquals(1, seen.size()); // only the current value
            assertEquals("kept", seen.get(0).value);
            assertEquals(FormValidation.Kind.OK, DeployForms.checkTarget(p, "ftp://quiet").kind);
            assertThrows(AccessDeniedException.class, () -> DeployForms.testConnection(p, "/var/www/a/production",
                    null, null));
        }
    }
}
