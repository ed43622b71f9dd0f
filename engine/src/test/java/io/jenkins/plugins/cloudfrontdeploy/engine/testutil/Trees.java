package io.jenkins.plugins.cloudfrontdeploy.engine.testutil;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Real trees on disk for tests, with names chosen to break careless code, and an independent way to compute what
 * changed between two of them (its own walk and hashing, sharing no code with the engine).
 */
public final class Trees {
    private Trees() {}

    /** One name per hazard a remote shell or a parser could trip on. None may ever be executed. */
    public static final List<String> HOSTILE_NAMES = List.of(
            "plain.txt",
            "with space.html",
            "it's quoted.js",
            "double\"quote.css",
            "$(touch cfd-canary-subst)",
            "`touch cfd-canary-backtick`",
            "semi;touch cfd-canary-semi",
            "star*.txt",
            "hash#tag.txt",
            "percent%20.txt",
            "-leading-dash",
            "--double-dash",
            "new\nline.txt",
            "tab\there.txt",
            "back\\slash.txt",
            "ünïcödé-日本語.html",
            "emoji-\uD83D\uDE80.svg",
            "tilde~file.txt",
            "question?.txt",
            "brackets[1].txt",
            "braces{a,b}.txt",
            "pipe|and&amp.txt",
            "<angle>.txt",
            " leading-space",
            "trailing-space ",
            ".hidden",
            "x".repeat(251) + ".txt", // 255 bytes: the longest name ext4 allows
            "é".repeat(127) + "a"); // 255 bytes of two-byte characters

    /** The canary files a leaked name would create. */
    public static final List<String> CANARIES = List.of("cfd-canary-subst", "cfd-canary-backtick", "cfd-canary-semi");

    public static void write(Path root, String rel, String content) throws IOException {
        Path p = root.resolve(rel);
        Files.createDirectories(p.getParent());
        Files.writeString(p, content, StandardCharsets.UTF_8);
    }

    public static void link(Path root, String rel, String target) throws IOException {
        Path p = root.resolve(rel);
        Files.createDirectories(p.getParent());
        Files.createSymbolicLink(p, Path.of(target));
    }

    /** Fills {@code root} with random content under random hostile names, some nested deep. */
    public static void randomTree(Path root, Random random, int files) throws IOException {
        Files.createDirectories(root);
        for (int i = 0; i < files; i++) {
            StringBuilder rel = new StringBuilder();
            int depth = random.nextInt(10) == 0 ? 12 : random.nextInt(3);
            for (int d = 0; d < depth; d++) {
                rel.append(pick(random)).append(d).append('/');
            }
            rel.append(i).append('-').append(pick(random));
            String path = rel.toString();
            if (random.nextInt(12) == 0) {
                link(root, path, "../target-" + random.nextInt(3));
            } else {
                write(root, path, random.nextInt(8) == 0 ? "" : "content " + random.nextInt(1000) + "\n");
            }
        }
    }

    private static String pick(Random random) {
        String name = HOSTILE_NAMES.get(random.nextInt(HOSTILE_NAMES.size()));
        // keep nested paths under PATH_MAX while still exercising the 255-byte names at the top
        return name.length() > 40 ? name.substring(0, 40).replace("\n", "_") : name;
    }

    /** path → "f:sha256", "l:target" or "d" for every entry below root, computed without the engine. */
    public static Map<String, String> snapshot(Path root) throws IOException {
        Map<String, String> out = new TreeMap<>();
        if (!Files.isDirectory(root)) {
            return out;
        }
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                if (!dir.equals(root)) {
                    out.put(root.relativize(dir).toString(), "d");
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                String rel = root.relativize(file).toString();
                if (attrs.isSymbolicLink()) {
                    out.put(rel, "l:" + Files.readSymbolicLink(file));
                } else {
                    out.put(rel, "f:" + sha256(file));
                }
                return FileVisitResult.CONTINUE;
            }
        });
        return out;
    }

    private static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(in.readAllBytes());
            return HexFormat.of().formatHex(md.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The expected content changes between two snapshots, as "A path", "M path", "D path": a path is listed when a
     * file or link is involved on either side and the two sides differ.
     */
    public static TreeSet<String> expectedChanges(Map<String, String> live, Map<String, String> build) {
        TreeSet<String> out = new TreeSet<>();
        TreeSet<String> all = new TreeSet<>(live.keySet());
        all.addAll(build.keySet());
        for (String p : all) {
            String before = live.get(p);
            String after = build.get(p);
            boolean content = (before != null && !before.equals("d")) || (after != null && !after.equals("d"));
            if (!content || (before != null && before.equals(after))) {
                continue;
            }
            out.add((before == null ? "A " : after == null ? "D " : "M ") + p);
        }
        return out;
    }

    /** Applies random edits: content changes, same-size changes, removals, additions, type changes. */
    public static void mutate(Path root, Random random) throws IOException {
        List<Path> entries;
        try (var s = Files.walk(root)) {
            entries = s.filter(p -> !p.equals(root)).sorted().toList();
        }
        for (Path p : entries) {
            if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
                continue; // inside a folder replaced earlier
            }
            int roll = random.nextInt(20);
            boolean dir = Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS);
            boolean link = Files.isSymbolicLink(p);
            if (roll == 0 && !dir) {
                Files.delete(p); // removed
            } else if (roll == 1 && !dir && !link) {
                Files.writeString(p, "changed " + random.nextInt() + "\n"); // modified, new size
            } else if (roll == 2 && !dir && !link && Files.size(p) > 0) {
                byte[] b = Files.readAllBytes(p);
                b[0] ^= 1; // modified, same size: only the hash can tell
                Files.write(p, b);
            } else if (roll == 3 && !dir) {
                Files.delete(p); // file or link -> folder
                write(p, "child.txt", "child\n");
            } else if (roll == 4 && !dir && !link) {
                Files.delete(p); // file -> link
                Files.createSymbolicLink(p, Path.of("elsewhere"));
            } else if (roll == 5 && dir && random.nextInt(4) == 0) {
                deleteTree(p); // folder -> file
                Files.writeString(p, "was a folder\n");
            } else if (roll == 6 && dir) {
                write(p, "added " + random.nextInt(100) + ".txt", "new\n"); // added
            }
        }
    }

    public static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (var s = Files.walk(p)) {
            for (Path x : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(x);
            }
        }
    }

    /** Copies a tree, links as links. */
    public static void copy(Path from, Path to) throws IOException {
        try (var s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path dest = to.resolve(from.relativize(p).toString());
                if (Files.isSymbolicLink(p)) {
                    Files.createSymbolicLink(dest, Files.readSymbolicLink(p));
                } else if (Files.isDirectory(p)) {
                    Files.createDirectories(dest);
                } else {
                    Files.copy(p, dest);
                }
            }
        }
    }
}
