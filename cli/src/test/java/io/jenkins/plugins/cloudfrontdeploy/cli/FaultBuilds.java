package io.jenkins.plugins.cloudfrontdeploy.cli;

import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.Trees;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The builds the fault-injection suite deploys: one generated site and variants of it with a few random edits
 * (changed, same-size, removed and added files, files that became folders or links), each told apart by its root
 * index.html.
 * A release on a server is complete when its content is exactly one of them.
 */
final class FaultBuilds {
    /** Names that need quoting or URL encoding, and one ('~') that only a wildcard can invalidate. */
    private static final List<String> NAMES = List.of("page.html", "with space.html", "it's quoted.js",
            "ünïcödé-日本語.html", "tilde~file.txt", "percent%20.txt", "style.css", "data.json", "app.js");

    /** A build: its folder and its content as {@link Trees#snapshot} sees it. */
    record Build(int id, Path dir, Map<String, String> content) {
        @Override
        public String toString() {
            return "build " + id;
        }
    }

    private final List<Build> builds = new ArrayList<>();

    FaultBuilds(Path root, Random random, int count) throws IOException {
        Path base = root.resolve("build0");
        generate(base, random);
        add(base);
        for (int i = 1; i < count; i++) {
            Path dir = root.resolve("build" + i);
            Trees.copy(base, dir);
            edit(dir, random, 2 + random.nextInt(4));
            Trees.write(dir, "index.html", "<h1>build " + i + "</h1>\n");
            add(dir);
        }
    }

    private void add(Path dir) throws IOException {
        builds.add(new Build(builds.size(), dir, Trees.snapshot(dir)));
    }

    /** About 60 files in a few folders, 0-24 KiB each, every folder with an index.html. */
    private static void generate(Path dir, Random random) throws IOException {
        Trees.write(dir, "index.html", "<h1>build 0</h1>\n");
        String[] folders = {"", "docs/", "docs/guide/", "blog/", "assets/"};
        for (String folder : folders) {
            if (!folder.isEmpty()) {
                Trees.write(dir, folder + "index.html", "<h1>" + folder + "</h1>\n");
            }
        }
        for (int i = 0; i < 60; i++) {
            String folder = folders[i % folders.length];
            Path file = dir.resolve(folder + i + "-" + NAMES.get(random.nextInt(NAMES.size())));
            Files.createDirectories(file.getParent());
            byte[] data = new byte[random.nextInt(24 * 1024)];
            random.nextBytes(data);
            Files.write(file, data);
        }
    }

    /**
     * A few edits of the kinds a deploy must get right: new content, same-size content (only the hash can tell),
     * removed, added, a file that became a folder or a link. Few, so that a deploy changes what a real one does.
     */
    private static void edit(Path dir, Random random, int edits) throws IOException {
        for (int e = 0; e < edits; e++) {
            List<Path> files;
            try (var s = Files.walk(dir)) {
                files = s.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).sorted().toList();
            }
            Path file = files.get(random.nextInt(files.size()));
            switch (random.nextInt(6)) {
                case 0 -> {
                    byte[] data = new byte[random.nextInt(24 * 1024)];
                    random.nextBytes(data);
                    Files.write(file, data);
                }
                case 1 -> {
                    byte[] data = Files.readAllBytes(file);
                    if (data.length > 0) {
                        data[random.nextInt(data.length)] ^= 1;
                        Files.write(file, data);
                    }
                }
                case 2 -> Files.delete(file);
                case 3 -> Trees.write(file.getParent(), "added-" + random.nextInt(1000) + ".html", "new\n");
                case 4 -> {
                    Files.delete(file);
                    Trees.write(file, "child.txt", "was a file\n");
                }
                default -> {
                    Files.delete(file);
                    Files.createSymbolicLink(file, Path.of("elsewhere"));
                }
            }
        }
    }

    Build get(int id) {
        return builds.get(id);
    }

    /** The build whose content this is, or {@code null}: then it is no complete release. */
    Build identify(Map<String, String> content) {
        for (Build b : builds) {
            if (b.content().equals(content)) {
                return b;
            }
        }
        return null;
    }
}
