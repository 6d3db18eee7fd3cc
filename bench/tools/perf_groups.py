#!/usr/bin/env python3
"""Groups `perf report --sort dso,sym --stdio --no-children -g none` output (stdin) by layer."""
import re
import sys

GROUPS = [
    ("kernel (system calls, TCP/IP on loopback, scheduler)", lambda d, s: d.startswith("[kernel")),
    ("JVM: JIT compilers, GC, runtime (libjvm.so)", lambda d, s: d == "libjvm.so"),
    ("libc, vdso (system call wrappers, clock_gettime)", lambda d, s: d.startswith("libc") or d == "[vdso]"),
    ("Java: io.smtpd (our code)", lambda d, s: " io.smtpd." in s or s.startswith("io.smtpd.")),
    ("Java: org.apache.mina", lambda d, s: "org.apache.mina." in s),
    ("Java: JDK (java.*, sun.*, jdk.*)", lambda d, s: re.search(r"(^|\s)(java|javax|sun|jdk)\.", s) is not None),
    ("Java: stubs (array copy, fill), interpreter, other", lambda d, s: d.startswith("[JIT]")),
    ("other native", lambda d, s: True),
]


def main():
    totals = {name: 0.0 for name, _ in GROUPS}
    for line in sys.stdin:
        m = re.match(r"\s*([\d.]+)%\s+(\S+(?: tid \d+)?)\s+\[[.k]\]\s+(.*)$", line)
        if not m:
            continue
        pct, dso, sym = float(m.group(1)), m.group(2), m.group(3).strip()
        for name, test in GROUPS:
            if test(dso, sym):
                totals[name] += pct
                break
    print("| layer | share of the server's CPU samples |")
    print("|---|---|")
    for name, _ in GROUPS:
        if totals[name] >= 0.05:
            print(f"| {name} | {totals[name]:.1f}% |")


if __name__ == "__main__":
    main()
