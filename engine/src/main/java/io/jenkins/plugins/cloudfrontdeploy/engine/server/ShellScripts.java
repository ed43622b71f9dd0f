package io.jenkins.plugins.cloudfrontdeploy.engine.server;

import static io.jenkins.plugins.cloudfrontdeploy.engine.ssh.ShellQuote.quote;

/**
 * The shell scripts shared by several stages. Values on a command line are absolute paths and tokens quoted with
 * {@code ShellQuote}; relative names come NUL-separated on standard input and reach commands through
 * {@code xargs -0}, so no shell ever parses a file name.
 */
public final class ShellScripts {
    private ShellScripts() {}

    /**
     * Replaces a file with standard input, whole or not at all: written beside it, checked to hold all
     * {@code length} bytes, then renamed over it. The check matters: a client cut off (killed, interrupted, its
     * connection lost) while sending ends the input early, and {@code cat} takes that for the end of the file.
     */
    public static String writeFile(String path, long length) {
        String dir = path.substring(0, path.lastIndexOf('/'));
        String tmp = quote(path + ".tmp");
        return "mkdir -p -- " + quote(dir) + " && cat > " + tmp + " && [ $(wc -c < " + tmp + ") -eq " + length
                + " ] && mv -f -- " + tmp + " " + quote(path) + " || { rm -f -- " + tmp + "; exit 1; }";
    }

    /** Prints a file, or nothing (exit 0) when it does not exist. */
    public static String readFileIfExists(String path) {
        return "if [ -f " + quote(path) + " ]; then cat -- " + quote(path) + "; fi";
    }

    /**
     * Prints every {@code *} file of a folder as NUL-separated name and content pairs (nothing when the folder does not
     * exist). For small JSON documents, which contain no NUL.
     */
    public static String readFiles(String dir, String suffix) {
        return "[ -d " + quote(dir) + " ] || exit 0; cd -P -- " + quote(dir) + " || exit 5; "
                + "for f in *" + quote(suffix) + "; do [ -f \"$f\" ] || continue; printf '%s\\0' \"$f\"; "
                + "cat -- \"$f\" || exit 6; printf '\\0'; done";
    }

    /** Makes {@code link} point at {@code text} by renaming a new link over it: rename(2) is atomic. */
    public static String replaceLink(String link, String text, String token) {
        String temporary = link + ".cfd-switch-" + token;
        return "ln -s -- " + quote(text) + " " + quote(temporary) + " && { mv -T -- " + quote(temporary) + " "
                + quote(link) + " || { rm -f -- " + quote(temporary) + "; exit 1; }; }";
    }

    /** Runs a command on the NUL-separated relative names of standard input, inside a folder. */
    public static String inFolder(String folder, String xargsCommand) {
        return "cd -P -- " + quote(folder) + " || exit 5; xargs -0 -r " + xargsCommand;
    }
}
