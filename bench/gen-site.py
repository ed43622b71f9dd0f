#!/usr/bin/env python3
"""Generates a synthetic static site (the live release) and the next build with known changes.

usage: gen-site.py LIVE_DIR BUILD_DIR FILES MODIFIED_PCT ADDED REMOVED SEED [PROFILE]
PROFILE: "site" (default: 90 % 0.5-12 KB, a few up to 2 MB), "issue" (200 B-20 KB, the sizes of issue 14's table) or
"tiny" (100 B-1 KB: a million files in about 0.6 GB, to measure memory, not throughput).
Writes BUILD_DIR/../expected-counts.txt as "added modified removed".
"""
import os
import random
import shutil
import sys

live, build, files, pct, added, removed, seed = sys.argv[1:8]
profile = sys.argv[8] if len(sys.argv) > 8 else "site"
files, pct, added, removed = int(files), float(pct), int(added), int(removed)
rnd = random.Random(int(seed))


def size():
    if profile == "issue":
        return rnd.randint(200, 20_000)
    if profile == "tiny":
        return rnd.randint(100, 1_000)
    # a static site: mostly small pages, scripts and styles, a few large images and bundles
    r = rnd.random()
    if r < 0.90:
        return rnd.randint(500, 12_000)
    if r < 0.995:
        return rnd.randint(12_000, 100_000)
    return rnd.randint(300_000, 2_000_000)


def content(n):
    # random bytes: hashing cost must not be helped by compressible data
    return rnd.randbytes(n)


paths = []
for i in range(files):
    depth = rnd.randint(1, 3)
    parts = [f"d{rnd.randint(0, 40)}" for _ in range(depth)]
    paths.append(os.path.join(*parts, f"f{i}.{rnd.choice(['html', 'js', 'css', 'svg', 'json'])}"))

for p in paths:
    full = os.path.join(live, p)
    os.makedirs(os.path.dirname(full), exist_ok=True)
    with open(full, "wb") as f:
        f.write(content(size()))

shutil.copytree(live, build, symlinks=True)

chosen = rnd.sample(paths, int(files * pct / 100) + removed)
modified, gone = chosen[: len(chosen) - removed], chosen[len(chosen) - removed:]
for i, p in enumerate(modified):
    full = os.path.join(build, p)
    n = os.path.getsize(full)
    os.unlink(full)  # never write through: the copy is independent, but keep the habit
    with open(full, "wb") as f:
        # half keep their size (only a hash can tell them apart), half change size
        f.write(content(n if i % 2 == 0 else n + 1 + rnd.randint(0, 100)))
for p in gone:
    os.unlink(os.path.join(build, p))
for i in range(added):
    full = os.path.join(build, "new", f"added{i}.html")
    os.makedirs(os.path.dirname(full), exist_ok=True)
    with open(full, "wb") as f:
        f.write(content(size()))

with open(os.path.join(os.path.dirname(os.path.abspath(build)), "expected-counts.txt"), "w") as f:
    f.write(f"{added} {len(modified)} {len(gone)}\n")
