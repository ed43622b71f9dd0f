package io.jenkins.plugins.cloudfrontdeploy.engine;

import static org.junit.Assert.assertEquals;

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
}
