package io.jenkins.plugins.cloudfrontdeploy.engine.scan;

import io.jenkins.plugins.cloudfrontdeploy.engine.DeployException;
import io.jenkins.plugins.cloudfrontdeploy.engine.Vocabulary;
import java.util.ArrayList;
import java.util.List;

/**
 * Glob patterns, matched against '/'-separated paths relative to the source folder (Java's glob syntax:
 * {@code *} within one segment, {@code **} across segments). A leading {@code **}{@code /} also matches at the top,
 * as users of .gitignore expect: {@code **}{@code /*.map} excludes {@code app.map} too. A pattern that matches a
 * directory excludes everything below it. A wildcard matches any character of a name, a newline or a byte that is
 * not UTF-8 included ({@link Glob}).
 */
public final class Excludes {
    private final List<String> patterns;
    private final List<Glob> matchers = new ArrayList<>();
    private final Vocabulary words;

    public Excludes(List<String> patterns) {
        this(patterns, Vocabulary.CLI);
    }

    /** @param words how the front end names the option, for the messages */
    public Excludes(List<String> patterns, Vocabulary words) {
        this.words = words;
        this.patterns = List.copyOf(patterns);
        for (String pattern : this.patterns) {
            if (pattern.isBlank()) {
                throw new DeployException("an empty exclude pattern would match nothing; remove it");
            }
            add(pattern, pattern);
            if (pattern.startsWith("**/")) {
                add(pattern.substring(3), pattern);
            }
        }
    }

    public static Excludes none() {
        return new Excludes(List.of());
    }

    private void add(String glob, String original) {
        try {
            matchers.add(Glob.of(glob));
        } catch (java.util.regex.PatternSyntaxException e) {
            throw invalid(original, e.getDescription());
        } catch (IllegalArgumentException e) {
            throw invalid(original, e.getMessage());
        }
    }

    private DeployException invalid(String pattern, String why) {
        return new DeployException("the exclude pattern '" + pattern + "' is not a valid glob (" + why
                + "); example: " + words.given(Vocabulary.Setting.EXCLUDE, "**/*.map"));
    }

    public List<String> patterns() {
        return patterns;
    }

    public boolean matches(String relativePath) {
        if (matchers.isEmpty()) {
            return false;
        }
        for (Glob m : matchers) {
            if (m.matches(relativePath)) {
                return true;
            }
        }
        return false;
    }
}
