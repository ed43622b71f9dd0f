package io.jenkins.plugins.cloudfrontdeploy.cli;

/**
 * Secrets come from environment variables named on the command line, never from the command line itself (which other
 * users can read in the process list).
 */
final class EnvironmentSecrets {
    private EnvironmentSecrets() {}

    /** The variable's value, {@code null} when none is named; a named but missing variable is a usage error. */
    static String read(String variable, String option) {
        if (variable == null) {
            return null;
        }
        String value = System.getenv(variable);
        if (value == null || value.isEmpty()) {
            throw new Main.UsageError(option + " names the environment variable " + variable
                    + ", which is not set; export it, or drop " + option);
        }
        return value;
    }
}
