#!/usr/bin/python3
"""Runs one command under /usr/bin/time and prints one JSON line about it.

/usr/bin/time gives wall time, user and system CPU (the command and every child it waited for)
and "max RSS", which is the largest single process of the tree (the JVM, or one FFmpeg), not their
sum. So the process tree is also sampled every 20 ms from /proc, and the largest sum of its
resident sets is reported as tree_rss_mib: JVM and FFmpeg children together, as a container's
memory limit sees them (page cache aside). Sampling costs well under 1% of a CPU.

Usage: measure.py <stdout-file> -- <command...>   (the command's stdout goes to the file, its
stderr is discarded)
"""
import json
import os
import subprocess
import sys
import tempfile
import threading
import time

PAGE = os.sysconf("SC_PAGE_SIZE")


def tree_rss(root):
    """Sum of resident pages of root and all its descendants, in bytes."""
    children = {}
    rss = {}
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % pid) as f:
                stat = f.read()
            fields = stat[stat.rindex(")") + 2:].split()
            children.setdefault(int(fields[1]), []).append(int(pid))
            rss[int(pid)] = int(fields[21]) * PAGE
        except (OSError, ValueError):
            continue
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        total += rss.get(pid, 0)
        todo.extend(children.get(pid, []))
    return total


def main():
    out_file = sys.argv[1]
    command = sys.argv[sys.argv.index("--") + 1:]
    with tempfile.NamedTemporaryFile("r", suffix=".time") as timing, open(out_file, "w") as out:
        process = subprocess.Popen(["/usr/bin/time", "-o", timing.name, "-f", "%e %U %S %M"] + command,
                                   stdout=out, stderr=subprocess.DEVNULL)
        peak = [0]
        done = threading.Event()

        def sample():
            while not done.wait(0.02):
                peak[0] = max(peak[0], tree_rss(process.pid))

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        code = process.wait()
        done.set()
        sampler.join()
        wall, user, system, max_rss_kib = timing.read().strip().splitlines()[-1].split()
    print(json.dumps({"exit": code, "wall_s": float(wall), "cpu_s": float(user) + float(system),
                      "user_s": float(user), "sys_s": float(system),
                      "max_rss_mib": int(max_rss_kib) / 1024, "tree_rss_mib": peak[0] / 2 ** 20}))


if __name__ == "__main__":
    main()
