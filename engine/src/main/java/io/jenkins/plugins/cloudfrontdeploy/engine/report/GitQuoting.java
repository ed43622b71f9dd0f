package io.jenkins.plugins.cloudfrontdeploy.engine.report;

/**
 * Quotes a path the way git does in {@code git diff --name-status}: a name with a control character, {@code "} or
 * {@code \} is written in double quotes with C escapes; any other name is written as is. Non-ASCII stays readable
 * UTF-8 (git's {@code core.quotePath=false}), since these lists are read by people and by tools alike.
 */
public final class GitQuoting {
    private GitQuoting() {}

    public static String quote(String path) {
        if (!needsQuoting(path)) {
            return path;
        }
        StringBuilder sb = new StringBuilder(path.length() + 8).append('"');
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            switch (c) {
                case '\u0007' -> sb.append("\\a");
                case '\b' -> sb.append("\\b");
                case '\t' -> sb.append("\\t");
                case '\n' -> sb.append("\\n");
                case '\u000b' -> sb.append("\\v");
                case '\f' -> sb.append("\\f");
                case '\r' -> sb.append("\\r");
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        sb.append(String.format("\\%03o", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }

    /** The inverse of {@link #quote}: a name in double quotes has its C escapes undone, any other is as written. */
    public static String unquote(String text) {
        if (text.length() < 2 || !text.startsWith("\"") || !text.endsWith("\"")) {
            return text;
        }
        StringBuilder sb = new StringBuilder(text.length());
        for (int i = 1; i < text.length() - 1; i++) {
            char c = text.charAt(i);
            if (c != '\\' || i + 1 >= text.length() - 1) {
                sb.append(c);
                continue;
            }
            char e = text.charAt(++i);
            switch (e) {
                case 'a' -> sb.append('\u0007');
                case 'b' -> sb.append('\b');
                case 't' -> sb.append('\t');
                case 'n' -> sb.append('\n');
                case 'v' -> sb.append('\u000b');
                case 'f' -> sb.append('\f');
                case 'r' -> sb.append('\r');
                default -> {
                    if (e >= '0' && e <= '7' && i + 2 < text.length() - 1) {
                        sb.append((char) Integer.parseInt(text.substring(i, i + 3), 8));
                        i += 2;
                    } else {
                        sb.append(e); // \" and \\
                    }
                }
            }
        }
        return sb.toString();
    }

    private static boolean needsQuoting(String path) {
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c < 0x20 || c == 0x7f || c == '"' || c == '\\') {
                return true;
            }
        }
        return false;
    }
}
