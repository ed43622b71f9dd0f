package io.jenkins.plugins.cloudfrontdeploy.engine.release;

import io.jenkins.plugins.cloudfrontdeploy.engine.DeployException;
import io.jenkins.plugins.cloudfrontdeploy.engine.Vocabulary;
import java.util.regex.Pattern;

/** A release's folder name: plain enough to be one path segment on any server and safe in any message. */
public final class ReleaseName {
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9._-]{1,128}");

    private ReleaseName() {}

    /** Whether {@code name} may be a release name (and so one path segment of the tool's own files). */
    public static boolean isValid(String name) {
        return name != null && VALID.matcher(name).matches() && !name.equals(".") && !name.equals("..")
                && !name.startsWith("-");
    }

    public static String require(String name) {
        return require(name, Vocabulary.CLI);
    }

    /** As the other form, naming the option in the front end's words. */
    public static String require(String name, Vocabulary words) {
        if (name == null || name.isEmpty()) {
            throw new DeployException("no release name: give one ("
                    + words.given(Vocabulary.Setting.RELEASE, "1.0.4") + ")");
        }
        if (!isValid(name)) {
            throw new DeployException("the release name '" + name.replaceAll("\\p{Cntrl}", "?") + "' is not"
                    + " valid: use letters, digits, '.', '_' and '-' only (at most 128), not starting with '-',"
                    + " and not '.' or '..'");
        }
        return name;
    }
}
