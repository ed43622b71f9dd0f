package io.jenkins.plugins.cloudfrontdeploy;

import static org.hamcrest.CoreMatchers.containsString;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.junit.Assert.assertThrows;

import hudson.AbortException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.util.Map;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The check a deploy makes on its agent before anything else: a file system without POSIX attributes (Windows; here
 * the JDK's zip file system, which has none either) is refused in one line that says what to do, instead of the
 * {@code UnsupportedOperationException} the engine would meet.
 */
public class DeployCallableTest {
    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    @Test
    public void aFileSystemWithoutPosixAttributesIsRefusedWithTheFix() throws Exception {
        Path zip = tmp.getRoot().toPath().resolve("not-posix.zip");
        try (FileSystem notPosix = FileSystems.newFileSystem(zip, Map.of("create", "true"))) {
            AbortException e = assertThrows(AbortException.class, () -> DeployCallable.requirePosix(notPosix));
            assertThat(e.getMessage(), containsString("[cloudfront-deploy] cloudfrontDeploy needs an agent with a"
                    + " POSIX file system (Linux, macOS, BSD), and this agent runs "));
            assertThat(e.getMessage(), containsString(": run the deploy in a node block on a Linux or macOS agent"));
        }
        DeployCallable.requirePosix(FileSystems.getDefault()); // this machine's
    }
}
