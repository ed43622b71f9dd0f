package io.jenkins.plugins.cloudfrontdeploy.engine.scan;

import java.util.regex.Pattern;

/**
 * A glob in Java's syntax ({@link java.nio.file.FileSystem#getPathMatcher}: {@code *}, {@code **}, {@code ?},
 * {@code [a-z]}, {@code [!a]}, {@code {a,b}}, {@code \} escapes), matched against a '/'-separated path as text. The
 * JDK's matcher is not used because its {@code **} is a regex {@code .*} without DOTALL: it stops at a newline, a
 * NEL or a line separator in a name, so {@code **}{@code /*.map} would deploy {@code new\ndir/a.map}. Here every
 * wildcard matches any character but '/', whatever the name holds, and no {@code Path} is built from the name (a
 * JVM whose file name encoding is not UTF-8 refuses some names as paths).
 */
final class Glob {
    private final Pattern pattern;

    private Glob(Pattern pattern) {
        this.pattern = pattern;
    }

    /** @throws IllegalArgumentException naming what is wrong with the glob */
    static Glob of(String glob) {
        return new Glob(Pattern.compile(toRegex(glob), Pattern.DOTALL));
    }

    /** Whether the whole path matches (never a prefix, never up to a final line terminator as {@code $} would). */
    boolean matches(String path) {
        return pattern.matcher(path).matches();
    }

    /** The regex for a glob, as the JDK translates it (sun.nio.fs.Globs, Unix flavour) but without anchors. */
    static String toRegex(String glob) {
        StringBuilder regex = new StringBuilder();
        boolean inGroup = false;
        int i = 0;
        while (i < glob.length()) {
            char c = glob.charAt(i++);
            switch (c) {
                case '\\' -> {
                    if (i == glob.length()) {
                        throw new IllegalArgumentException("a '\\' at the end escapes nothing");
                    }
                    literal(regex, glob.charAt(i++));
                }
                case '[' -> i = bracket(glob, i, regex);
                case '{' -> {
                    if (inGroup) {
                        throw new IllegalArgumentException("groups '{...}' cannot be nested");
                    }
                    regex.append("(?:(?:");
                    inGroup = true;
                }
                case '}' -> {
                    if (inGroup) {
                        regex.append("))");
                        inGroup = false;
                    } else {
                        regex.append("\\}");
                    }
                }
                case ',' -> regex.append(inGroup ? ")|(?:" : ",");
                case '*' -> {
                    if (i < glob.length() && glob.charAt(i) == '*') {
                        regex.append(".*"); // with DOTALL: any character, '/' and line terminators included
                        i++;
                    } else {
                        regex.append("[^/]*");
                    }
                }
                case '?' -> regex.append("[^/]");
                default -> literal(regex, c);
            }
        }
        if (inGroup) {
            throw new IllegalArgumentException("a group '{' is not closed by '}'");
        }
        return regex.toString();
    }

    /** A bracket expression from just after its '['; returns the index after its ']'. */
    private static int bracket(String glob, int start, StringBuilder regex) {
        int i = start;
        regex.append("[[^/]&&[");
        if (i < glob.length() && glob.charAt(i) == '^') {
            regex.append("\\^"); // a literal '^', as in the JDK: the glob's negation is '!'
            i++;
        } else {
            if (i < glob.length() && glob.charAt(i) == '!') {
                regex.append('^');
                i++;
            }
            if (i < glob.length() && glob.charAt(i) == '-') {
                regex.append('-');
                i++;
            }
        }
        boolean hasRangeStart = false;
        char last = 0;
        while (i < glob.length()) {
            char c = glob.charAt(i++);
            if (c == ']') {
                regex.append("]]");
                return i;
            }
            if (c == '/') {
                throw new IllegalArgumentException("a '/' cannot be inside '[...]'");
            }
            if (c == '-') {
                if (!hasRangeStart) {
                    throw new IllegalArgumentException("a range in '[...]' has no start");
                }
                if (i == glob.length() || glob.charAt(i) == ']') {
                    regex.append('-'); // a trailing '-' is literal
                    continue;
                }
                char end = glob.charAt(i++);
                if (end < last) {
                    throw new IllegalArgumentException("the range " + last + "-" + end + " is reversed");
                }
                regex.append('-');
                classMember(regex, end);
                hasRangeStart = false;
            } else {
                classMember(regex, c);
                hasRangeStart = true;
                last = c;
            }
        }
        throw new IllegalArgumentException("a '[' is not closed by ']'");
    }

    private static void classMember(StringBuilder regex, char c) {
        if (!Character.isLetterOrDigit(c)) {
            regex.append('\\'); // a backslash before a non-letter is always that character in a regex
        }
        regex.append(c);
    }

    private static void literal(StringBuilder regex, char c) {
        if (!Character.isLetterOrDigit(c) && c < 0x80) {
            regex.append('\\');
        }
        regex.append(c);
    }
}
