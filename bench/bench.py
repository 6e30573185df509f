#!/usr/bin/env python3
"""Load benchmark of Hyperspot.NET's tracing overhead, side by side with a stock OpenTelemetry set-up.

Started by bench/run (which installs wrk and builds everything first). Every server under test runs for the whole
benchmark, pinned to one core; wrk and the OTLP sink share the other. Scenarios are measured in interleaved
rounds (A B C ... A B C ...). Each window loads a Hyperspot scenario and its stock counterpart (the same route, doing
the same job) at the same time, each with its own wrk, so that both share the server core and whatever else the machine
is doing; the headline figure is the median over the windows of Hyperspot's CPU per request over the stock server's.
See docs/PERFORMANCE.md.

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

# name, kind (hyperspot|stock), config or stock server arguments, partner, routes, label.
# A Hyperspot scenario is measured in windows shared with its partner: the stock set-up doing the same job (or, for
# the unreachable backend, Hyperspot with tracing disabled). Stock scenarios are only measured as partners.
SCENARIOS = [
    ("disabled", "hyperspot", "disabled.yaml", "stock_off", (TRIVIAL, USERS), "Hyperspot, tracing disabled"),
    ("ratio001", "hyperspot", "ratio001.yaml", "stock_ratio001", (TRIVIAL, USERS), "Hyperspot, parentbased_ratio 0.01"),
    ("ratio01", "hyperspot", "ratio01.yaml", "stock_ratio01", (TRIVIAL, USERS), "Hyperspot, parentbased_ratio 0.1"),
    ("always_on", "hyperspot", "always_on.yaml", "stock_always_on", (TRIVIAL, USERS), "Hyperspot, always_on"),
    ("full", "hyperspot", "full.yaml", "stock_full", (TRIVIAL, USERS), "Hyperspot, full (always_on + request ids + headers + file log)"),
    ("metrics", "hyperspot", "metrics.yaml", "stock_metrics", (TRIVIAL, USERS), "Hyperspot, always_on + metrics"),
    ("unreachable", "hyperspot", "unreachable.yaml", "disabled", (TRIVIAL,), "Hyperspot, always_on, backend unreachable"),
    ("stock_off", "stock", "off", None, (TRIVIAL, USERS), "Stock, tracing disabled"),
    ("stock_ratio001", "stock", "parentbased_ratio:0.01", None, (TRIVIAL, USERS), "Stock, parentbased_ratio 0.01"),
    ("stock_ratio01", "stock", "parentbased_ratio:0.1", None, (TRIVIAL, USERS), "Stock, parentbased_ratio 0.1"),
    ("stock_always_on", "stock", "always_on", None, (TRIVIAL, USERS), "Stock, always_on"),
    ("stock_full", "stock", "always_on+log", None, (TRIVIAL, USERS), "Stock, full (always_on + Serilog request logging to a file)"),
    ("stock_metrics", "stock", "always_on+metrics", None, (TRIVIAL, USERS), "Stock, always_on + metrics"),
]
# Scenarios also measured in windows shared with Hyperspot's own tracing-disabled run, for the targets stated against it.
OWN_BASELINE = ("ratio001", "ratio01")
# Measured once, after the rounds, beside always_on: bytes per span with gzip.
ONCE = [("always_on_gzip", "hyperspot", "always_on_gzip.yaml", "always_on", (TRIVIAL, USERS), "Hyperspot, always_on, gzip export")]

PATHS = {
    ("hyperspot", TRIVIAL): "/examples/v1/upstream/data",
    ("hyperspot", USERS): "/examples/v1/users/42",
    ("stock", TRIVIAL): "/upstream/data",
    ("stock", USERS): "/users/42",
}

# scenario: (CPU per request ÷ the stock counterpart at most, above own disabled at most or None, note)
TARGETS = {
    "disabled": (1.02, None, ""),
    "ratio001": (0.97, 0.03, ""),
    "ratio01": (0.97, 0.06, ""),
    "always_on": (1.00, None, "and 0 spans dropped (aim: 0.95×)"),
    "full": (0.75, None, ""),
    "metrics": (1.00, None, ""),
}
RSS_MARGIN_MB = 20  # peak RSS at most the stock counterpart's plus this


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
        self.name, self.kind, self.config, self.partner, self.routes, self.label = spec
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
            if extra == "log":
                command += ["--log-file", os.path.join(home, "logs", "stock.log")]
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


def measure_pair(server, partner, route, sink, args, cores, warmup):
    """A window of two servers loaded at the same time; each result carries the other's figures of that window,
    which the ratios are taken against."""
    result, other = measure([server, partner], route, sink, args, cores, warmup)
    result["partner"] = {key: other[key] for key in RATIO_KEYS}
    other["partner"] = {key: result[key] for key in RATIO_KEYS}
    return result, other


def median(values):
    values = [v for v in values if v is not None and v == v]
    return statistics.median(values) if values else None


def quartiles(values):
    """The 25th and 75th percentiles (None with fewer than four values)."""
    values = sorted(v for v in values if v is not None and v == v)
    if len(values) < 4:
        return None
    q = statistics.quantiles(values, n=4)
    return q[0], q[2]


def ratios_of(rows, key):
    return [r[key] / r["partner"][key] for r in rows if r.get(key) is not None and r["partner"].get(key)]


def summarize(servers, rows_of):
    """rows_of[(name, route)] = the results of the windows a scenario's row is made of (each with its partner's)."""
    summary = {}
    groups = {}
    for server in servers:
        groups.setdefault(server.name, []).append(server)
    for name, group in groups.items():
        server = group[0]
        for route in server.routes:
            rows = rows_of.get((name, route), [])
            if not rows:
                continue
            entry = {"label": server.label, "kind": server.kind, "partner": server.partner, "windows": len(rows)}
            for key in RATIO_KEYS:
                entry[key] = median([r[key] for r in rows])
                ratios = ratios_of(rows, key)
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
            summary[f"{name}/{route}"] = entry
    return summary


def add_own_overheads(summary, own_rows):
    """The overhead against the set-up's own tracing-disabled run: the median of paired windows where they were
    measured (OWN_BASELINE), otherwise the ratio of the two rows' medians, which come from different windows."""
    for key, entry in summary.items():
        name, route = key.split("/")
        rows = own_rows.get((name, route))
        if rows:
            ratios = ratios_of(rows, "cpu_us_per_req")
            entry["own_ratio"], entry["own_ratios"], entry["own_paired"] = median(ratios), ratios, True
            continue
        base = summary.get(f"{'stock_off' if entry['kind'] == 'stock' else 'disabled'}/{route}")
        if base and base is not entry and base["cpu_us_per_req"] and entry["cpu_us_per_req"]:
            entry["own_ratio"], entry["own_ratios"], entry["own_paired"] = entry["cpu_us_per_req"] / base["cpu_us_per_req"], [], False


def times(ratio):
    return "–" if ratio is None else f"{ratio:.2f}×"


def spread_times(ratios):
    q = quartiles(ratios)
    return f"{q[0]:.2f}–{q[1]:.2f}" if q else "–"


def pct(ratio):
    if ratio is None:
        return ""
    return f"{(ratio - 1) * 100:+.1f}%"


def spread(ratios):
    q = quartiles(ratios)
    return f"{pct(q[0])} to {pct(q[1])}" if q else "–"


def fmt(value, digits=1):
    if value is None:
        return "–"
    if isinstance(value, float) and value >= 1000:
        return f"{value:,.0f}"
    return f"{value:.{digits}f}"


def own_column(entry):
    if entry.get("own_ratio") is None:
        return "–"
    return pct(entry["own_ratio"]) + ("" if entry.get("own_paired") else " ¹")


ROUTE_TITLES = (
    (TRIVIAL, "Trivial traced route (`/examples/v1/upstream/data`; stock: `/upstream/data`), 1 span per request"),
    (USERS, "`/examples/v1/users/{id}` (process_user span + traced outgoing call to the stand-in upstream; stock: `/users/{id}`)"),
)


def render_rows(lines, summary, route):
    lines.append("| scenario | **CPU ÷ stock** (middle half) | CPU µs/req | vs own disabled | req/s | p50 ms | p99 ms | core busy | peak RSS MB | spans/req | spans exported | spans dropped | bytes/span |")
    lines.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for key, e in summary.items():
        if not key.endswith("/" + route):
            continue
        versus_stock = e["partner"] or ""
        headline = (f"**{times(e['cpu_us_per_req_ratio'])}** ({spread_times(e['cpu_us_per_req_ratios'])})"
                    if versus_stock.startswith("stock_") else "–")
        lines.append(
            f"| {e['label']} | {headline} | {fmt(e['cpu_us_per_req'])} | {own_column(e)} | {fmt(e['rps'], 0)} "
            f"| {fmt(e['p50_ms'], 2)} | {fmt(e['p99_ms'], 2)} | {e['cpu_util'] * 100:.0f}% | {fmt(e['peak_rss_mb'], 0)} "
            f"| {fmt(e['spans_per_req'], 2)} | {e['spans_exported']:,} "
            f"| {'–' if e['spans_dropped'] is None else format(e['spans_dropped'], ',')} | {fmt(e['bytes_per_span'], 0)} |")
    lines.append("")


def verdicts(summary):
    """(scenario label, route, target text, measured text, met) for every target that was measured."""
    out = []
    for name, (limit, own_limit, note) in TARGETS.items():
        for route in (TRIVIAL, USERS):
            e = summary.get(f"{name}/{route}")
            if not e or not (e["partner"] or "").startswith("stock_"):
                continue
            ratio = e["cpu_us_per_req_ratio"]
            ok = ratio is not None and ratio <= limit
            target = f"≤ {limit:.2f}× stock"
            measured = f"{times(ratio)} ({spread_times(e['cpu_us_per_req_ratios'])})"
            if own_limit is not None:
                own = e.get("own_ratio")
                ok = ok and own is not None and own - 1 <= own_limit
                target += f"; ≤ +{own_limit * 100:.0f}% own disabled"
                measured += f"; {own_column(e)} ({spread(e.get('own_ratios') or [])})"
            if name == "always_on":
                dropped = e["spans_dropped"] or 0
                ok = ok and dropped == 0
                target += " " + note
                measured += f"; {dropped:,} dropped"
            out.append((e["label"], route, target, measured, ok))
    for key, e in summary.items():
        stock = summary.get(f"{e['partner']}/{key.split('/')[1]}") if e["kind"] == "hyperspot" and (e["partner"] or "").startswith("stock_") else None
        if stock and e["peak_rss_mb"] and stock["peak_rss_mb"]:
            ok = e["peak_rss_mb"] <= stock["peak_rss_mb"] + RSS_MARGIN_MB
            out.append((e["label"], key.split("/")[1], f"peak RSS ≤ stock + {RSS_MARGIN_MB} MB",
                        f"{e['peak_rss_mb']:.0f} MB against {stock['peak_rss_mb']:.0f} MB", ok))
    return out


def render(summary, meta, once, compared):
    lines = []
    lines.append(f"# Benchmark results ({meta['date']})")
    lines.append("")
    lines.append(f"Commit `{meta['commit']}`, .NET {meta['dotnet']}, {meta['cpus']} cores ({meta['pinning']}), "
                 f"wrk -t{meta['threads']} -c{meta['connections']}, {meta['processes']} server process{'es' if meta['processes'] != 1 else ''} per scenario, "
                 f"{meta['rounds']} interleaved rounds of {meta['duration']} s "
                 f"per window (after {meta['warmup']} s warm-up each), {meta['mode']} mode, total {meta['elapsed_min']:.1f} min.")
    lines.append("Each window loads a Hyperspot scenario and its stock counterpart (the same route, doing the same job) at the "
                 "same time, each with its own wrk, on the one server core; so req/s and core busy are each server's share "
                 "of that core. Values are medians over the windows. **CPU ÷ stock** is the median of the per-window ratios "
                 "of CPU per request, Hyperspot over stock, with the 25th to 75th percentile of those ratios. "
                 "\"vs own disabled\" is the CPU per request against the same set-up with tracing disabled: from windows "
                 "shared with it where a target is stated that way (the ratio rows), otherwise (¹) the ratio of the two "
                 "rows' medians, from different windows and so noisier.")
    lines.append("")
    for route, title in ROUTE_TITLES:
        if not any(k.endswith("/" + route) for k in summary):
            continue
        lines.append(f"## {title}")
        lines.append("")
        render_rows(lines, summary, route)
    results = verdicts(summary)
    if results:
        lines.append("## Targets (CPU per request, paired windows, medians over the windows)")
        lines.append("")
        lines.append("| scenario | route | target | measured (middle half) | result |")
        lines.append("|---|---|---|---|---|")
        for label, route, target, measured, ok in results:
            lines.append(f"| {label} | {route} | {target} | {measured} | {'met' if ok else 'MISSED'} |")
        lines.append("")
    if compared:
        lines.append("## Against the compared build (same scenario, paired windows)")
        lines.append("")
        lines.append("| scenario | route | this build µs/req | compared build µs/req | this ÷ compared (middle half) |")
        lines.append("|---|---|---|---|---|")
        for key, e in compared.items():
            lines.append(f"| {e['label']} | {key.split('/')[1]} | {fmt(e['partner_cpu'])} | {fmt(e['cpu_us_per_req'])} "
                         f"| {times(e['this_ratio'])} ({spread_times(e['this_ratios'])}) |")
        lines.append("")
    unreachable = summary.get(f"unreachable/{TRIVIAL}")
    if unreachable:
        lines.append("## Backend unreachable (always_on, exporting to a closed port for the whole run)")
        lines.append("")
        lines.append(f"RSS after each round: {', '.join(str(v) for v in unreachable['rss_per_round_mb'])} MB (peak {fmt(unreachable['peak_rss_mb'], 0)} MB); "
                     f"spans dropped in the measured windows: {unreachable['spans_dropped']:,}; spans exported: {unreachable['spans_exported']:,}; "
                     f"CPU per request {pct(unreachable['cpu_us_per_req_ratio'])} against tracing disabled in the same windows.")
        lines.append("")
    if once:
        lines.append("## Export compression (measured once, beside always_on without it)")
        lines.append("")
        lines.append("| route | none: bytes/span | gzip: bytes/span | gzip CPU per request against none (one window) |")
        lines.append("|---|---|---|---|")
        for route in (TRIVIAL, USERS):
            none = summary.get(f"always_on/{route}")
            gz = once.get(f"always_on_gzip/{route}")
            if none and gz:
                lines.append(f"| {route} | {fmt(none['bytes_per_span'], 0)} | {fmt(gz['bytes_per_span'], 0)} | {pct(gz['cpu_us_per_req_ratio'])} |")
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
    parser.add_argument("--only", help="comma-separated Hyperspot scenario names (their partners are added)")
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
    parser.add_argument("--no-stock", action="store_true",
                        help="leave the stock set-up out (scenarios are then paired with Hyperspot's tracing-disabled run; "
                             "with --compare, only the comparison with the other build is measured)")
    parser.add_argument("--compare", metavar="DIR",
                        help="also run the Hyperspot scenarios with another build of the server (a directory holding "
                             "Hyperspot.Server), each in windows shared with the same scenario on this build: an A/B of a change")
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
    if args.no_stock:
        specs = [s[:3] + (None if s[0] == "disabled" else ("disabled" if (s[3] or "").startswith("stock_") else s[3]),) + s[4:] for s in specs]
        if args.compare:
            specs = [s[:3] + (None,) + s[4:] for s in specs]
    once_specs = [] if args.no_once else ONCE
    if args.compare:
        specs = specs + [("before_" + s[0], s[1], s[2], None, s[4], "Before: " + s[5])
                         for s in SCENARIOS if s[1] == "hyperspot" and s[0] != "unreachable"]
    if args.only:
        wanted = set(args.only.split(","))
        wanted |= {"before_" + w for w in wanted}
        if any(w in OWN_BASELINE for w in wanted) and not args.compare:
            wanted.add("disabled")
        wanted |= {s[3] for s in specs + once_specs if s[0] in wanted and s[3]}
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

        # The windows of a round: each Hyperspot scenario beside its partner (the stock counterpart), beside its own
        # tracing-disabled run where a target is stated that way, and beside the compared build's same scenario.
        names = {server.name for server in in_rounds}
        windows = []
        for spec in specs:
            name, kind, _, partner = spec[:4]
            if kind != "hyperspot" or name.startswith("before_"):
                continue
            if partner in names:
                windows.append((name, partner, "row"))
            if name in OWN_BASELINE and "disabled" in names and partner != "disabled" and not args.compare:
                windows.append((name, "disabled", "own"))
            if "before_" + name in names:
                windows.append((name, "before_" + name, "before"))
        by_replica = {(server.name, server.replica): server for server in in_rounds}
        rows_of, own_rows, before_rows, samples = {}, {}, {}, []
        for round_index in range(args.rounds):
            replica = round_index % args.processes
            for name, partner_name, purpose in windows:
                server, partner = by_replica[(name, replica)], by_replica[(partner_name, replica)]
                for route in server.routes:
                    if route not in partner.routes:
                        continue
                    result, other = measure_pair(server, partner, route, sink, args, cores, args.warmup)
                    samples.append({"round": round_index, "route": route, "purpose": purpose,
                                    "servers": [name, partner_name], "results": [result, other]})
                    if purpose == "row":
                        rows_of.setdefault((name, route), []).append(result)
                        if partner.kind == "stock":
                            rows_of.setdefault((partner_name, route), []).append(other)
                    elif purpose == "own":
                        own_rows.setdefault((name, route), []).append(result)
                    else:
                        before_rows.setdefault((partner_name, route), []).append(other)
                    log(f"round {round_index + 1}/{args.rounds} {name:12} {route:8} {result['rps']:8.0f} req/s "
                        f"{result['cpu_us_per_req']:6.1f} µs/req, {partner_name} alongside {other['cpu_us_per_req']:6.1f} "
                        f"({result['cpu_us_per_req'] / other['cpu_us_per_req']:.3f}×)  foreign {result['foreign_cores']:.2f}  "
                        f"p99 {result['p99_ms']:.2f} ms  spans {result.get('spans_exported', result['sink_spans'])} dropped {result.get('spans_dropped', '-')}")

        once_rows = {}
        for server in once_servers:
            partner = by_replica.get((server.partner, 0))
            if partner is None:
                continue
            for route in server.routes:
                result, other = measure_pair(server, partner, route, sink, args, cores, args.warmup)
                once_rows.setdefault((server.name, route), []).append(result)
                samples.append({"round": "once", "route": route, "purpose": "once", "servers": [server.name, partner.name],
                                "results": [result, other]})
                log(f"once {server.name:16} {route:8} {result['rps']:9.0f} req/s {result['cpu_us_per_req']:7.1f} µs/req "
                    f"({other['cpu_us_per_req']:5.1f} alongside)")

        os.makedirs(os.path.dirname(os.path.abspath(args.output)), exist_ok=True)
        with open(os.path.splitext(args.output)[0] + ".samples.json", "w") as f:
            json.dump(samples, f, indent=1)
        summary = summarize([s for s in in_rounds if not s.name.startswith("before_")], rows_of)
        add_own_overheads(summary, own_rows)
        once = summarize(once_servers, once_rows) if once_servers else {}
        compared = summarize([s for s in in_rounds if s.name.startswith("before_")], before_rows)
        for entry in compared.values():
            entry["this_ratios"] = [1 / r for r in entry["cpu_us_per_req_ratios"] if r]
            entry["this_ratio"] = median(entry["this_ratios"])
            entry["partner_cpu"] = entry["cpu_us_per_req"] / entry["cpu_us_per_req_ratio"] if entry["cpu_us_per_req_ratio"] else None
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
        markdown = render(summary, meta, once, compared)
        print(markdown)
        os.makedirs(os.path.dirname(os.path.abspath(args.output)), exist_ok=True)
        with open(args.output, "w") as f:
            f.write(markdown)
        with open(os.path.splitext(args.output)[0] + ".json", "w") as f:
            json.dump({"meta": meta, "summary": summary, "once": once, "compared": compared,
                       "verdicts": [{"scenario": v[0], "route": v[1], "target": v[2], "measured": v[3], "met": v[4]}
                                    for v in verdicts(summary)]}, f, indent=1)
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
