package io.jenkins.plugins.cloudfrontdeploy.engine.ssh;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.Processes;
import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.Trees;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.Test;

/** Every quoted value must reach a real /bin/sh as exactly one word, byte for byte, and never run. */
public class ShellQuoteTest {
    private static void roundTrip(List<String> values) throws Exception {
        StringBuilder script = new StringBuilder("printf '%s\\0'");
        for (String v : values) {
            script.append(' ').append(ShellQuote.quote(v));
        }
        Processes.Result r = Processes.exec(null, List.of("/bin/sh", "-c", script.toString()));
        assertEquals(r.output(), 0, r.exit());
        StringBuilder expected = new StringBuilder();
        for (String v : values) {
            expected.append(v).append('\0');
        }
        assertArrayEquals(expected.toString().getBytes(StandardCharsets.UTF_8), r.raw());
    }

    @Test
    public void hostileNamesSurviveAsOneWordEach() throws Exception {
        List<String> values = new ArrayList<>(Trees.HOSTILE_NAMES);
        values.addAll(List.of("", "'", "''", "'\\''", "\\", "$HOME", "${IFS}", "!", "*", "~", "a'b'c", "\n'\n"));
        roundTrip(values);
    }

    @Test
    public void randomStrings() throws Exception {
        Random random = new Random(11);
        List<String> values = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            StringBuilder sb = new StringBuilder();
            int n = random.nextInt(20);
            for (int j = 0; j < n; j++) {
                sb.append((char) (1 + random.nextInt(126))); // every ASCII character but NUL
            }
            values.add(sb.toString());
        }
        roundTrip(values);
    }

    @Test
    public void nulCannotBeQuoted() {
        assertThrows(IllegalArgumentException.class, () -> ShellQuote.quote("a\0b"));
    }
}
