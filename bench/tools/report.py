#!/usr/bin/env python3
"""Turns the raw files bench/run.sh writes (meta, runs.tsv, idle.tsv, ready.txt in one directory) into markdown."""
import csv
import math
import os
import statistics
import sys

TARGETS = {"small-100pc": 1.0, "small-1pc": 0.9, "large": 2.5, "conc500": 1.2}
ORDER = ["small-100pc", "small-1pc", "large", "conc500"]
CPU_TARGET_US = 40.0
IDLE_TARGET_KB = 8.0
READY_TARGET_S = 1.0


def med(values):
    values = [v for v in values if v is not None and not math.isnan(v)]
    return statistics.median(values) if values else float("nan")


def fmt(v, digits=0):
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "n/a"
    return f"{v:,.{digits}f}"


def warmup(meta):
    if meta.get("warmup") != "1":
        return "none"
    per = [v for k, v in sorted(meta.items()) if k.startswith("warmup_round_")]
    return ("unmeasured warm-up of our server after its start, until the JIT settled: " + ", ".join(per)
            if per else "yes")


def rows(path):
    if not os.path.exists(path):
        return []
    with open(path) as f:
        return list(csv.DictReader(f, delimiter="\t"))


def main(work):
    meta = {}
    with open(os.path.join(work, "meta")) as f:
        for line in f:
            k, _, v = line.rstrip("\n").partition("=")
            meta[k] = v
    tck = float(meta.get("clk_tck", 100))
    runs = rows(os.path.join(work, "runs.tsv"))
    idle = rows(os.path.join(work, "idle.tsv"))
    ready = []
    if os.path.exists(os.path.join(work, "ready.txt")):
        ready = [float(x) for x in open(os.path.join(work, "ready.txt")).read().split()]

    out = []
    p = out.append
    p("# smtpd benchmark: `smtp-server.jar -c sink` vs Postfix `smtp-sink`")
    p("")
    p(f"- date: {meta.get('date')}; build: git {meta.get('git')}, jar built {meta.get('jar')}")
    p(f"- machine: {meta.get('nproc')} CPUs ({meta.get('cpu')}), {meta.get('mem')}; {meta.get('java')}; "
      f"postfix {meta.get('postfix')}")
    loads = [f"start {meta.get('load_start')}"] + [f"round {k.split('_')[-1]} {v}" for k, v in meta.items()
                                                 if k.startswith("load_round_")] + [f"end {meta.get('load_end')}"]
    p(f"- load average (1/5/15 min): {'; '.join(loads)}")
    p(f"- rounds: {meta.get('rounds')} (quick={meta.get('quick')}), warm-up before measuring: "
      f"{warmup(meta)}, order: {meta.get('order')}"
      + (f", our JVM options: `{meta['server_java_opts']}`" if meta.get("server_java_opts") else ""))
    p("- method: both servers on 127.0.0.1, the same smtp-source command against each, back to back within a "
      "round; throughput = messages / wall time of smtp-source; CPU = server process utime+stime "
      "(/proc/PID/stat) over the run / messages. The load generator shares the same CPUs.")
    if meta.get("source_errors"):
        p(f"- **smtp-source reported {meta['source_errors']} error lines** (see the rc column)")
    p("")

    by = {}
    for r in runs:
        by.setdefault((r["workload"], r["server"]), []).append(r)
    rounds = sorted({int(r["round"]) for r in runs})

    def rate(r):
        if r["rc"] != "0":
            return float("nan")
        wall = float(r["wall"])
        n = int(r["msgs"])
        if int(r["bytes"]) >= 1 << 20:
            return n * int(r["bytes"]) / 1e6 / wall
        return n / wall

    def cpu_us(r, part=None):
        ticks = {"user": float(r["cpu_user_ticks"]), "sys": float(r["cpu_sys_ticks"])}
        t = ticks[part] if part else ticks["user"] + ticks["sys"]
        return t / tck * 1e6 / int(r["msgs"])

    def calls(rs):
        try:
            rd = med([int(r["syscr"]) / int(r["msgs"]) for r in rs])
            wr = med([int(r["syscw"]) / int(r["msgs"]) for r in rs])
            return f"{fmt(rd, 1)} + {fmt(wr, 1)}"
        except (KeyError, ValueError):
            return "n/a"

    def client_us(r):
        try:
            return (float(r["client_user"]) + float(r["client_sys"])) * 1e6 / int(r["msgs"])
        except ValueError:
            return float("nan")

    p("## Throughput, ratio ours / smtp-sink per round")
    p("")
    head = "| workload | unit | ours (median) | smtp-sink (median) | " + " | ".join(
        f"ratio r{i}" for i in rounds) + " | **median ratio** | target |"
    p(head)
    p("|" + "---|" * (head.count("|") - 1))
    summary = {}
    for w in ORDER:
        ours = {int(r["round"]): r for r in by.get((w, "ours"), [])}
        sink = {int(r["round"]): r for r in by.get((w, "sink"), [])}
        if not ours:
            continue
        unit = "MB/s" if any(int(r["bytes"]) >= 1 << 20 for r in ours.values()) else "msg/s"
        ratios = [rate(ours[i]) / rate(sink[i]) if i in ours and i in sink else float("nan") for i in rounds]
        m = med(ratios)
        summary[w] = m
        ok = "met" if m >= TARGETS[w] else "**not met**"
        p(f"| {w} | {unit} | {fmt(med([rate(r) for r in ours.values()]), 1 if unit == 'MB/s' else 0)} | "
          f"{fmt(med([rate(r) for r in sink.values()]), 1 if unit == 'MB/s' else 0)} | "
          + " | ".join(f"{fmt(x, 2)}x" for x in ratios) + f" | **{fmt(m, 2)}x** | >= {TARGETS[w]}x ({ok}) |")
    p("")

    p("## CPU per message (µs, median over rounds)")
    p("")
    p("| workload | our server | (user / sys) | smtp-sink | (user / sys) | ours / smtp-sink "
      "| smtp-source against ours | smtp-source against smtp-sink | read+write calls per message, ours | "
      "smtp-sink |")
    p("|---|---|---|---|---|---|---|---|---|---|")
    for w in ORDER:
        ours = by.get((w, "ours"), [])
        sink = by.get((w, "sink"), [])
        if not ours:
            continue
        co, cs = med([cpu_us(r) for r in ours]), med([cpu_us(r) for r in sink])
        split = lambda rs: (f"{fmt(med([cpu_us(r, 'user') for r in rs]), 1)} / "
                            f"{fmt(med([cpu_us(r, 'sys') for r in rs]), 1)}")
        p(f"| {w} | {fmt(co, 1)} | {split(ours)} | {fmt(cs, 1)} | {split(sink)} | "
          f"{fmt(co / cs if cs else float('nan'), 2)}x | "
          f"{fmt(med([client_us(r) for r in ours]), 1)} | {fmt(med([client_us(r) for r in sink]), 1)} | "
          f"{calls(ours)} | {calls(sink)} |")
    p("")
    small_cpu = med([cpu_us(r) for r in by.get(("small-100pc", "ours"), [])])
    p(f"Target: server CPU per small message <= {CPU_TARGET_US:.0f} µs: small-100pc {fmt(small_cpu, 1)} µs "
      f"({'met' if small_cpu <= CPU_TARGET_US else '**not met**'}). A JVM's CPU includes JIT compilation and GC "
      "threads.")
    p("")

    if idle:
        p("## Idle connections (EHLO sent, then silent)")
        p("")
        p("| server | round | connections held | RSS before (MB) | RSS after (MB) | RSS per connection (KB) "
          "| settled: before / after (MB) | **settled RSS per connection (KB)** | live heap per connection (KB) "
          "| threads before / after |")
        p("|---|---|---|---|---|---|---|---|---|---|")
        per = {}

        def kb_per_conn(after, before, n):
            try:
                return (int(r[after]) - int(r[before])) / n * 1.024  # KiB -> KB
            except (KeyError, TypeError, ValueError, ZeroDivisionError):
                return float("nan")

        def mb(key):
            return fmt(int(r[key]) / 1024, 1) if r.get(key) else "n/a"

        for r in idle:
            try:
                n = int(r["connections"])
            except ValueError:
                n = 0
            rss = kb_per_conn("rss_after_kb", "rss_before_kb", n)
            settled = kb_per_conn("rss_after_settled_kb", "rss_before_settled_kb", n)
            heap = kb_per_conn("heap_after_kb", "heap_before_kb", n)
            per.setdefault(r["server"], []).append((rss, heap, settled))
            p(f"| {'ours' if r['server'] == 'ours' else 'smtp-sink'} | {r['round']} | {r['connections']}"
              + (f" ({r['failed']} failed)" if r["failed"] not in ("", "0") else "")
              + f" | {mb('rss_before_kb')} | {mb('rss_after_kb')} | {fmt(rss, 1)} | "
              f"{mb('rss_before_settled_kb')} / {mb('rss_after_settled_kb')} | {fmt(settled, 1)} | "
              f"{fmt(heap, 1)} | {r['threads_before']} / {r['threads_after']} |")
        p("")
        if "ours" in per:
            m = med([x[2] for x in per["ours"]])
            now = med([x[0] for x in per["ours"]])
            p(f"Target: <= {IDLE_TARGET_KB:.0f} KB per idle connection with a fixed small number of threads: "
              f"settled median {fmt(m, 1)} KB ({'met' if m <= IDLE_TARGET_KB else '**not met**'}); "
              f"{fmt(now, 1)} KB right after the connections opened. Measured on a freshly started server: RSS after "
              "a full GC (`jcmd GC.run`) before the connections and 1.5 s after they opened; \"settled\" is the same "
              "RSS after 6 more quiet seconds each (an idle server gives back the C heap its JIT compilations freed: "
              "smtp-server.jar trims it every 5 s). The live heap column is the retained Java objects alone. Kernel "
              "socket buffers are in none of these.")
            p("")

    if ready:
        m = med(ready)
        p("## Ready time (launch of `java -jar` to the port accepting)")
        p("")
        p(f"Median of {len(ready)}: **{fmt(m, 2)} s** ({', '.join(fmt(x, 2) for x in ready)}); target <= "
          f"{READY_TARGET_S:.0f} s ({'met' if m <= READY_TARGET_S else '**not met**'}).")
        p("")

    p("<details><summary>All runs</summary>")
    p("")
    p("| round | workload | server | messages | wall (s) | rate | server CPU (µs/msg) | client CPU (µs/msg) | rc |")
    p("|---|---|---|---|---|---|---|---|---|")
    for r in runs:
        unit = "MB/s" if int(r["bytes"]) >= 1 << 20 else "msg/s"
        p(f"| {r['round']} | {r['workload']} | {r['server']} | {r['msgs']} | {float(r['wall']):.2f} | "
          f"{fmt(rate(r), 1 if unit == 'MB/s' else 0)} {unit} | {fmt(cpu_us(r), 1)} | {fmt(client_us(r), 1)} | "
          f"{r['rc']} |")
    p("")
    p("</details>")
    print("\n".join(out))


if __name__ == "__main__":
    main(sys.argv[1])
