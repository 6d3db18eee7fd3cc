#!/usr/bin/env python3
"""Summarises a JFR recording: CPU samples by top frame, inclusive, by layer; allocation samples by class and site.

  jfr_summary.py RECORDING.jfr [TOP]
"""
import collections
import json
import subprocess
import sys

OURS = ("io.smtpd.",)
MINA = ("org.apache.mina.",)


def events(path, name):
    out = subprocess.run(["jfr", "print", "--json", "--stack-depth", "64", "--events", name, path],
                         capture_output=True, text=True, timeout=600, check=True).stdout
    return json.loads(out)["recording"]["events"]


def frames(ev):
    st = ev["values"].get("stackTrace") or {}
    out = []
    for f in st.get("frames", []):
        m = f["method"]
        cls = m["type"]["name"].replace("/", ".")
        if "$$Lambda$" in cls:  # hidden lambda classes: one name per lambda site is enough
            cls = cls.split("$$Lambda$")[0] + "$$Lambda"
        out.append(f'{cls}.{m["name"]}')
    return out


def layer(fs):
    """Which layer the sample's work belongs to: the first frame (from the top) in our code or MINA."""
    for f in fs:
        if f.startswith(OURS):
            return "io.smtpd (and the JDK code it calls)"
        if f.startswith(MINA):
            return "org.apache.mina (and the JDK code it calls)"
    return "other (JDK, JVM)"


def table(title, counter, total, top, unit="samples"):
    print(f"\n**{title}** ({total} {unit})\n")
    print(f"| share | {unit} | frame |")
    print("|---|---|---|")
    for k, n in counter.most_common(top):
        print(f"| {100.0 * n / total:.1f}% | {n:,} | `{k}` |")


def main(path, top):
    samples = events(path, "jdk.ExecutionSample")
    threads = collections.Counter()
    self_ = collections.Counter()
    incl = collections.Counter()
    layers = collections.Counter()
    ours_self = collections.Counter()
    for ev in samples:
        fs = frames(ev)
        if not fs:
            continue
        t = ev["values"].get("sampledThread") or {}
        threads[(t.get("javaName") or t.get("osName") or "?").rstrip("0123456789-")] += 1
        self_[fs[0]] += 1
        for f in set(fs):
            incl[f] += 1
        layers[layer(fs)] += 1
        for f in fs:
            if f.startswith(OURS):
                ours_self[f] += 1
                break
    total = sum(self_.values()) or 1
    print(f"### CPU samples (jdk.ExecutionSample: Java code only; time in system calls and in the JVM's own "
          f"threads is not sampled)\n")
    table("By thread (name without its number)", threads, total, top)
    table("By layer", layers, total, top)
    table("Self (top frame)", self_, total, top)
    table("Inclusive (anywhere on the stack)", incl, total, top)
    table("First io.smtpd frame from the top (our code, including what it calls)", ours_self,
          sum(ours_self.values()) or 1, top)

    allocs = events(path, "jdk.ObjectAllocationSample")
    by_class = collections.Counter()
    by_site = collections.Counter()
    for ev in allocs:
        w = int(ev["values"].get("weight") or 0)
        cls = (ev["values"].get("objectClass") or {}).get("name", "?").replace("/", ".")
        by_class[cls] += w
        fs = frames(ev)
        site = next((f for f in fs if f.startswith(OURS) or f.startswith(MINA)), fs[0] if fs else "?")
        by_site[f"{site} -> {cls}"] += w
    total = sum(by_class.values()) or 1
    print(f"\n### Allocation (jdk.ObjectAllocationSample, weighted bytes)\n")
    table("By class", by_class, total, top, unit="bytes")
    table("By first io.smtpd / org.apache.mina frame", by_site, total, top, unit="bytes")


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 20)
