package io.jenkins.plugins.cloudfrontdeploy.cli;

import io.jenkins.plugins.cloudfrontdeploy.engine.DiffRequest;
import picocli.CommandLine.Option;

/** Where a command writes changes.txt and report.json: the same option on every command that reports. */
final class ReportOptions {
    @Option(names = "--report-dir", paramLabel = "DIR", defaultValue = DiffRequest.DEFAULT_REPORT_DIR,
            description = "Where changes.txt and report.json go (default: ${DEFAULT-VALUE}).")
    String reportDir;
}
