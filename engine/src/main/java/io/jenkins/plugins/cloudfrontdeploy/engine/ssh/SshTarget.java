package io.jenkins.plugins.cloudfrontdeploy.engine.ssh;

import io.jenkins.plugins.cloudfrontdeploy.engine.DeployException;
import java.io.Serializable;
import java.util.Objects;

/**
 * Where the live link is: {@code ssh://user@host[:port]/abs/path/production}, or a plain absolute path for the local
 * transport (the agent is the web server). The path is taken literally (no %-decoding), and must be a clean
 * absolute path: no ".", ".." or empty segment, no trailing slash (it names the link itself, not what it points
 * to), no control character.
 */
public final class SshTarget implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String user;
    private final String host;
    private final int port;
    private final String path;

    private SshTarget(String user, String host, int port, String path) {
        this.user = user;
        this.host = host;
        this.port = port;
        this.path = path;
    }

    public static SshTarget parse(String spec) {
        return parse(spec, null);
    }

    /**
     * @param defaultUser the user when the target names none (e.g. the SSH credentials' user name); {@code null}:
     *     the local user's name, as ssh does
     */
    public static SshTarget parse(String spec, String defaultUser) {
        if (spec == null || spec.isBlank()) {
            throw new DeployException("no target given; use ssh://user@host[:port]/var/www/site/production or an"
                    + " absolute path to the link on this machine");
        }
        if (!spec.contains("://")) {
            return new SshTarget(null, null, 0, validatePath(spec, spec));
        }
        if (!spec.startsWith("ssh://")) {
            throw new DeployException("the target '" + spec + "' has an unsupported scheme; use"
                    + " ssh://user@host[:port]/var/www/site/production");
        }
        String rest = spec.substring("ssh://".length());
        int slash = rest.indexOf('/');
        if (slash < 0) {
            throw new DeployException("the target '" + spec + "' has no path; add the absolute path of the link,"
                    + " as in ssh://deploy@web1/var/www/site/production");
        }
        String authority = rest.substring(0, slash);
        String path = validatePath(rest.substring(slash), spec);
        String user = defaultUser != null ? defaultUser : System.getProperty("user.name");
        int at = authority.lastIndexOf('@');
        if (at >= 0) {
            user = authority.substring(0, at);
            authority = authority.substring(at + 1);
            if (user.isEmpty()) {
                throw new DeployException("the target '" + spec + "' has an empty user name before '@'");
            }
        }
        String host;
        int port = 22;
        String portText = null;
        if (authority.startsWith("[")) {
            int close = authority.indexOf(']');
            if (close < 0) {
                throw new DeployException("the target '" + spec + "' has an unclosed '[' in its host");
            }
            host = authority.substring(1, close);
            String after = authority.substring(close + 1);
            if (after.startsWith(":")) {
                portText = after.substring(1);
            } else if (!after.isEmpty()) {
                throw new DeployException("the target '" + spec + "' has text after its [host]");
            }
        } else {
            int colon = authority.lastIndexOf(':');
            host = colon >= 0 ? authority.substring(0, colon) : authority;
            portText = colon >= 0 ? authority.substring(colon + 1) : null;
        }
        if (host.isEmpty()) {
            throw new DeployException("the target '" + spec + "' has no host");
        }
        if (portText != null) {
            try {
                port = Integer.parseInt(portText);
            } catch (NumberFormatException e) {
                port = -1;
            }
            if (port < 1 || port > 65535) {
                throw new DeployException("the target '" + spec + "' has an invalid port '" + portText
                        + "'; use a number from 1 to 65535");
            }
        }
        return new SshTarget(user, host, port, path);
    }

    private static String validatePath(String path, String spec) {
        String why = null;
        if (!path.startsWith("/")) {
            why = "is not absolute";
        } else if (path.length() == 1) {
            why = "is the root folder";
        } else if (path.endsWith("/")) {
            why = "ends with '/' (name the link itself)";
        } else if (path.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            why = "contains a control character";
        } else {
            for (String segment : path.substring(1).split("/", -1)) {
                if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                    why = "has an empty, '.' or '..' segment";
                    break;
                }
            }
        }
        if (why != null) {
            throw new DeployException("the target path '" + path + "' in '" + spec + "' " + why
                    + "; give the absolute path of the production link, as in /var/www/site/production");
        }
        return path;
    }

    public boolean isLocal() {
        return host == null;
    }

    public String user() {
        return user;
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    /** Absolute path of the live link. */
    public String path() {
        return path;
    }

    /** The folder holding the link: the site root. */
    public String parent() {
        int i = path.lastIndexOf('/');
        return i == 0 ? "/" : path.substring(0, i);
    }

    /** host:port, with brackets around an IPv6 address. */
    public String hostAndPort() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    @Override
    public String toString() {
        return isLocal() ? path : "ssh://" + user + "@" + hostAndPort() + path;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SshTarget t
                && Objects.equals(user, t.user)
                && Objects.equals(host, t.host)
                && port == t.port
                && path.equals(t.path);
    }

    @Override
    public int hashCode() {
        return Objects.hash(user, host, port, path);
    }
}
