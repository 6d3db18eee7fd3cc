#!/usr/bin/env python3
"""Small helpers for bench/run.sh (standard library only).

  benchtool.py freeport                      print a free TCP port on 127.0.0.1
  benchtool.py waitport PORT TIMEOUT [PID]   exit 0 once 127.0.0.1:PORT accepts, 1 on timeout or if PID died
  benchtool.py ready N -- CMD... {port}      launch CMD N times (each on a fresh port, {port} replaced), print
                                             the seconds from launch to the port accepting, one per line
  benchtool.py idle PORT N PID [java]        open N connections to 127.0.0.1:PORT, read the greeting, send
                                             EHLO, read the reply, hold; print key=value lines about the
                                             server process PID (RSS, threads, heap when java) before/after,
                                             and settled: after IDLE_SETTLE_SECONDS (6) of quiet, before and after
"""
import asyncio
import os
import re
import signal
import socket
import subprocess
import sys
import time


def freeport():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def accepts(port):
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


def alive(pid):
    try:
        os.kill(pid, 0)
    except OSError:
        return False
    try:  # a zombie is not alive
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def waitport(port, timeout, pid=None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if accepts(port):
            return True
        if pid is not None and not alive(pid):
            return False
        time.sleep(0.005)
    return False


def ready(n, cmd):
    for _ in range(n):
        port = freeport()
        argv = [a.replace("{port}", str(port)) for a in cmd]
        t0 = time.monotonic()
        p = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        took = None
        try:
            while time.monotonic() - t0 < 30:
                if accepts(port):
                    took = time.monotonic() - t0
                    break
                if p.poll() is not None:
                    break
                time.sleep(0.002)
        finally:
            p.send_signal(signal.SIGTERM)
            try:
                p.wait(15)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait(5)
        print(f"{took:.3f}" if took is not None else "nan", flush=True)


def status(pid):
    out = {}
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            k, _, v = line.partition(":")
            if k in ("VmRSS", "Threads"):
                out[k] = int(v.split()[0])
    return out


def heap_used_kb(pid):
    """Live heap after a full GC, from jcmd (None when jcmd is unavailable)."""
    try:
        subprocess.run(["jcmd", str(pid), "GC.run"], capture_output=True, timeout=60)
        time.sleep(0.5)
        info = subprocess.run(["jcmd", str(pid), "GC.heap_info"], capture_output=True, text=True, timeout=60)
        # one "total NK, used NK" line per heap (G1) or generation (Serial, Parallel)
        used = [int(u) for u in re.findall(r"total \d+K, used (\d+)K", info.stdout)]
        return sum(used) if used else None
    except (OSError, subprocess.TimeoutExpired):
        return None


async def read_reply(reader):
    while True:
        line = await reader.readline()
        if not line:
            raise ConnectionError("closed")
        if len(line) < 4 or line[3:4] != b"-":
            return line


async def idle(port, n, pid, java):
    res = {}
    settle = float(os.environ.get("IDLE_SETTLE_SECONDS", "6"))
    if java:
        res["heap_before_kb"] = heap_used_kb(pid)
    time.sleep(0.5)
    st = status(pid)
    res["rss_before_kb"], res["threads_before"] = st["VmRSS"], st["Threads"]
    time.sleep(settle)  # what a server gives back once quiet (smtp-server.jar trims its C heap every 5 s)
    res["rss_before_settled_kb"] = status(pid)["VmRSS"]
    sem = asyncio.Semaphore(200)  # connection attempts in flight
    held = []
    failed = 0

    async def one():
        nonlocal failed
        async with sem:
            try:
                r, w = await asyncio.wait_for(asyncio.open_connection("127.0.0.1", port), 30)
                await asyncio.wait_for(read_reply(r), 30)
                w.write(b"EHLO idle.bench.test\r\n")
                await w.drain()
                await asyncio.wait_for(read_reply(r), 30)
                held.append(w)
            except (OSError, asyncio.TimeoutError, ConnectionError):
                failed += 1

    t0 = time.monotonic()
    await asyncio.wait_for(asyncio.gather(*(one() for _ in range(n))), 180)
    res["open_seconds"] = round(time.monotonic() - t0, 2)
    res["connections"] = len(held)
    res["failed"] = failed
    await asyncio.sleep(1.0)
    if java:
        res["heap_after_kb"] = heap_used_kb(pid)
    await asyncio.sleep(0.5)
    st = status(pid)
    res["rss_after_kb"], res["threads_after"] = st["VmRSS"], st["Threads"]
    await asyncio.sleep(settle)
    res["rss_after_settled_kb"] = status(pid)["VmRSS"]
    hold = float(os.environ.get("IDLE_HOLD_SECONDS", "0"))  # keep them open longer, for inspection by hand
    if hold > 0:
        print(f"holding {len(held)} connections for {hold} s", file=sys.stderr, flush=True)
        await asyncio.sleep(hold)
    for w in held:
        w.close()
    await asyncio.sleep(0.5)
    for k, v in res.items():
        print(f"{k}={'' if v is None else v}")


def main(argv):
    cmd = argv[1] if len(argv) > 1 else ""
    if cmd == "freeport":
        print(freeport())
    elif cmd == "waitport":
        pid = int(argv[4]) if len(argv) > 4 else None
        sys.exit(0 if waitport(int(argv[2]), float(argv[3]), pid) else 1)
    elif cmd == "ready":
        n = int(argv[2])
        assert argv[3] == "--"
        ready(n, argv[4:])
    elif cmd == "idle":
        asyncio.run(idle(int(argv[2]), int(argv[3]), int(argv[4]), len(argv) > 5 and argv[5] == "java"))
    else:
        print(__doc__, file=sys.stderr)
        sys.exit(2)


if __name__ == "__main__":
    main(sys.argv)
