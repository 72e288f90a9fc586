#!/usr/bin/env python3
"""Cold-start probe for a Lambda custom-runtime `bootstrap` (used by measure-cold-start.sh).

Serves a minimal Lambda Runtime API (cloud.md section 5) on 127.0.0.1, starts the bootstrap
with AWS_LAMBDA_RUNTIME_API pointing at it and measures, on one monotonic clock:
  init  = exec of the bootstrap -> its first GET /2018-06-01/runtime/invocation/next
  first = that GET answered with an S3 test event -> the bootstrap's POST .../response or /error
Then the next GET is held open and the bootstrap is stopped. Peak RSS comes from wait4().
Exit status: 0 all runs reached the Runtime API; 2 the bootstrap exited or timed out without
calling it (e.g. a placeholder); 3 it posted /runtime/init/error.
"""
import argparse
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PREFIX = "/2018-06-01/runtime"
# The one-off message S3 sends when a notification is configured (cloud.md 4.1): handlers ignore it.
TEST_EVENT = {"Service": "Amazon S3", "Event": "s3:TestEvent", "Time": "2026-01-01T00:00:00.000Z",
              "Bucket": "wibl-incoming", "RequestId": "COLDSTART", "HostId": "probe"}


class Probe:
    def __init__(self):
        self.lock = threading.Lock()
        self.first_next = None      # monotonic ns of the first GET next
        self.answered = None        # monotonic ns of the POST response/error
        self.answer_kind = None
        self.init_error = None
        self.next_count = 0
        self.stop = threading.Event()
        self.reached = threading.Event()   # first GET next arrived
        self.done = threading.Event()      # invocation answered or init error


def make_handler(probe):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            pass

        def reply(self, status, body=b"", headers=None):
            try:
                self.send_response(status)
                for k, v in (headers or {}).items():
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass    # the bootstrap was stopped

        def do_GET(self):
            if self.path != PREFIX + "/invocation/next":
                return self.reply(404, b'{"errorType":"NotFound"}')
            now = time.monotonic_ns()
            with probe.lock:
                probe.next_count += 1
                first = probe.next_count == 1
                if first:
                    probe.first_next = now
            if first:
                probe.reached.set()
                deadline_ms = int(time.time() * 1000) + 60_000
                return self.reply(200, json.dumps(TEST_EVENT).encode(), {
                    "Content-Type": "application/json",
                    "Lambda-Runtime-Aws-Request-Id": "coldstart-1",
                    "Lambda-Runtime-Deadline-Ms": str(deadline_ms),
                    "Lambda-Runtime-Invoked-Function-Arn":
                        "arn:aws:lambda:us-east-2:123456789012:function:coldstart-probe",
                    "Lambda-Runtime-Trace-Id": "Root=1-00000000-000000000000000000000000;Sampled=0",
                })
            probe.stop.wait(30)     # later GETs: hold, as Lambda does between invocations,
            self.close_connection = True    # then drop them: the bootstrap is being stopped
            return None

        def do_POST(self):
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            now = time.monotonic_ns()
            if self.path == PREFIX + "/init/error":
                probe.init_error = body.decode(errors="replace")
                probe.done.set()
                return self.reply(202, b'{"status":"OK"}')
            for kind in ("response", "error"):
                if self.path == f"{PREFIX}/invocation/coldstart-1/{kind}":
                    with probe.lock:
                        if probe.answered is None:
                            probe.answered, probe.answer_kind = now, kind
                    probe.done.set()
                    return self.reply(202, b'{"status":"OK"}')
            return self.reply(400, b'{"errorMessage":"Invalid request ID","errorType":"InvalidRequestID"}')

    return Handler


def run_once(bootstrap, handler, timeout, extra_env):
    probe = Probe()
    server = ThreadingHTTPServer(("127.0.0.1", 0), make_handler(probe))
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    port = server.server_address[1]
    env = {
        "PATH": "/usr/local/bin:/usr/bin:/bin", "LANG": "en_US.UTF-8", "TZ": ":UTC",
        "AWS_LAMBDA_RUNTIME_API": f"127.0.0.1:{port}", "_HANDLER": handler,
        "LAMBDA_TASK_ROOT": os.path.dirname(bootstrap), "LAMBDA_RUNTIME_DIR": "/var/runtime",
        "AWS_REGION": "us-east-2", "AWS_DEFAULT_REGION": "us-east-2",
        "AWS_LAMBDA_FUNCTION_NAME": "coldstart-probe", "AWS_LAMBDA_FUNCTION_VERSION": "$LATEST",
        "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "2048",
        "AWS_LAMBDA_LOG_GROUP_NAME": "/aws/lambda/coldstart-probe", "AWS_LAMBDA_LOG_STREAM_NAME": "probe",
        "AWS_ACCESS_KEY_ID": "AKIDCOLDSTARTPROBE", "AWS_SECRET_ACCESS_KEY": "coldstart-probe-secret",
        "AWS_SESSION_TOKEN": "coldstart-probe-token",
        "STAGING_BUCKET": "wibl-staging", "PROVIDER_ID": "PROBE", "PROVIDER_AUTH": "coldstart-probe-auth",
        "UPLOAD_POINT": "http://127.0.0.1:9/", "LOG_LEVEL": "info",
    }
    env.update(extra_env)
    out = tempfile.TemporaryFile()
    t0 = time.monotonic_ns()
    proc = subprocess.Popen([bootstrap], env=env, cwd=os.path.dirname(bootstrap),
                            stdout=out, stderr=subprocess.STDOUT)
    result = {"exit": None, "init_ms": None, "first_ms": None, "kind": None, "rss_kb": None}

    def reap(block):
        """wait4() the child ourselves (not Popen) to get its peak RSS; True once it has exited."""
        if result["exit"] is not None:
            return True
        pid, status, usage = os.wait4(proc.pid, 0 if block else os.WNOHANG)
        if pid == 0:
            return False
        result["exit"] = os.waitstatus_to_exitcode(status)
        result["rss_kb"] = usage.ru_maxrss
        return True

    end = time.monotonic() + timeout
    while time.monotonic() < end and not probe.reached.is_set() and not reap(False) \
            and probe.init_error is None:
        probe.reached.wait(0.005)
    if probe.reached.is_set():
        result["init_ms"] = (probe.first_next - t0) / 1e6
        probe.done.wait(max(0.0, end - time.monotonic()))
        if probe.answered is not None:
            result["first_ms"] = (probe.answered - probe.first_next) / 1e6
            result["kind"] = probe.answer_kind
    if not reap(False):
        proc.send_signal(signal.SIGTERM)
        stop_by = time.monotonic() + 2
        while not reap(False) and time.monotonic() < stop_by:
            time.sleep(0.01)
        if not reap(False):
            proc.kill()
            reap(True)
    proc.returncode = result["exit"]    # tell Popen the child is gone
    result["init_error"] = probe.init_error
    probe.stop.set()
    server.shutdown()
    server.server_close()
    out.seek(0)
    result["output"] = out.read().decode(errors="replace")
    return result


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("bootstrap", help="a bootstrap executable, or a deployment zip holding one")
    ap.add_argument("--handler", default="process")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--timeout", type=float, default=10.0, help="seconds to wait per run")
    ap.add_argument("--env", action="append", default=[], help="extra KEY=VALUE for the bootstrap")
    args = ap.parse_args()
    extra = dict(kv.split("=", 1) for kv in args.env)

    workdir = tempfile.TemporaryDirectory(prefix="wibl-coldstart-")
    path = args.bootstrap
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as z:
            if "bootstrap" not in z.namelist():
                print(f"measure-cold-start: {path} has no 'bootstrap' at its root", file=sys.stderr)
                return 1
            z.extractall(workdir.name)    # as in /var/task
        path = os.path.join(workdir.name, "bootstrap")
        os.chmod(path, 0o755)
    path = os.path.abspath(path)
    if not os.access(path, os.X_OK):
        print(f"measure-cold-start: {path} is not executable", file=sys.stderr)
        return 1

    inits = []
    for i in range(1, args.runs + 1):
        r = run_once(path, args.handler, args.timeout, extra)
        rss = f", peak RSS {r['rss_kb'] / 1024:.1f} MiB" if r["rss_kb"] else ""
        if r["init_error"] is not None:
            print(f"run {i}: the bootstrap reported an initialisation error: {r['init_error']}")
            print(r["output"][-2000:])
            return 3
        if r["init_ms"] is None:
            how = (f"exited with status {r['exit']}" if r["exit"] is not None and r["exit"] >= 0
                   else f"was still running after {args.timeout:g} s")
            print(f"run {i}: the bootstrap {how} without calling the Runtime API "
                  f"(GET {PREFIX}/invocation/next): no cold start to measure. A placeholder main "
                  f"does this; the real runtime loop must call the API. Its output:")
            print("  " + (r["output"].strip()[-2000:].replace("\n", "\n  ") or "(none)"))
            return 2
        inits.append(r["init_ms"])
        first = (f"first invocation (s3:TestEvent) answered by POST .../{r['kind']} after {r['first_ms']:.1f} ms"
                 if r["first_ms"] is not None else "first invocation not answered before the timeout")
        print(f"run {i}: init {r['init_ms']:.1f} ms (exec -> first GET next); {first}{rss}")
    print(f"cold start (exec -> first GET next) over {len(inits)} runs: "
          f"min {min(inits):.1f} ms, median {statistics.median(inits):.1f} ms, max {max(inits):.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
