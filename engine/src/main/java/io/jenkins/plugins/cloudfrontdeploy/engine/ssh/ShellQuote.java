package io.jenkins.plugins.cloudfrontdeploy.engine.ssh;

/**
 * Quotes arguments for a POSIX shell. Every value that reaches a remote command line goes through here: single
 * quotes make everything literal except the single quote itself, which is closed, escaped and reopened. Tested
 * against hostile names with a real {@code /bin/sh}.
 */
public final class ShellQuote {
    private ShellQuote() {}

    public static String quote(String value) {
        if (value.indexOf('\0') >= 0) {
            // no shell word can hold NUL: the value would be cut short, silently naming something else
            throw new IllegalArgumentException("a shell argument cannot contain NUL");
        }
        return "'" + value.replace("'", "'\\''") + "'";
    }
}
