#!/usr/bin/python3
"""Writes bench/RESULTS.md from the runs bench/run.sh recorded in bench/work/results.jsonl.

Usage: report.py <work-dir> <results.md> <mode> [<jdk25-home>]
"""
import datetime
import glob
import json
import os
import platform
import re
import statistics
import subprocess
import sys

TOOLS = ["floor", "worker", "pydub", "worker-wav", "ffmpeg-same-output", "worker-plain-java", "worker-jdk25-aot"]
TOOL_NAMES = {
    "floor": "FFmpeg decode only (floor)",
    "worker": "worker (container flags + AppCDS)",
    "pydub": "PyDub peer (seed algorithm)",
    "worker-wav": "worker, WAV one-shots (no AAC encoder)",
    "ffmpeg-same-output": "FFmpeg alone: decode + the worker's one-shots to AAC",
    "worker-plain-java": "worker, plain `java -jar`",
    "worker-jdk25-aot": "worker, JDK 25 + AOT cache",
}
TAKES = ["20s-mono", "20s-stereo", "5min-mono", "5min-stereo", "60min-mono", "60min-stereo"]
CEILING_DBFS = -1.0


def command(*args):
    try:
        return subprocess.run(args, capture_output=True, text=True, check=False).stdout + \
            subprocess.run(args, capture_output=True, text=True, check=False).stderr
    except OSError:
        return ""


def first_line(text):
    return text.strip().splitlines()[0] if text.strip() else "?"


def output(run):
    """(one-shots written, their total seconds) from the tool's JSON line, or (None, None)."""
    try:
        with open(run["out"] + ".stdout") as f:
            result = json.loads(f.read().strip().splitlines()[-1])
    except (OSError, ValueError, IndexError):
        return None, None
    if isinstance(result.get("oneShots"), list):
        return len(result["oneShots"]), sum(o["durationMs"] for o in result["oneShots"]) / 1000
    return result.get("oneShots"), result.get("audioSeconds")


def decoded_peaks(ffmpeg, files):
    """The largest decoded peak over files, dBFS, measured as the worker measures it (astats)."""
    peak = float("-inf")
    for start in range(0, len(files), 64):
        chunk = files[start:start + 64]
        args = [ffmpeg, "-nostdin", "-hide_banner", "-nostats", "-loglevel", "level+info"]
        graph = []
        for i, f in enumerate(chunk):
            args += ["-i", f]
            graph.append("[%d:a]astats@p%d=measure_perchannel=none:measure_overall=Peak_level[v%d]" % (i, i, i))
        args += ["-filter_complex", ";".join(graph)]
        for i in range(len(chunk)):
            args += ["-map", "[v%d]" % i, "-f", "null", "-"]
        log = subprocess.run(args, capture_output=True, text=True).stderr
        for value in re.findall(r"Peak level dB: (\S+)", log):
            if not value.endswith("inf"):
                peak = max(peak, float(value))
    return peak


def fmt(value, digits=2):
    return "–" if value is None else ("%.*f" % (digits, value))


def main():
    work, target, mode = sys.argv[1], sys.argv[2], sys.argv[3]
    runs = [json.loads(line) for line in open(os.path.join(work, "results.jsonl"))]
    failed = [r for r in runs if r["m"]["exit"] != 0]
    groups = {}
    for r in runs:
        groups.setdefault((r["take"], r["cpus"], r["tool"]), []).append(r)

    def stats(take, cpus, tool):
        rs = groups.get((take, cpus, tool))
        if not rs:
            return None
        return {
            "n": len(rs),
            "wall": statistics.median(r["m"]["wall_s"] for r in rs),
            "cpu": statistics.median(r["m"]["cpu_s"] for r in rs),
            "sys": statistics.median(r["m"]["sys_s"] for r in rs),
            "rss": max(r["m"]["max_rss_mib"] for r in rs),
            "tree": max(r["m"].get("tree_pss_mib", r["m"]["tree_rss_mib"]) for r in rs),
            "shots": output(rs[-1])[0],
            "seconds": output(rs[-1])[1],
            "out": rs[-1]["out"],
        }

    hits = {}
    for path in glob.glob(os.path.join(work, "rec", "*.hits")):
        hits[os.path.basename(path)[:-5]] = open(path).read().strip()
    loads = open(os.path.join(work, "loads.txt")).read().split("\n")
    ffmpeg = os.path.join(work, "ffmpeg", "ffmpeg")

    lines = []
    add = lines.append
    add("# Benchmark results")
    add("")
    add("Written by `bench/run.sh%s` on %s. Do not edit by hand: rerun it." % (
        "" if mode == "default" else " --" + mode, datetime.datetime.now().strftime("%Y-%m-%d %H:%M")))
    add("")
    add("## Machine")
    add("")
    cpu = re.search(r"Model name:\s*(.*)", command("lscpu"))
    mem = re.search(r"MemTotal:\s*(\d+)", open("/proc/meminfo").read())
    add("- CPU: %s, %d cores; RAM %.1f GiB; Linux %s" % (cpu.group(1) if cpu else "?", os.cpu_count(),
                                                          int(mem.group(1)) / 2 ** 20, platform.release()))
    add("- Java: %s (worker runs); %s" % (first_line(command("java", "-version")),
                                          first_line(command(os.path.join(sys.argv[4], "bin", "java"), "-version"))
                                          if len(sys.argv) > 4 and sys.argv[4] else "no JDK 25"))
    add("- FFmpeg (all tools): %s" % first_line(command(ffmpeg, "-version")))
    pydub = re.search(r"Version: (\S+)", command("dpkg", "-s", "python3-pydub"))
    add("- PyDub: Debian python3-pydub %s on %s" % (pydub.group(1) if pydub else "?",
                                                    first_line(command("/usr/bin/python3", "--version"))))
    add("- Load average (1, 5, 15 min) before and after each group of runs: " +
        "; ".join(l for l in loads if l) + ". Other engineers' builds share this machine: a 1-min load "
        "above ~0.5 means the numbers below carry noise from them.")
    add("")
    add("## How to read this")
    add("")
    add("- *wall* and *CPU* (user + system, the process and all its children) are medians over the runs; "
        "*RSS* is `/usr/bin/time`'s max RSS, the largest single process (the JVM, or one FFmpeg); *tree PSS* "
        "is the largest sum of proportional set sizes over the whole process tree (JVM + FFmpeg children, "
        "or Python + FFmpeg), sampled every 50 ms: the FFmpeg libraries several processes share count once, "
        "as in a container's memory limit. The page cache of the worker's spool file (the decoded take on "
        "disk) is not in it.")
    add("- *2 CPUs*: the machine as it is. *1 CPU*: every process pinned to one core with `taskset`, as on the "
        "task's default 1 vCPU (the JVM then also sizes itself for one CPU).")
    add("- The worker and PyDub do different amounts of work: the worker cuts every hit it finds (adaptive "
        "threshold), PyDub only what clears its fixed -30 dBFS over 750 ms windows. Both write AAC one-shots "
        "(192 kb/s) with the same FFmpeg, so the counts below are part of the comparison. The worker uses the "
        "AAC encoder's fast coder; PyDub, as the seed did, FFmpeg's default (twoloop), which costs about "
        "30 ms of CPU more per file.")
    add("- The floor decodes only. The worker must also encode every one-shot to AAC, which FFmpeg's "
        "encoder (fast coder) does at about 70x real time per core for stereo 48 kHz (a 60 min take has "
        "~20 min of one-shots). Two more "
        "rows on the long takes separate the costs: *worker-wav* is the worker writing WAV (no AAC encoder), "
        "*FFmpeg same output* is FFmpeg alone decoding the take and encoding the worker's one-shots, 16 per "
        "run, one run per CPU: the lower bound for any tool that writes these files.")
    add("")

    add("## Targets (issue 16)")
    add("")
    add("Ratios of medians measured in this run, side by side (runs of the tools interleaved).")
    add("")
    short = [(t, c) for t in TAKES if t.startswith("20s") for c in (2, 1) if stats(t, c, "pydub")]
    if short:
        add("**Start-up**: whole-process wall of a 20 s take no slower than PyDub (the seed), as the image runs "
            "it (container flags + AppCDS, Java 17 as the bench host has it; the image runs Java 21). Ratio "
            "> 1 is slower than PyDub.")
        add("")
        add("| take | CPUs | PyDub wall s | worker (image) wall / PyDub | CPU / PyDub | plain `java -jar` wall / PyDub "
            "| JDK 25 + AOT cache wall / PyDub | one-shots worker / PyDub |")
        add("|---|---|---|---|---|---|---|---|")
        for t, c in short:
            p, w, plain, aot = (stats(t, c, x) for x in ("pydub", "worker", "worker-plain-java", "worker-jdk25-aot"))
            add("| %s | %d | %s | %s | %s | %s | %s | %s / %s |" % (
                t, c, fmt(p["wall"]), fmt(w and w["wall"] / p["wall"]), fmt(w and w["cpu"] / p["cpu"]),
                fmt(plain and plain["wall"] / p["wall"]), fmt(aot and aot["wall"] / p["wall"]),
                w and w["shots"], p["shots"]))
        add("")
    long_takes = [(t, c) for t in TAKES if not t.startswith("20s") for c in (2, 1)
                  if stats(t, c, "worker") and stats(t, c, "ffmpeg-same-output")]
    if long_takes:
        add("**Long takes**: worker CPU <= 1.2x FFmpeg alone decoding the take and encoding the same one-shots "
            "with the same encoder settings (bench/ffmpeg_same_output.sh), and wall on 1 CPU the same.")
        add("")
        add("| take | CPUs | same output CPU s | worker CPU s | CPU ratio | worker system CPU share | same output "
            "wall s | worker wall s | wall ratio | worker-wav CPU / same output CPU |")
        add("|---|---|---|---|---|---|---|---|---|---|")
        for t, c in long_takes:
            w, same, ww = (stats(t, c, x) for x in ("worker", "ffmpeg-same-output", "worker-wav"))
            add("| %s | %d | %s | %s | %s | %.0f %% | %s | %s | %s | %s |" % (
                t, c, fmt(same["cpu"]), fmt(w["cpu"]), fmt(w["cpu"] / same["cpu"]), 100 * w["sys"] / w["cpu"],
                fmt(same["wall"]), fmt(w["wall"]), fmt(w["wall"] / same["wall"]), fmt(ww and ww["cpu"] / same["cpu"])))
        add("")
    memory = [(t, c, tool, stats(t, c, tool)) for t in TAKES for c in (2, 1)
              for tool in ("worker", "worker-plain-java") if stats(t, c, tool)]
    if memory:
        worst = max(memory, key=lambda m: m[3]["tree"])
        add("**Memory**: flat and <= 250 MB whatever the length, with the image's flags (*worker*) and with the "
            "README's plain `java -jar` (which relaunches itself with them; its tree counts both JVMs): **%s**, "
            "at most %.0f MiB tree PSS (%s, %s, %d CPU(s)); largest single process %.0f MiB." % (
                "met" if worst[3]["tree"] * 1.048576 <= 250 else "not met", worst[3]["tree"], worst[2], worst[0],
                worst[1], max(m[3]["rss"] for m in memory)))
        add("")
        add("| take | worker tree PSS MiB (2 / 1 CPUs) | plain `java -jar` tree PSS MiB (2 / 1 CPUs) |")
        add("|---|---|---|")
        for t in TAKES:
            cells = []
            for tool in ("worker", "worker-plain-java"):
                cells.append(" / ".join(fmt(stats(t, c, tool) and stats(t, c, tool)["tree"], 0) for c in (2, 1)))
            if any(stats(t, c, "worker") for c in (2, 1)):
                add("| %s | %s | %s |" % (t, cells[0], cells[1]))
        add("")

    add("## Summary")
    add("")
    add("Wall times in seconds (medians); *same output* is FFmpeg alone writing the worker's one-shots.")
    add("")
    add("| take | CPUs | floor | worker | PyDub | same output | worker / floor | worker / PyDub | "
        "worker / same output | worker-wav / floor | worker tree PSS MiB | PyDub tree PSS MiB | "
        "one-shots worker / PyDub / true hits | one-shot audio s worker / PyDub |")
    add("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for take in TAKES:
        for cpus in (2, 1):
            f, w, p, ww, same = (stats(take, cpus, t)
                                 for t in ("floor", "worker", "pydub", "worker-wav", "ffmpeg-same-output"))
            if not w:
                continue
            add("| %s | %d | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s / %s / %s | %s / %s |" % (
                take, cpus, fmt(f and f["wall"]), fmt(w["wall"]), fmt(p and p["wall"]), fmt(same and same["wall"]),
                fmt(f and w["wall"] / f["wall"], 1), fmt(p and w["wall"] / p["wall"]),
                fmt(same and w["wall"] / same["wall"]), fmt(ww and f and ww["wall"] / f["wall"], 1),
                fmt(w["tree"], 0), fmt(p and p["tree"], 0), w["shots"], p and p["shots"], hits.get(take, "?"),
                fmt(w["seconds"], 0), fmt(p and p["seconds"], 0)))
    add("")
    add("## Per second of one-shot audio written")
    add("")
    add("CPU (user + system) over the total length of the one-shots written, start-up and decoding included: "
        "what the worker and PyDub each pay for the output they produce.")
    add("")
    add("| take | CPUs | worker CPU ms/s | PyDub CPU ms/s |")
    add("|---|---|---|---|")
    for take in TAKES:
        for cpus in (2, 1):
            w, p = stats(take, cpus, "worker"), stats(take, cpus, "pydub")
            if not (w and p and w["seconds"] and p["seconds"]):
                continue
            add("| %s | %d | %.0f | %.0f |" % (take, cpus, 1000 * w["cpu"] / w["seconds"],
                                               1000 * p["cpu"] / p["seconds"]))
    add("")

    add("## Every tool")
    add("")
    add("| take | CPUs | tool | runs | wall s | CPU s | RSS MiB | tree PSS MiB | one-shots |")
    add("|---|---|---|---|---|---|---|---|---|")
    for take in TAKES:
        for cpus in (2, 1):
            for tool in TOOLS:
                s = stats(take, cpus, tool)
                if s:
                    add("| %s | %d | %s | %d | %s | %s | %s | %s | %s |" % (
                        take, cpus, TOOL_NAMES[tool], s["n"], fmt(s["wall"]), fmt(s["cpu"]), fmt(s["rss"], 0),
                        fmt(s["tree"], 0), "–" if s["shots"] is None else s["shots"]))
    add("")

    profile = os.path.join(os.path.dirname(os.path.abspath(__file__)), "PROFILE.md")
    if os.path.exists(profile):
        add("## Where the time goes")
        add("")
        add(open(profile).read().strip())
        add("")
    serve = os.path.join(os.path.dirname(os.path.abspath(__file__)), "SERVE.md")
    if os.path.exists(serve):
        add("## Service mode (serve)")
        add("")
        add("<!-- bench/serve.sh writes this section (bench/SERVE.md) -->")
        add(open(serve).read().strip())
        add("")
    add("## The peak guarantee")
    add("")
    add("Largest decoded peak over all AAC one-shots of the worker's last run on each take (2 CPUs), "
        "measured by FFmpeg as a player decodes the files; the ceiling is %.0f dBFS." % CEILING_DBFS)
    add("")
    for take in TAKES:
        s = stats(take, 2, "worker")
        if s:
            files = sorted(f for f in glob.glob(os.path.join(s["out"], "*.m4a")) if not f.endswith("-original.m4a"))
            add("- %s: %d files, largest peak %s dBFS" % (take, len(files), fmt(decoded_peaks(ffmpeg, files), 3)
                                                          if files else "–"))
    add("")
    if failed:
        add("## Failed runs")
        add("")
        for r in failed:
            add("- %s %s on %d CPU(s), run %d: exit %d" % (r["take"], r["tool"], r["cpus"], r["run"], r["m"]["exit"]))
        add("")
    with open(target, "w") as f:
        f.write("\n".join(lines))


if __name__ == "__main__":
    main()
