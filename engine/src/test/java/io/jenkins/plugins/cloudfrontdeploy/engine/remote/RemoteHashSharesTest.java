package io.jenkins.plugins.cloudfrontdeploy.engine.remote;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.Test;

/** How the files to hash on a server are dealt to its exec channels: evenly by bytes, largest first. */
public class RemoteHashSharesTest {
    private static long bytes(long[] sizes, int[] share) {
        return Arrays.stream(share).mapToLong(i -> sizes[i]).sum();
    }

    @Test
    public void aFewBigFilesAreSpreadAndEveryFileIsHashedOnce() {
        long[] sizes = new long[1000];
        Random random = new Random(7);
        for (int i = 0; i < sizes.length; i++) {
            sizes[i] = 200 + random.nextInt(20_000);
        }
        // in path order these would all have fallen into the first of four contiguous ranges
        for (int i = 0; i < 8; i++) {
            sizes[i] = 50_000_000;
        }
        int[][] shares = ShellReleaseReader.byBytes(sizes, 4);
        assertEquals(4, shares.length);
        int[] all = Arrays.stream(shares).flatMapToInt(Arrays::stream).sorted().toArray();
        int[] expected = new int[sizes.length];
        Arrays.setAll(expected, i -> i);
        assertArrayEquals("each file in exactly one share", expected, all);
        long largest = Arrays.stream(sizes).max().orElseThrow();
        long min = Long.MAX_VALUE;
        long max = 0;
        for (int[] share : shares) {
            assertEquals("two of the big files per channel", 2, Arrays.stream(share).filter(i -> i < 8).count());
            for (int k = 1; k < share.length; k++) {
                assertTrue("largest first", sizes[share[k - 1]] >= sizes[share[k]]);
            }
            min = Math.min(min, bytes(sizes, share));
            max = Math.max(max, bytes(sizes, share));
        }
        assertTrue("shares within one small file of each other: " + min + " .. " + max, max - min <= 20_200);
        assertTrue(max - min < largest);
    }

    @Test
    public void equalSizesAreDealtByCount() {
        long[] sizes = new long[10];
        Arrays.fill(sizes, 100);
        int[][] shares = ShellReleaseReader.byBytes(sizes, 3);
        assertArrayEquals(new int[] {4, 3, 3}, Arrays.stream(shares).mapToInt(s -> s.length).toArray());
    }
}
