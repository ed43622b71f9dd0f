package io.jenkins.plugins.cloudfrontdeploy.engine.invalidation;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import io.jenkins.plugins.cloudfrontdeploy.engine.DeployException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.Test;

public class BatcherTest {
    private static List<InvalidationPath> mixed(int files, int wildcards, Random random) {
        List<InvalidationPath> paths = new ArrayList<>();
        int f = 0;
        int w = 0;
        while (f < files || w < wildcards) {
            boolean wildcard = f == files || w < wildcards && random.nextInt(files + wildcards) < wildcards;
            paths.add(InvalidationPath.of(wildcard ? "/w" + w++ + "/*" : "/f" + f++ + ".html"));
        }
        return paths;
    }

    @Test
    public void limitsAreRespectedAndEveryPathSentOnce() {
        Random random = new Random(3000);
        for (int round = 0; round < 300; round++) {
            int files = random.nextInt(round < 20 ? 7000 : 60);
            int wildcards = random.nextInt(40);
            int batchSize = round < 20 ? 1 + random.nextInt(3000) : 1 + random.nextInt(10);
            int maxWildcards = 1 + random.nextInt(15);
            List<InvalidationPath> paths = mixed(files, wildcards, random);
            List<List<InvalidationPath>> batches = Batcher.split(paths, batchSize, maxWildcards);

            int expected = Math.max(ceil(files, batchSize), ceil(wildcards, maxWildcards));
            assertEquals(expected, batches.size());
            List<InvalidationPath> files1 = new ArrayList<>();
            List<InvalidationPath> wild1 = new ArrayList<>();
            for (List<InvalidationPath> batch : batches) {
                assertFalse(batch.isEmpty());
                long w = batch.stream().filter(InvalidationPath::wildcard).count();
                assertTrue(w <= maxWildcards);
                assertTrue(batch.size() - w <= batchSize);
                batch.forEach(p -> (p.wildcard() ? wild1 : files1).add(p));
            }
            // Every path once, and the order of each kind kept across batches.
            assertEquals(paths.stream().filter(p -> !p.wildcard()).toList(), files1);
            assertEquals(paths.stream().filter(InvalidationPath::wildcard).toList(), wild1);
            assertEquals(batches, Batcher.split(paths, batchSize, maxWildcards));
        }
    }

    private static int ceil(int n, int per) {
        return (n + per - 1) / per;
    }

    @Test
    public void example() {
        List<InvalidationPath> paths = List.of(
                InvalidationPath.of("/a"), InvalidationPath.of("/b/*"), InvalidationPath.of("/c"),
                InvalidationPath.of("/d*"), InvalidationPath.of("/e"));
        List<List<InvalidationPath>> batches = Batcher.split(paths, 2, 1);
        assertEquals(List.of(
                        List.of(InvalidationPath.of("/a"), InvalidationPath.of("/b/*"), InvalidationPath.of("/c")),
                        List.of(InvalidationPath.of("/d*"), InvalidationPath.of("/e"))),
                batches);
        assertEquals(List.of(), Batcher.split(List.of(), 3000, 15));
    }

    @Test
    public void badBatchSizeIsRejected() {
        for (int bad : new int[] {0, -1, 3001}) {
            DeployException e = assertThrows(DeployException.class, () -> Batcher.split(List.of(), bad, 15));
            assertTrue(e.getMessage(), e.getMessage().contains("--batch-size " + bad));
            assertTrue(e.getMessage(), e.getMessage().contains("3000"));
        }
        assertThrows(DeployException.class, () -> Batcher.split(List.of(), 10, 0));
        assertThrows(DeployException.class, () -> Batcher.split(List.of(), 10, 16));
    }
}
