#!/usr/bin/python3
"""Runs one command under /usr/bin/time and prints one JSON line about it.

/usr/bin/time gives wall time, user and system CPU (the command and every child it waited for)
and "max RSS", which is the largest single process of the tree (the JVM, or one FFmpeg), not their
sum. So the process tree is also sampled every 50 ms from /proc, and the largest sum over it is
reported: tree_pss_mib sums proportional set sizes, which count the FFmpeg libraries the processes
share once, as a container's memory limit does (page cache aside); tree_rss_mib sums resident
sets, counting them in every process. A sample costs about 1 ms, 2% of one CPU.

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


def pss(pid):
    """Proportional set size of one process, in bytes (0 if it is gone)."""
    try:
        with open("/proc/%d/smaps_rollup" % pid) as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def tree_memory(root):
    """(RSS, PSS) summed over root and all its descendants, in bytes."""
    children = {}
    rss = {}
    for pid in os.listdir("/proc"):
        # Descendants start after the root, so they have higher ids (barring a wrap of the pid
        # counter): reading only those keeps a sample cheap.
        if not pid.isdigit() or int(pid) < root:
            continue
        try:
            with open("/proc/%s/stat" % pid) as f:
                stat = f.read()
            fields = stat[stat.rindex(")") + 2:].split()
            children.setdefault(int(fields[1]), []).append(int(pid))
            rss[int(pid)] = int(fields[21]) * PAGE
        except (OSError, ValueError):
            continue
    total_rss, total_pss, todo = 0, 0, [(root, None)]
    while todo:
        pid, parent_exe = todo.pop()
        exe = executable(pid)
        # A child that has not yet called exec still runs its parent's program, in its parent's
        # memory (the JVM starts FFmpeg with vfork): counting it would count the JVM twice. Its
        # command line is its parent's too, which tells it from a JVM the worker's launcher
        # started (same executable, other arguments), which is counted.
        if exe is None or exe != parent_exe:
            total_rss += rss.get(pid, 0)
            total_pss += pss(pid)
        todo.extend((child, exe) for child in children.get(pid, []))
    return total_rss, total_pss


def executable(pid):
    """The program a process runs: its executable and command line (None if it is gone)."""
    try:
        with open("/proc/%d/cmdline" % pid, "rb") as f:
            return os.readlink("/proc/%d/exe" % pid), f.read()
    except OSError:
        return None


def main():
    out_file = sys.argv[1]
    command = sys.argv[sys.argv.index("--") + 1:]
    with tempfile.NamedTemporaryFile("r", suffix=".time") as timing, open(out_file, "w") as out:
        process = subprocess.Popen(["/usr/bin/time", "-o", timing.name, "-f", "%e %U %S %M"] + command,
                                   stdout=out, stderr=subprocess.DEVNULL)
        peak = [0, 0]
        done = threading.Event()

        def sample():
            while not done.wait(0.05):
                rss, pss_sum = tree_memory(process.pid)
                peak[0] = max(peak[0], rss)
                peak[1] = max(peak[1], pss_sum)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        code = process.wait()
        done.set()
        sampler.join()
        wall, user, system, max_rss_kib = timing.read().strip().splitlines()[-1].split()
    print(json.dumps({"exit": code, "wall_s": float(wall), "cpu_s": float(user) + float(system),
                      "user_s": float(user), "sys_s": float(system),
                      "max_rss_mib": int(max_rss_kib) / 1024, "tree_rss_mib": peak[0] / 2 ** 20,
                      "tree_pss_mib": peak[1] / 2 ** 20}))


if __name__ == "__main__":
    main()
