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
