#!/usr/bin/env python3
"""Load benchmark of Hyperspot.NET's tracing overhead, side by side with a stock OpenTelemetry set-up.

Started by bench/run (which installs wrk and builds everything first). Every server under test runs for the whole
benchmark, pinned to one core; wrk and the OTLP sink share the other. Scenarios are measured in interleaved
rounds (A B C ... A B C ...). Each window loads a scenario and its tracing-disabled baseline at the same time, each
with its own wrk, so that both share the server core and whatever else the machine is doing; the figures are medians
over the rounds, each also as the median of its per-window ratio to that baseline. See docs/PERFORMANCE.md.
"""

import argparse
import datetime
import json
import os
import re
import resource
import signal
import statistics
import subprocess
import sys
import threading
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BENCH = os.path.join(ROOT, "bench")
OUT = os.path.join(BENCH, ".out")
RESULTS = os.path.join(BENCH, "results")
CLK_TCK = os.sysconf("SC_CLK_TCK")

TRIVIAL = "trivial"
USERS = "users"

# name, kind (hyperspot|stock), config or stock tracing argument, baseline name, routes, label
SCENARIOS = [
    ("disabled", "hyperspot", "disabled.yaml", "disabled", (TRIVIAL, USERS), "Hyperspot, tracing disabled"),
    ("ratio001", "hyperspot", "ratio001.yaml", "disabled", (TRIVIAL, USERS), "Hyperspot, parentbased_ratio 0.01"),
    ("ratio01", "hyperspot", "ratio01.yaml", "disabled", (TRIVIAL, USERS), "Hyperspot, parentbased_ratio 0.1"),
    ("always_on", "hyperspot", "always_on.yaml", "disabled", (TRIVIAL, USERS), "Hyperspot, always_on"),
    ("full", "hyperspot", "full.yaml", "disabled", (TRIVIAL, USERS), "Hyperspot, full (always_on + request ids + headers + file log)"),
    ("unreachable", "hyperspot", "unreachable.yaml", "disabled", (TRIVIAL,), "Hyperspot, always_on, backend unreachable"),
    ("stock_off", "stock", "off", "stock_off", (TRIVIAL, USERS), "Stock, tracing disabled"),
    ("stock_ratio01", "stock", "parentbased_ratio:0.1", "stock_off", (TRIVIAL, USERS), "Stock, parentbased_ratio 0.1"),
    ("stock_always_on", "stock", "always_on", "stock_off", (TRIVIAL, USERS), "Stock, always_on"),
    ("metrics", "hyperspot", "metrics.yaml", "disabled", (TRIVIAL, USERS), "Hyperspot, always_on + metrics"),
    ("stock_metrics", "stock", "always_on+metrics", "stock_off", (TRIVIAL, USERS), "Stock, always_on + metrics"),
]
# Scenarios measured with their stock counterpart even when only they are asked for (--only).
PAIRED = {"metrics": "stock_metrics"}
# Measured once, after the rounds: bytes per span with gzip (compare with always_on's).
ONCE = [("always_on_gzip", "hyperspot", "always_on_gzip.yaml", "disabled", (TRIVIAL, USERS), "Hyperspot, always_on, gzip export")]

PATHS = {
    ("hyperspot", TRIVIAL): "/examples/v1/upstream/data",
    ("hyperspot", USERS): "/examples/v1/users/42",
    ("stock", TRIVIAL): "/upstream/data",
    ("stock", USERS): "/users/42",
}

TARGETS = [  # scenario, CPU/request ratio limit on the trivial route
    ("ratio001", 0.03),
    ("ratio01", 0.06),
    ("always_on", 0.15),
    ("full", 0.35),
]
RSS_LIMIT_MB = 150


def log(message):
    print(f"[{datetime.datetime.now():%H:%M:%S}] {message}", file=sys.stderr, flush=True)


def http_get(url, timeout=5.0):
    with urllib.request.urlopen(url, timeout=timeout) as response:
        return response.read()


def wait_ready(url, proc, timeout=120.0):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"process exited with {proc.returncode} before answering {url}")
        try:
            http_get(url, timeout=1.0)
            return
        except Exception:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer within {timeout} s")


def proc_cpu_ticks(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])  # utime + stime (fields 14 and 15)


def proc_status_kb(pid, key):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(key + ":"):
                return int(line.split()[1])
    return 0


def system_busy_ticks():
    """user + nice + system + steal of the whole machine (irq and softirq left out: loopback traffic lands there)."""
    with open("/proc/stat") as f:
        fields = f.readline().split()[1:]
    return int(fields[0]) + int(fields[1]) + int(fields[2]) + int(fields[7])


def children_cpu_seconds():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def parse_duration_ms(text):
    match = re.match(r"([\d.]+)(us|ms|s|m)$", text)
    if not match:
        return float("nan")
    value, unit = float(match.group(1)), match.group(2)
    return value * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def parse_wrk(output):
    result = {"rps": 0.0, "requests": 0, "p50_ms": float("nan"), "p99_ms": float("nan"), "errors": 0}
    for line in output.splitlines():
        line = line.strip()
        if line.startswith("Requests/sec:"):
            result["rps"] = float(line.split()[1])
        elif re.match(r"^\d+ requests in", line):
            result["requests"] = int(line.split()[0])
        elif line.startswith("50%"):
            result["p50_ms"] = parse_duration_ms(line.split()[1])
        elif line.startswith("99%"):
            result["p99_ms"] = parse_duration_ms(line.split()[1])
        elif line.startswith("Non-2xx or 3xx responses:"):
            result["errors"] += int(line.split()[-1])
        elif line.startswith("Socket errors:"):
            result["errors"] += sum(int(n) for n in re.findall(r"\d+", line))
    return result


class Cores:
    """Server on one core, wrk and the sink on another, when the machine has two or more."""

    def __init__(self, enabled, nice):
        count = os.cpu_count() or 1
        self.enabled = enabled and count >= 2
        self.server = "0"
        self.load = "1" if count >= 2 else "0"
        self.nice = nice

    def wrap(self, role, command):
        if self.enabled:
            command = ["taskset", "-c", self.server if role == "server" else self.load] + command
        if self.nice:
            command = ["nice", "-n", str(self.nice)] + command
        return command


class Sink:
    def __init__(self, args, cores, grpc_ports):
        self.control = args.sink_port
        command = [os.path.join(OUT, "sink", "OtlpSink"), "--control", str(self.control),
                   "--grpc", ",".join(str(p) for p in grpc_ports)]
        self.log = open(os.path.join(args.tmp, "sink.log"), "w")
        self.proc = subprocess.Popen(cores.wrap("load", command), stdout=self.log, stderr=subprocess.STDOUT)
        wait_ready(f"http://127.0.0.1:{self.control}/stats", self.proc)

    def stats(self, port):
        data = json.loads(http_get(f"http://127.0.0.1:{self.control}/stats"))
        return data.get(str(port), {"requests": 0, "bytes": 0, "spans": 0})


class Server:
    def __init__(self, spec, index, args, cores, replica=0):
        self.name, self.kind, self.config, self.baseline, self.routes, self.label = spec
        self.replica = replica
        self.port = args.server_port + index
        self.sink_port = args.sink_port + 1 + index
        home = os.path.join(args.tmp, f"{self.name}-{replica}")
        os.makedirs(home, exist_ok=True)
        env = {k: v for k, v in os.environ.items() if not k.startswith(("OTEL_", "APP__", "ASPNETCORE_", "DOTNET_"))}
        env["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1"
        # Idle thread-pool workers spin before they sleep; on a server that is not quite saturated that spinning is
        # counted as CPU time and swamps the per-request figures with noise. Turned off alike for every server.
        if not args.spin:
            env["DOTNET_ThreadPool_UnfairSemaphoreSpinLimit"] = "0"
        # The JIT waits for a lull in new compilations before it starts counting calls for tier-up; a server under
        # constant load on one core took 30-40 s to reach optimised code that way, and windows measured before then
        # compared half-instrumented code. Counting at once gets every server to steady state within its warm-up;
        # the optimised code is the same. Set alike for every server.
        env["DOTNET_TC_CallCountingDelayMs"] = "0"
        for assignment in args.server_env:
            key, _, value = assignment.partition("=")
            env[key] = value
        if self.kind == "hyperspot":
            env["APP__SERVER__PORT"] = str(self.port)
            env["APP__SERVER__HOME_DIR"] = home
            if self.name != "unreachable":
                env["APP__TRACING__EXPORTER__ENDPOINT"] = f"http://127.0.0.1:{self.sink_port}"
            binary = args.compare if self.name.startswith("before_") else os.path.join(OUT, "server")
            command = [os.path.join(binary, "Hyperspot.Server"), "--config", os.path.join(BENCH, "configs", self.config)]
            self.ready_path = "/healthz"
        else:
            env["OTEL_EXPORTER_OTLP_ENDPOINT"] = f"http://127.0.0.1:{self.sink_port}"
            tracing, _, extra = self.config.partition("+")
            command = [os.path.join(OUT, "stock", "StockServer"), "--port", str(self.port), "--tracing", tracing,
                       "--metrics", "on" if extra == "metrics" else "off"]
            self.ready_path = "/healthz"
        self.out = open(os.path.join(home, "stdout.log"), "w")
        # An empty working directory: ASP.NET Core watches its content root (the working directory) recursively, so a
        # log file below it would wake that watcher on every write, which production (WORKDIR /app) does not do.
        cwd = os.path.join(args.tmp, "cwd")
        os.makedirs(cwd, exist_ok=True)
        # Each server in a session of its own: Linux shares a core fairly between sessions (autogroups), but between
        # the threads within one session. Two servers of a window would otherwise split the core by their numbers of
        # runnable threads, which differ by scenario and history, and measure at different loads.
        self.proc = subprocess.Popen(cores.wrap("server", command), env=env, cwd=cwd, stdout=self.out, stderr=subprocess.STDOUT,
                                     start_new_session=True)
        if args.nice:
            set_autogroup_nice(args.nice, self.proc.pid)
        self.rss_per_round = []

    def wait_ready(self):
        wait_ready(f"http://127.0.0.1:{self.port}{self.ready_path}", self.proc)

    def url(self, route):
        return f"http://127.0.0.1:{self.port}{PATHS[(self.kind, route)]}"

    def tracing_counts(self):
        if self.kind != "hyperspot":
            return None
        tracing = json.loads(http_get(f"http://127.0.0.1:{self.port}/health"))["tracing"]
        return tracing["spans_exported"], tracing["spans_dropped"]

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.out.close()


def run_wrk(args, cores, url, seconds, latency):
    command = ["wrk", f"-t{args.threads}", f"-c{args.connections}", f"-d{seconds}s", "--timeout", "5s"]
    if latency:
        command.append("--latency")
    command += ["-H", "User-Agent: hyperspot-bench", "-H", "X-Forwarded-For: 192.0.2.1", "-H", "Authorization: Bearer bench", url]
    completed = subprocess.run(cores.wrap("load", command), capture_output=True, text=True, timeout=seconds + 30)
    if completed.returncode != 0:
        raise RuntimeError(f"wrk failed: {completed.stderr.strip()}")
    return parse_wrk(completed.stdout)


def set_autogroup_nice(nice, pid="self"):
    """Sets the nice value of a process's session (scheduling autogroup); returns the previous one (None when unsupported)."""
    try:
        with open(f"/proc/{pid}/autogroup") as f:
            previous = int(f.read().split("nice")[1])
        with open(f"/proc/{pid}/autogroup", "w") as f:
            f.write(str(nice))
        return previous
    except (OSError, ValueError, IndexError):
        return None


def warm_up_all(args, cores, servers, seconds):
    """Loads every server alone (its first route for `seconds`, the others for half that) so that the JIT has tiered
    up the hot paths before the first round; then waits (at most 60 s) until the servers' background compilation is
    over, so that the first window does not share core 0 with it."""
    if seconds <= 0:
        return
    for server in servers:
        for index, route in enumerate(server.routes):
            run_wrk(args, cores, server.url(route), seconds if index == 0 else max(1, seconds // 2), latency=False)
    deadline = time.time() + 60
    while time.time() < deadline:
        before = sum(proc_cpu_ticks(s.proc.pid) for s in servers)
        time.sleep(2)
        if (sum(proc_cpu_ticks(s.proc.pid) for s in servers) - before) / CLK_TCK / 2 < 0.15:
            break


def run_wrk_together(args, cores, urls, seconds, latency):
    """One wrk per URL, all at the same time; their results in the same order."""
    results = [None] * len(urls)
    failures = []

    def load(index, url):
        try:
            results[index] = run_wrk(args, cores, url, seconds, latency)
        except Exception as error:  # reported below, after every wrk has ended
            failures.append(error)

    threads = [threading.Thread(target=load, args=(i, url)) for i, url in enumerate(urls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        raise failures[0]
    return results


def measure(servers, route, sink, args, cores, warmup):
    """One window of the servers loaded together; measured again (at most --retries times) while other processes
    took more than --max-foreign cores."""
    best = None
    for attempt in range(args.retries + 1):
        results = measure_once(servers, route, sink, args, cores, warmup if attempt == 0 else 1)
        if best is None or results[0]["foreign_cores"] < best[0]["foreign_cores"]:
            best = results
        if results[0]["foreign_cores"] <= args.max_foreign:
            break
    for result in best:
        result["attempts"] = attempt + 1
    return best


def measure_once(servers, route, sink, args, cores, warmup):
    urls = [server.url(route) for server in servers]
    run_wrk_together(args, cores, urls, warmup, latency=False)
    time.sleep(0.3)
    counts_before = [server.tracing_counts() for server in servers]
    sink_before = [sink.stats(server.sink_port) for server in servers]
    ticks_before = [proc_cpu_ticks(server.proc.pid) for server in servers]
    sink_ticks_before = proc_cpu_ticks(sink.proc.pid)
    busy_before = system_busy_ticks()
    wrk_before = children_cpu_seconds()
    started = time.time()
    results = run_wrk_together(args, cores, urls, args.duration, latency=True)
    elapsed = time.time() - started
    ticks_after = [proc_cpu_ticks(server.proc.pid) for server in servers]
    sink_ticks_after = proc_cpu_ticks(sink.proc.pid)
    busy_after = system_busy_ticks()
    wrk_cpu = children_cpu_seconds() - wrk_before
    # Spans of the window are exported within a scheduled delay; the counters are read after it.
    time.sleep(args.settle)
    server_cpus = [(after - before) / CLK_TCK for before, after in zip(ticks_before, ticks_after)]
    ours = sum(server_cpus) + (sink_ticks_after - sink_ticks_before) / CLK_TCK + wrk_cpu
    foreign_cores = max(0.0, ((busy_after - busy_before) / CLK_TCK - ours) / elapsed)
    for index, (server, result) in enumerate(zip(servers, results)):
        counts_after = server.tracing_counts()
        sink_after = sink.stats(server.sink_port)
        requests = max(result["requests"], 1)
        result["cpu_us_per_req"] = server_cpus[index] * 1e6 / requests
        result["cpu_util"] = server_cpus[index] / args.duration
        result["foreign_cores"] = foreign_cores
        result["sink_spans"] = sink_after["spans"] - sink_before[index]["spans"]
        result["sink_bytes"] = sink_after["bytes"] - sink_before[index]["bytes"]
        if counts_before[index] is not None:
            result["spans_exported"] = counts_after[0] - counts_before[index][0]
            result["spans_dropped"] = counts_after[1] - counts_before[index][1]
        result["rss_mb"] = proc_status_kb(server.proc.pid, "VmRSS") / 1024
    return results


RATIO_KEYS = ("rps", "cpu_us_per_req", "p50_ms", "p99_ms", "cpu_util", "foreign_cores")


def measure_paired(server, baseline, route, sink, args, cores, warmup):
    """A window of the scenario with its baseline loaded at the same time; the scenario's result carries the
    baseline's figures of that window, which its ratios are taken against."""
    result, base = measure([server, baseline], route, sink, args, cores, warmup)
    result["baseline"] = {key: base[key] for key in RATIO_KEYS}
    return result, base


def median(values):
    values = [v for v in values if v is not None and v == v]
    return statistics.median(values) if values else None


def summarize(servers, samples):
    """samples[(name, route)] = list of per-round results (None where a round is missing)."""
    summary = {}
    replicas = {}
    for server in servers:
        replicas.setdefault(server.name, []).append(server)
    for name, group in replicas.items():
        server = group[0]
        for route in server.routes:
            rows = samples.get((server.name, route), [])
            if not rows:
                continue
            entry = {"label": server.label, "kind": server.kind, "rounds": len(rows)}
            for key in RATIO_KEYS:
                entry[key] = median([r[key] for r in rows])
                if server.name == server.baseline:
                    ratios = [1.0 for r in rows if r.get(key)]
                else:
                    ratios = [r[key] / r["baseline"][key] for r in rows if r.get("baseline") and r["baseline"].get(key)]
                entry[key + "_ratio"] = median(ratios)
                entry[key + "_ratios"] = ratios
            entry["errors"] = sum(r["errors"] for r in rows)
            entry["retried_windows"] = sum(1 for r in rows if r.get("attempts", 1) > 1)
            entry["spans_per_req"] = median([
                (r["spans_exported"] if "spans_exported" in r else r["sink_spans"]) / max(r["requests"], 1) for r in rows])
            entry["spans_exported"] = sum(r.get("spans_exported", r["sink_spans"]) for r in rows)
            entry["spans_dropped"] = sum(r["spans_dropped"] for r in rows) if "spans_dropped" in rows[0] else None
            sink_spans = sum(r["sink_spans"] for r in rows)
            entry["bytes_per_span"] = sum(r["sink_bytes"] for r in rows) / sink_spans if sink_spans else None
            peaks = [proc_status_kb(s.proc.pid, "VmHWM") / 1024 for s in group if s.proc.poll() is None]
            entry["peak_rss_mb"] = max(peaks) if peaks else None
            entry["rss_per_round_mb"] = [round(r["rss_mb"]) for r in rows]
            summary[f"{server.name}/{route}"] = entry
    return summary


def quartiles(values):
    """The 25th and 75th percentiles (None with fewer than four values)."""
    values = sorted(v for v in values if v is not None and v == v)
    if len(values) < 4:
        return None
    q = statistics.quantiles(values, n=4)
    return q[0], q[2]


def spread(ratios):
    q = quartiles(ratios)
    return f"{pct(q[0])} to {pct(q[1])}" if q else "–"


def pct(ratio):
    if ratio is None:
        return ""
    return f"{(ratio - 1) * 100:+.1f}%"


def fmt(value, digits=1):
    if value is None:
        return "–"
    if isinstance(value, float) and value >= 1000:
        return f"{value:,.0f}"
    return f"{value:.{digits}f}"


def render(summary, meta, once):
    lines = []
    lines.append(f"# Benchmark results ({meta['date']})")
    lines.append("")
    lines.append(f"Commit `{meta['commit']}`, .NET {meta['dotnet']}, {meta['cpus']} cores ({meta['pinning']}), "
                 f"wrk -t{meta['threads']} -c{meta['connections']}, {meta['processes']} server process{'es' if meta['processes'] != 1 else ''} per scenario, "
                 f"{meta['rounds']} interleaved rounds of {meta['duration']} s "
                 f"per scenario and route (after {meta['warmup']} s warm-up each), {meta['mode']} mode, total {meta['elapsed_min']:.1f} min.")
    lines.append("Each window loads a scenario and the tracing-disabled baseline of its set-up at the same time (Hyperspot rows "
                 "with Hyperspot disabled, stock rows with stock disabled), each with its own wrk, on the one server core; "
                 "so req/s and core busy are each server's share of that core. Values are medians over the windows; "
                 "(±x%) is the median of the per-window changes against the baseline loaded alongside.")
    lines.append("")
    for route, title in ((TRIVIAL, "Trivial traced route (`/examples/v1/upstream/data`; stock: `/upstream/data`), 1 span per request"),
                         (USERS, "`/examples/v1/users/{id}` (process_user span + traced outgoing call to the stand-in upstream; stock: `/users/{id}`)")):
        lines.append(f"## {title}")
        lines.append("")
        lines.append("| scenario | req/s | CPU µs/req | p50 ms | p99 ms | server core busy | peak RSS MB | spans/req | spans exported | spans dropped | bytes/span |")
        lines.append("|---|---|---|---|---|---|---|---|---|---|---|")
        for key, e in summary.items():
            if not key.endswith("/" + route):
                continue
            lines.append(
                f"| {e['label']} | {fmt(e['rps'], 0)} ({pct(e['rps_ratio'])}) | {fmt(e['cpu_us_per_req'])} ({pct(e['cpu_us_per_req_ratio'])}) "
                f"| {fmt(e['p50_ms'], 2)} ({pct(e['p50_ms_ratio'])}) | {fmt(e['p99_ms'], 2)} ({pct(e['p99_ms_ratio'])}) "
                f"| {e['cpu_util'] * 100:.0f}% | {fmt(e['peak_rss_mb'], 0)} | {fmt(e['spans_per_req'], 2)} | {e['spans_exported']:,} "
                f"| {'–' if e['spans_dropped'] is None else format(e['spans_dropped'], ',')} | {fmt(e['bytes_per_span'], 0)} |")
        lines.append("")
    lines.append("## Targets (trivial route, CPU per request against tracing disabled)")
    lines.append("")
    lines.append("| scenario | target | Hyperspot | middle half of the rounds | stock | result |")
    lines.append("|---|---|---|---|---|---|")
    stock_of = {"ratio01": "stock_ratio01", "always_on": "stock_always_on"}
    for name, limit in TARGETS:
        e = summary.get(f"{name}/{TRIVIAL}")
        if not e:
            continue
        ratio = e["cpu_us_per_req_ratio"]
        stock = summary.get(f"{stock_of.get(name, '')}/{TRIVIAL}")
        ok = ratio is not None and ratio - 1 <= limit
        extra = ""
        if name == "always_on":
            dropped = sum((summary.get(f"always_on/{r}") or {}).get("spans_dropped") or 0 for r in (TRIVIAL, USERS))
            ok = ok and dropped == 0
            extra = f", {dropped} spans dropped"
        lines.append(f"| {e['label']} | ≤ +{limit * 100:.0f}%{' and 0 dropped' if name == 'always_on' else ''} | {pct(ratio)}{extra} "
                     f"| {spread(e['cpu_us_per_req_ratios'])} "
                     f"| {pct(stock['cpu_us_per_req_ratio']) if stock else '–'} | {'met' if ok else 'MISSED'} |")
    peak = max([(e["peak_rss_mb"] or 0) for e in summary.values() if e["kind"] == "hyperspot"] or [0])
    stock_peak = max([(e["peak_rss_mb"] or 0) for e in summary.values() if e["kind"] == "stock"] or [0])
    lines.append(f"| peak RSS under load, every Hyperspot scenario | ≤ {RSS_LIMIT_MB} MB | {peak:.1f} MB | – | "
                 f"{f'{stock_peak:.1f} MB' if stock_peak else '–'} | {'met' if peak <= RSS_LIMIT_MB else 'MISSED'} |")
    lines.append("")
    unreachable = summary.get(f"unreachable/{TRIVIAL}")
    if unreachable:
        lines.append("## Backend unreachable (always_on, exporting to a closed port for the whole run)")
        lines.append("")
        lines.append(f"RSS after each round: {', '.join(str(v) for v in unreachable['rss_per_round_mb'])} MB (peak {fmt(unreachable['peak_rss_mb'], 0)} MB); "
                     f"spans dropped in the measured windows: {unreachable['spans_dropped']:,}; spans exported: {unreachable['spans_exported']:,}; "
                     f"CPU per request {pct(unreachable['cpu_us_per_req_ratio'])} against tracing disabled.")
        lines.append("")
    if once:
        lines.append("## Export compression (measured once, always_on)")
        lines.append("")
        lines.append("| route | none: bytes/span | gzip: bytes/span | CPU per request against disabled: none | gzip (one window) |")
        lines.append("|---|---|---|---|---|")
        for route in (TRIVIAL, USERS):
            none = summary.get(f"always_on/{route}")
            gz = once.get(f"always_on_gzip/{route}")
            if none and gz:
                lines.append(f"| {route} | {fmt(none['bytes_per_span'], 0)} | {fmt(gz['bytes_per_span'], 0)} | "
                             f"{pct(none['cpu_us_per_req_ratio'])} | {pct(gz['cpu_us_per_req_ratio'])} |")
        lines.append("")
    disturbed = [e["foreign_cores"] for e in summary.values() if e.get("foreign_cores") is not None]
    lines.append(f"Other processes on the machine used a median of {median(disturbed) or 0:.2f} cores during the windows "
                 f"(worst row {max(disturbed or [0]):.2f}); windows measured again because of that: "
                 f"{sum(e['retried_windows'] for e in summary.values())}.")
    lines.append("")
    lines.append("Rows with errors: " + (", ".join(f"{k} ({e['errors']})" for k, e in summary.items() if e["errors"]) or "none") + ".")
    return "\n".join(lines) + "\n"


def main():
    # A TERM (or an INT in a background job, where Python ignores it) still stops every server started here.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
        signal.signal(signal.SIGINT, signal.default_int_handler)
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="smoke run: 1 round of 3 s (about 2 minutes)")
    parser.add_argument("--rounds", type=int, help="interleaved rounds (default 10; --quick 1)")
    parser.add_argument("--duration", type=int, help="measured seconds per scenario and route (default 3)")
    parser.add_argument("--warmup", type=int, help="warm-up seconds before each measurement (default 1)")
    parser.add_argument("--first-warmup", type=int,
                        help="seconds of load on each server process's first route (half that on its others) before the first round (default 16; --quick 3)")
    parser.add_argument("--processes", type=int, default=None,
                        help="server processes per scenario, measured in turn across the rounds (default 2; --quick 1)")
    parser.add_argument("--settle", type=float, default=1.2, help="seconds to wait after a window before reading span counters")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--only", help="comma-separated scenario names (disabled and stock_off are added as baselines)")
    parser.add_argument("--no-pin", action="store_true", help="do not pin the server and the load generator to different cores")
    parser.add_argument("--nice", type=int, default=-10 if os.geteuid() == 0 else 0,
                        help="niceness of every benchmark process (default -10 as root, so other work on the machine disturbs less)")
    parser.add_argument("--max-foreign", type=float, default=0.5,
                        help="a window in which other processes used more than this many cores is measured again (default 0.5)")
    parser.add_argument("--retries", type=int, default=1, help="at most this many repeats of a disturbed window (default 1)")
    parser.add_argument("--no-once", action="store_true", help="skip the one-off gzip measurement")
    parser.add_argument("--spin", action="store_true",
                        help="leave the .NET thread pool's idle spinning on (by default it is turned off in every server)")
    parser.add_argument("--routes", default="trivial,users", help="comma-separated routes to measure: trivial, users")
    parser.add_argument("--no-stock", action="store_true", help="leave the stock set-up out")
    parser.add_argument("--compare", metavar="DIR",
                        help="also run the Hyperspot scenarios with another build of the server (a directory holding "
                             "Hyperspot.Server), as 'before' rows, e.g. to measure a change")
    parser.add_argument("--server-env", action="append", default=[], metavar="NAME=VALUE",
                        help="an environment variable for every server (repeatable), e.g. to try a runtime setting")
    parser.add_argument("--server-port", type=int, default=24101)
    parser.add_argument("--sink-port", type=int, default=24300)
    parser.add_argument("--output", default=os.path.join(RESULTS, "latest.md"))
    args = parser.parse_args()
    args.rounds = args.rounds or (1 if args.quick else 10)
    args.processes = args.processes or (1 if args.quick else 2)
    args.duration = args.duration or 3
    args.warmup = args.warmup or 1
    args.first_warmup = args.first_warmup if args.first_warmup is not None else (3 if args.quick else 16)
    args.tmp = os.path.join(RESULTS, "tmp")
    if args.compare:
        args.compare = os.path.abspath(args.compare)
        if not os.path.exists(os.path.join(args.compare, "Hyperspot.Server")):
            parser.error(f"--compare: no Hyperspot.Server in {args.compare}")
    os.makedirs(args.tmp, exist_ok=True)

    routes = set(args.routes.split(","))
    specs = [s for s in SCENARIOS if not (args.no_stock and s[1] == "stock")]
    once_specs = [] if args.no_once else ONCE
    if args.compare:
        specs = specs + [("before_" + s[0], s[1], s[2], "before_" + s[3], (TRIVIAL,), "Before: " + s[5])
                         for s in SCENARIOS if s[1] == "hyperspot" and s[0] != "unreachable"]
    if args.only:
        wanted = set(args.only.split(","))
        if not args.no_stock:
            wanted |= {PAIRED[w] for w in wanted if w in PAIRED}
        wanted |= {"before_" + w for w in wanted}
        wanted |= {s[3] for s in specs + ONCE if s[0] in wanted}
        specs = [s for s in specs if s[0] in wanted]
        once_specs = [s for s in once_specs if s[0] in wanted]

    cores = Cores(not args.no_pin, args.nice)
    # Linux schedules each session's "autogroup" as one unit, so per-process nice values do not count against other
    # sessions' work; raising the benchmark's own autogroup does. Restored when the benchmark ends.
    autogroup_nice = set_autogroup_nice(args.nice) if args.nice else None
    started = time.time()
    specs = [s[:4] + (tuple(r for r in s[4] if r in routes),) + s[5:] for s in specs]
    once_specs = [s[:4] + (tuple(r for r in s[4] if r in routes),) + s[5:] for s in once_specs]
    all_specs = specs + once_specs
    servers = []
    sink = None
    try:
        # Every scenario runs in --processes server processes; round r measures process r mod N of each scenario.
        # Processes of the same build and configuration differ by several per cent for their whole life (code
        # layout, the JIT's profile-guided choices), so a single process per scenario would bias every ratio.
        replicas = [(spec, r) for spec in specs for r in range(args.processes)] + [(spec, 0) for spec in once_specs]
        sink = Sink(args, cores, [args.sink_port + 1 + i for i in range(len(replicas))])
        for index, (spec, replica) in enumerate(replicas):
            servers.append(Server(spec, index, args, cores, replica))
        for server in servers:
            server.wait_ready()
        log(f"{len(servers)} servers up after {time.time() - started:.0f} s; warming each up alone for {args.first_warmup} s (JIT tiering)")
        in_rounds = servers[:len(specs) * args.processes]
        once_servers = servers[len(specs) * args.processes:]
        warm_up_all(args, cores, servers, args.first_warmup)

        # Each scenario is measured alongside the baseline process of the same replica; the baseline rows collect
        # every window they took part in.
        by_replica = {(server.name, server.replica): server for server in in_rounds}
        samples = {}
        for round_index in range(args.rounds):
            for server in in_rounds:
                if server.replica != round_index % args.processes or server.name == server.baseline:
                    continue
                baseline = by_replica[(server.baseline, server.replica)]
                for route in server.routes:
                    result, base = measure_paired(server, baseline, route, sink, args, cores, args.warmup)
                    samples.setdefault((server.name, route), []).append(result)
                    samples.setdefault((baseline.name, route), []).append(base)
                    log(f"round {round_index + 1}/{args.rounds} {server.name:16} {route:8} {result['rps']:9.0f} req/s "
                        f"{result['cpu_us_per_req']:7.1f} µs/req ({base['cpu_us_per_req']:5.1f} alongside, {pct(result['cpu_us_per_req'] / base['cpu_us_per_req'])})  "
                        f"foreign {result['foreign_cores']:.2f}  p99 {result['p99_ms']:.2f} ms  "
                        f"spans {result.get('spans_exported', result['sink_spans'])} dropped {result.get('spans_dropped', '-')}")

        once_samples = {}
        for server in once_servers:
            baseline = by_replica[(server.baseline, 0)]
            for route in server.routes:
                result, base = measure_paired(server, baseline, route, sink, args, cores, args.warmup)
                once_samples.setdefault((server.name, route), []).append(result)
                log(f"once {server.name:16} {route:8} {result['rps']:9.0f} req/s {result['cpu_us_per_req']:7.1f} µs/req "
                    f"({base['cpu_us_per_req']:5.1f} alongside)")

        os.makedirs(os.path.dirname(os.path.abspath(args.output)), exist_ok=True)
        with open(os.path.splitext(args.output)[0] + ".samples.json", "w") as f:
            json.dump({f"{k[0]}/{k[1]}": v for k, v in {**samples, **once_samples}.items()}, f, indent=1)
        summary = summarize(in_rounds, samples)
        once = summarize(once_servers, once_samples) if once_servers else {}
        meta = {
            "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
            "commit": subprocess.run(["git", "-C", ROOT, "describe", "--always", "--dirty"], capture_output=True, text=True).stdout.strip() or "unknown",
            "dotnet": subprocess.run(["dotnet", "--version"], capture_output=True, text=True).stdout.strip(),
            "cpus": os.cpu_count(),
            "pinning": ("server on core 0, wrk and sink on core 1" if cores.enabled else "not pinned") + (f", nice {args.nice}" if args.nice else ""),
            "threads": args.threads,
            "connections": args.connections,
            "rounds": args.rounds,
            "processes": args.processes,
            "duration": args.duration,
            "warmup": args.warmup,
            "mode": "quick" if args.quick else "full",
            "elapsed_min": (time.time() - started) / 60,
        }
        markdown = render(summary, meta, once)
        print(markdown)
        os.makedirs(os.path.dirname(os.path.abspath(args.output)), exist_ok=True)
        with open(args.output, "w") as f:
            f.write(markdown)
        with open(os.path.splitext(args.output)[0] + ".json", "w") as f:
            json.dump({"meta": meta, "summary": summary, "once": once,
                       "samples": {f"{k[0]}/{k[1]}": v for k, v in samples.items()}}, f, indent=1)
        log(f"written {args.output}")
    finally:
        if autogroup_nice is not None:
            set_autogroup_nice(autogroup_nice)
        for server in servers:
            server.stop()
        if sink is not None:
            sink.proc.send_signal(signal.SIGTERM)
            try:
                sink.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                sink.proc.kill()


if __name__ == "__main__":
    main()
