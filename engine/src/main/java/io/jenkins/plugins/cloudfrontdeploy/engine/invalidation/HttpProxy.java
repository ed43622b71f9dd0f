package io.jenkins.plugins.cloudfrontdeploy.engine.invalidation;

import io.jenkins.plugins.cloudfrontdeploy.engine.DeployException;
import java.io.Serializable;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * An HTTP proxy the AWS calls go through, as a front end configures it (in Jenkins: the controller's proxy
 * settings). The password is never printed.
 *
 * @param username for proxies that ask for Basic authentication, or {@code null}
 * @param password never printed: {@link #toString()} leaves it out
 * @param nonProxyHosts hosts reached directly, as regular expressions matched whole against the lower-case host name
 *     (Jenkins' {@code ProxyConfiguration.getNoProxyHostPatterns()} gives them so; the SDK matches them so)
 */
public record HttpProxy(String host, int port, String username, String password, List<String> nonProxyHosts)
        implements Serializable {
    public HttpProxy {
        if (host == null || host.isBlank() || host.chars().anyMatch(c -> c <= ' ' || c == '/' || c == '@')) {
            throw new DeployException("the proxy host '" + String.valueOf(host).replaceAll("\\p{Cntrl}", "?")
                    + "' is not valid: give a host name or address, such as proxy.example.com");
        }
        if (port < 1 || port > 65535) {
            throw new DeployException("the proxy port " + port + " of " + host + " is not valid: give a number from 1"
                    + " to 65535");
        }
        nonProxyHosts = nonProxyHosts == null ? List.of() : List.copyOf(nonProxyHosts);
        for (String p : nonProxyHosts) {
            try {
                Pattern.compile(p);
            } catch (PatternSyntaxException e) {
                throw new DeployException("the no-proxy host pattern '" + p + "' is not a valid regular expression: "
                        + e.getDescription());
            }
        }
    }

    @Override
    public String toString() {
        return "HttpProxy[" + host + ":" + port + ", username=" + username + ", password="
                + (password == null ? null : "****") + ", nonProxyHosts=" + nonProxyHosts + "]";
    }
}
