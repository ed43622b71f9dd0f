package io.jenkins.plugins.cloudfrontdeploy;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.ProxyConfiguration;
import hudson.Util;
import hudson.util.Secret;
import io.jenkins.plugins.cloudfrontdeploy.engine.invalidation.HttpProxy;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import jenkins.model.Jenkins;

/**
 * Jenkins' HTTP proxy (Manage Jenkins » System » HTTP Proxy Configuration), read on the controller and sent with a
 * deploy to the agent for its AWS calls, mapped as the aws-credentials plugin maps it for its own SDK clients
 * (AWSCredentialsImpl#getHttpClient): host and port, the user and password, and the no-proxy hosts as Jenkins' own
 * patterns. The password stays a {@link Secret} until the agent builds the client.
 */
final class JenkinsProxy implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String host;
    private final int port;
    private final String user;
    private final Secret password;
    private final ArrayList<String> noProxyHosts;

    private JenkinsProxy(ProxyConfiguration p) {
        this.host = p.getName().trim();
        this.port = p.getPort();
        this.user = Util.fixEmptyAndTrim(p.getUserName());
        this.password = p.getSecretPassword();
        this.noProxyHosts = new ArrayList<>(p.getNoProxyHostPatterns().stream().map(Pattern::pattern).toList());
    }

    /** The controller's proxy, or {@code null} when none is configured. */
    @CheckForNull
    static JenkinsProxy configured() {
        Jenkins j = Jenkins.getInstanceOrNull();
        ProxyConfiguration p = j == null ? null : j.getProxy();
        return p == null || Util.fixEmptyAndTrim(p.getName()) == null ? null : new JenkinsProxy(p);
    }

    /** The engine's setting; on the agent. */
    HttpProxy toEngine() {
        return new HttpProxy(host, port, user, user == null ? null : Secret.toString(password),
                List.copyOf(noProxyHosts));
    }

    /** Names no secret. */
    @Override
    public String toString() {
        return "JenkinsProxy[" + host + ":" + port + ", user=" + user + ", noProxyHosts=" + noProxyHosts + "]";
    }
}
