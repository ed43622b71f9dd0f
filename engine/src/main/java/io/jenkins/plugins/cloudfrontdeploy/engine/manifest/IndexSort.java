package io.jenkins.plugins.cloudfrontdeploy.engine.manifest;

/**
 * Sorts an array of indexes by a comparison of what they index: a merge sort on {@code int[]}, so that a million
 * entries are sorted without boxing each index into an {@code Integer}.
 */
final class IndexSort {
    private IndexSort() {}

    /** Compares the things two indexes stand for. */
    interface IndexComparator {
        int compare(int a, int b);
    }

    static void sort(int[] indexes, IndexComparator comparator) {
        int[] buffer = new int[indexes.length];
        int[] from = indexes;
        int[] to = buffer;
        // bottom-up: runs of 1, 2, 4 … merged back and forth between the two arrays
        for (int width = 1; width < indexes.length; width *= 2) {
            for (int lo = 0; lo < indexes.length; lo += 2 * width) {
                int mid = Math.min(lo + width, indexes.length);
                int hi = Math.min(lo + 2 * width, indexes.length);
                int i = lo;
                int j = mid;
                for (int k = lo; k < hi; k++) {
                    if (i < mid && (j >= hi || comparator.compare(from[i], from[j]) <= 0)) {
                        to[k] = from[i++];
                    } else {
                        to[k] = from[j++];
                    }
                }
            }
            int[] swap = from;
            from = to;
            to = swap;
        }
        if (from != indexes) {
            System.arraycopy(from, 0, indexes, 0, indexes.length);
        }
    }
}
