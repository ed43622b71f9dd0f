package io.jenkins.plugins.cloudfrontdeploy.engine;

import static org.junit.Assert.assertEquals;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.Test;

/** The lines a build console gets: prefixed, one per event worth reading later, no progress counts. */
public class LogLineListenerTest {
    @Test
    public void eventsBecomePrefixedLinesAndProgressIsLeftOut() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        LogLineListener l = new LogLineListener(new PrintStream(bytes, true, StandardCharsets.UTF_8), "[cfd] ");
        l.stageStarted(Stage.STAGE, 2048);
        l.progressed(Stage.STAGE, 1024);
        l.stageFinished(Stage.STAGE, "3 files uploaded");
        l.stageStarted(Stage.LIST, -1);
        l.info("batch 1/2 (3 paths) on E1 I1 InProgress 5s");
        l.warning("host key accepted on first use");
        assertEquals("[cfd] stage (2048 bytes) …\n[cfd] stage: 3 files uploaded\n[cfd] list …\n"
                + "[cfd] batch 1/2 (3 paths) on E1 I1 InProgress 5s\n[cfd] WARNING: host key accepted on first use\n",
                bytes.toString(StandardCharsets.UTF_8).replace(System.lineSeparator(), "\n"));
    }

    /**
     * A build console on a Jenkins agent is a buffered stream without autoflush (workflow-api's BufferedBuildListener
     * over a DelayBufferedOutputStream): a line left in the buffer arrives late, or after the step's own summary.
     */
    @Test
    public void everyLineIsFlushedAsItIsWritten() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        LogLineListener l = new LogLineListener(new PrintStream(new BufferedOutputStream(bytes, 1 << 16), false,
                StandardCharsets.UTF_8), "[cfd] ");
        l.stageStarted(Stage.INVALIDATE, -1);
        assertEquals("[cfd] invalidate …\n", text(bytes));
        l.info("batch 1/1 (2 paths) on E1 I1 InProgress 5s");
        assertEquals("[cfd] invalidate …\n[cfd] batch 1/1 (2 paths) on E1 I1 InProgress 5s\n", text(bytes));
        l.warning("w");
        l.stageFinished(Stage.INVALIDATE, "done");
        assertEquals("[cfd] invalidate …\n[cfd] batch 1/1 (2 paths) on E1 I1 InProgress 5s\n[cfd] WARNING: w\n"
                + "[cfd] invalidate: done\n", text(bytes));
    }

    private static String text(ByteArrayOutputStream bytes) {
        return bytes.toString(StandardCharsets.UTF_8).replace(System.lineSeparator(), "\n");
    }
}
