"""
server_bench: figures for issue 8 ("Benchmarks") -- breachclockd under wrk
on loopback, against a database of a million incidents, next to the
ceiling of libmicrohttpd on this machine.  Not part of meson test.

    tests/bench/run server [options]
    /usr/bin/python3 tests/bench/server_bench.py [options]

1. Seed: tests/bench/seed fills a fresh database (--incidents, default
   1,000,000) and prints rows/s.  With --db PATH, an existing database
   seeded earlier (tokens in PATH.tokens) is reused; a missing one is
   seeded there and kept.  The number of incidents and obligations in it
   is printed: the create benchmark adds incidents to a reused database,
   so one seeded with a million grows from run to run.  What the
   benchmarks read is then read once (--no-warm skips it) so that the
   runs measure the server, not the disk.
2. Ceiling: tests/bench/ceiling, a minimal libmicrohttpd program started
   with breachclockd's threading options, answers a fixed JSON body to
   every path; wrk runs the get benchmark's script against it.  It runs
   alongside the server, idle but for one run of it before each run of a
   benchmark.  Its body is about 400 bytes; list, list_due, dashboard and
   alerts answer 20 to 60 KB.  So after the runs of each of these, a
   second ceiling is started with one of that benchmark's bodies (its
   first path, fetched from the server) and run once with the
   benchmark's own wrk script, then stopped: the same-body ceiling.
3. The real server on the seeded database, the same wrk settings
   (--connections, --wrk-threads, --duration) for every run:
     get          GET /api/v1/incidents/{id}, random ids (a Lua script)
     list         GET /api/v1/incidents?status=..&risk=..&limit=50, a mix
                  of status/risk filters, first page
     list_due     GET /api/v1/incidents?due_before=<now + 7 days>&limit=50
     dashboard    GET /api/v1/obligations?state=pending&limit=50 (skipped
                  while the endpoint answers anything but 200)
     alerts       GET /api/v1/notifier/alerts?wait=0 (notifier token)
     create       POST /api/v1/incidents, durable, a unique
                  Idempotency-Key each; creates/s
   Each is run --repeat times (default 3) after --warmup seconds (default
   3) that are not counted; the median run by requests/s is reported.
   For each: requests/s, p50 and p99 latency (wrk --latency), the ratio
   to the ceiling (the median of each run's ratio to the ceiling run just
   before it: the machine's speed drifts by a tenth between minutes, and
   both runs of a pair see the same), non-2xx answers, the CPU time the
   server (or the ceiling) spent per request (/proc/PID/stat), and the
   server's peak RSS (VmHWM from /proc/PID/status) at the end.  For the
   four with a same-body ceiling, also that ceiling's requests/s and the
   benchmark's (median) requests/s as a share of it: information on what
   the size of the body costs, not a goal.
4. The goals of issue 8 are checked and printed: reads >= 50 % of the
   (small-body) ceiling, creates >= 2,000/s, list and dashboard p99 <
   20 ms, RSS < 64 MiB.  The machine's load average is printed before
   and after: figures taken on a busy machine are not comparable.

Prints one line per figure and a table; exits 0 even when a goal is not
met (the table says so).  Environment: BREACHCLOCKD, BC_SEED, BC_CEILING
(set by tests/bench/run from BUILD_DIR).
"""

import argparse
import json
import os
import re
import shutil
import sqlite3
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
BUILD = os.environ.get('BUILD_DIR') or os.path.join(REPO, 'build')
BIN = os.environ.get('BREACHCLOCKD') or os.path.join(
    BUILD, 'server', 'breachclockd')
SEED = os.environ.get('BC_SEED') or os.path.join(
    BUILD, 'tests', 'bench', 'seed')
CEILING = os.environ.get('BC_CEILING') or os.path.join(
    BUILD, 'tests', 'bench', 'ceiling')

READS = ('get', 'list', 'list_due', 'dashboard', 'alerts')
ALL = READS + ('create',)
LIST_FILTERS = ('status=investigating&risk=high', 'status=confirmed',
                'status=closed&risk=unlikely', 'risk=high')
CREATE_BODY = {
    'title': 'Benchmark: email sent to the wrong customer',
    'discovered_at': None,   # set to now - 1 h when the run starts
    'description': 'An account statement was emailed to the wrong '
                   'customer; the recipient was asked to delete it.',
    'cyber_incident': 'no', 'jurisdictions': ['GB'],
    'data_categories': ['basic_identifiers', 'financial'],
    'subject_categories': ['customers'], 'subjects_count': 1,
    'confidentiality_impact': True, 'encryption': 'none',
}


def loadavg():
    with open('/proc/loadavg') as f:
        return ' '.join(f.read().split()[:3])


def free_port():
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def wait_http(url, timeout=30):
    end = time.time() + timeout
    while time.time() < end:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError('%s did not answer' % url)


def fetch(url, token):
    """The HTTP status and the body of a GET of url."""
    req = urllib.request.Request(url, headers={
        'Authorization': 'Bearer ' + token})
    try:
        with urllib.request.urlopen(req, timeout=60) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


def status_of(url, token):
    return fetch(url, token)[0]


def start_ceiling(threads, body=None):
    """A ceiling process with -t threads (and -b body, a file) on a free
    port, answering; returns it and its base URL."""
    port = free_port()
    cmd = [CEILING, '-p', str(port), '-t', str(threads)]
    if body is not None:
        cmd += ['-b', body]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True)
    base = 'http://127.0.0.1:%d' % port
    try:
        proc.stdout.readline()   # port=P, once listening
        wait_http(base + '/')
    except BaseException:
        proc.kill()
        proc.wait()
        raise
    return proc, base


def vm(pid, key):
    """A /proc/PID/status figure in KiB."""
    with open('/proc/%d/status' % pid) as f:
        for line in f:
            if line.startswith(key + ':'):
                return int(line.split()[1])
    return 0


UNITS = {'us': 1e-3, 'ms': 1.0, 's': 1e3, 'm': 6e4}


def cpu_seconds(pid):
    """User and system CPU time of process pid so far, in seconds."""
    with open('/proc/%d/stat' % pid) as f:
        fields = f.read().rsplit(')', 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf('SC_CLK_TCK')


def to_ms(text):
    m = re.match(r'([0-9.]+)(us|ms|s|m)$', text)
    return float(m.group(1)) * UNITS[m.group(2)]


def parse_wrk(out):
    rps = float(re.search(r'Requests/sec:\s+([0-9.]+)', out).group(1))
    lat = dict(re.findall(r'^\s+(50|75|90|99)%\s+(\S+)\s*$', out, re.M))
    if '50' not in lat or '99' not in lat:
        raise RuntimeError('no latency distribution in wrk output:\n' + out)
    errors = 0
    m = re.search(r'Non-2xx or 3xx responses:\s+(\d+)', out)
    if m:
        errors += int(m.group(1))
    m = re.search(r'Socket errors: connect (\d+), read (\d+), write (\d+), '
                  r'timeout (\d+)', out)
    if m:
        errors += sum(int(x) for x in m.groups())
    total = int(re.search(r'(\d+) requests in', out).group(1))
    return {'rps': rps, 'p50': to_ms(lat['50']), 'p99': to_ms(lat['99']),
            'errors': errors, 'requests': total}


LUA_AUTH = 'wrk.headers["Authorization"] = "Bearer %s"\n'

# Each wrk thread its own random sequence (seeded alike, the two threads
# asked for the same ids in step).
LUA_SEED = '''
local threads = 0
setup = function(thread)
  threads = threads + 1
  thread:set("seed", threads)
end
init = function(args)
  math.randomseed(os.time() * 100 + seed)
end
'''

LUA_GET = LUA_SEED + '''
request = function()
  return wrk.format("GET", "/api/v1/incidents/" .. math.random(1, %d))
end
'''

LUA_PATHS = LUA_SEED + '''
local paths = { %s }
request = function()
  return wrk.format("GET", paths[math.random(1, #paths)])
end
'''

LUA_CREATE = '''
wrk.method = "POST"
wrk.body = %s
wrk.headers["Content-Type"] = "application/json"
local threads = 0
setup = function(thread)
  threads = threads + 1
  thread:set("tid", threads)
end
local n = 0
request = function()
  n = n + 1
  wrk.headers["Idempotency-Key"] = string.format("bench-%s-%%d-%%d", tid, n)
  return wrk.format()
end
done = function(summary, latency, requests)
  io.write(string.format("created: %%d\\n", summary.requests))
end
'''


def lua_str(s):
    return '"' + s.replace('\\', '\\\\').replace('"', '\\"') + '"'


class Bench:
    def __init__(self, args, tmp):
        self.args = args
        self.tmp = tmp
        self.results = {}
        self.ceiling_runs = []

    def wrk(self, url, script, name):
        path = os.path.join(self.tmp, name + '.lua')
        with open(path, 'w') as f:
            f.write(script)
        cmd = ['wrk', '-t%d' % self.args.wrk_threads,
               '-c%d' % self.args.connections,
               '-d%ds' % self.args.duration, '--latency',
               '--timeout', '10s', '-s', path, url]
        out = subprocess.run(cmd, capture_output=True, text=True,
                             timeout=self.args.duration + 120)
        if out.returncode != 0:
            raise RuntimeError('wrk failed: %s' % out.stderr)
        return parse_wrk(out.stdout)

    def warm(self, url, script, name):
        """Warm the server's and the kernel's caches; not counted."""
        if self.args.warmup > 0:
            saved = self.args.duration
            self.args.duration = self.args.warmup
            try:
                self.wrk(url, script, name)
            finally:
                self.args.duration = saved

    def run(self, name, i, url, script, pid):
        """One run; with the CPU time the server process (pid) spent per
        request, a figure that moves less with the machine's other load
        than requests/s do."""
        cpu = cpu_seconds(pid)
        r = self.wrk(url, script, name)
        r['cpu_us'] = ((cpu_seconds(pid) - cpu) * 1e6 /
                       max(r['requests'], 1))
        print('  %-10s run %d: %8.0f req/s  p50 %7.2f ms  p99 %7.2f ms'
              '  cpu %6.1f us/req  errors %d  (load %s)' % (
                  name, i + 1, r['rps'], r['p50'], r['p99'],
                  r['cpu_us'], r['errors'], loadavg()), flush=True)
        return r

    def repeat(self, name, url, script, pid, ceiling):
        """The median of --repeat runs, each right after a run of the
        ceiling (url, script, pid), so that both see the machine in the
        same state: the ratio is the median of the runs' ratios.  The
        ceiling's runs are kept in self.ceiling_runs."""
        runs = []
        self.warm(url, script, name)
        for i in range(self.args.repeat):
            c = self.run('(ceiling)', i, *ceiling)
            self.ceiling_runs.append(c)
            r = self.run(name, i, url, script, pid)
            r['ratio'] = r['rps'] / max(c['rps'], 1)
            runs.append(r)
        med = median_run(runs)
        med['ratio'] = statistics.median(r['ratio'] for r in runs)
        med['p99_max'] = max(r['p99'] for r in runs)
        return med


def median_run(runs):
    """The run with the median requests/s, and every run's."""
    runs = sorted(runs, key=lambda r: r['rps'])
    med = dict(runs[len(runs) // 2])
    med['runs'] = [round(r['rps']) for r in runs]
    return med


# What the benchmarks read, read once before the runs (warm_cache()).
WARM_TABLES = ('incidents', 'obligations')   # every column of every row
WARM_SQL = (
    "SELECT count(*) FROM obligations INDEXED BY obligations_due "
    "WHERE state > ''",
    "SELECT count(*) FROM obligations "
    "INDEXED BY obligations_state_status_due WHERE state > ''",
    "SELECT count(*) FROM obligations INDEXED BY obligations_incident "
    "WHERE incident_id > 0",
    "SELECT count(*) FROM obligations "
    "INDEXED BY obligations_pending_incident "
    "WHERE state = 'pending' AND incident_id > 0",
    "SELECT count(*) FROM obligations "
    "INDEXED BY obligations_regime_incident WHERE regime_id > ''",
    "SELECT count(*) FROM obligations "
    "INDEXED BY obligations_regime_state_status_due WHERE regime_id > ''",
    "SELECT count(*) FROM obligations "
    "INDEXED BY obligations_regime_status_incident WHERE regime_id > ''",
    "SELECT count(*) FROM incidents INDEXED BY incidents_status "
    "WHERE status > ''",
    "SELECT count(*) FROM incidents INDEXED BY incidents_status_risk "
    "WHERE status > ''",
    "SELECT count(*) FROM notifications",
    "SELECT count(*), sum(length(data)) FROM alerts",
    "SELECT count(*) FROM users",
    "SELECT count(*) FROM regimes",
)


def warm_cache(db):
    """Read what the benchmarks read (the incidents, obligations, alerts
    and their indexes), so that the runs measure the server and not the
    disk.  Not the whole file: the page cache of this VM holds about 7 GB,
    the seeded database is 6.5 GB (most of it the events, which no
    benchmark reads), and reading all of it pushed out the pages a random
    GET needs (2,000 req/s instead of 35,000 in the same run).  Twice, so
    that the kernel counts the pages as in use (its active list) and keeps
    them over pages read once."""
    start = time.time()
    conn = sqlite3.connect('file:%s?mode=ro' % db, uri=True)
    try:
        # Every column, so that SQLite reads each row's overflow pages too
        # (a read of an incident does).
        whole = tuple(
            'SELECT sum(%s) FROM %s' % (' + '.join(
                'coalesce(length(%s), 0)' % c[1] for c in
                conn.execute('PRAGMA table_info(%s)' % t)), t)
            for t in WARM_TABLES)
        for sql in (whole + WARM_SQL) * 2:
            t = time.time()
            try:
                conn.execute(sql).fetchall()
            except sqlite3.OperationalError as e:   # schema of an old seed
                print('  warming: skipped (%s): %s' % (e, sql[:60]))
                continue
            print('  warming the page cache: %.1f s  %s'
                  % (time.time() - t, sql[:60]), flush=True)
    finally:
        conn.close()
    print('page cache warmed in %.1f s' % (time.time() - start), flush=True)


def stop_and_clean(procs, tmp):
    """Stop procs (SIGTERM; SIGKILL after 10 s) and remove the directory
    tmp, unless BC_KEEP_TMP is set."""
    for p in procs:
        p.terminate()
        try:
            p.wait(timeout=10)
        except subprocess.TimeoutExpired:
            p.kill()
    if os.environ.get('BC_KEEP_TMP'):
        print('kept %s' % tmp)
    else:
        shutil.rmtree(tmp, ignore_errors=True)


def database_size(args, db):
    """Print how many incidents and obligations db holds (and whether
    that is what --incidents asks for); return both.  Neither table loses
    rows (the store deletes none, and retention anonymises), so max(id),
    one descent of the table's b-tree, is the count; count(*) would read
    a whole index, a second or more of disk on a cold cache."""
    conn = sqlite3.connect('file:%s?mode=ro' % db, uri=True)
    try:
        n = conn.execute('SELECT coalesce(max(id), 0) FROM incidents'
                         ).fetchone()[0]
        m = conn.execute('SELECT coalesce(max(id), 0) FROM obligations'
                         ).fetchone()[0]
    finally:
        conn.close()
    note = ''
    if n != args.incidents:
        note = (' (seeded with --incidents %d; the create benchmark adds '
                'incidents to a reused database: reseed for figures at '
                '%d)' % (args.incidents, args.incidents))
    print('database: %s incidents, %s obligations%s' % (
        format(n, ','), format(m, ','), note), flush=True)
    return {'incidents': n, 'obligations': m}


def seed(args, db):
    tokens = db + '.tokens'
    if os.path.exists(db) and os.path.exists(tokens):
        print('seed: reusing %s' % db, flush=True)
    else:
        for suffix in ('', '-wal', '-shm', '.tokens'):
            if os.path.exists(db + suffix):
                os.unlink(db + suffix)
        subprocess.run([SEED, '--db', db, '--incidents',
                        str(args.incidents), '--tokens', tokens],
                       check=True)
        # The seed leaves gigabytes of dirty pages: write them out now,
        # not during the durable creates.
        subprocess.run(['sync'], check=True)
    with open(tokens) as f:
        return json.load(f)


def same_body(bench, name, result, url, token, script, threads):
    """One run of script against a second ceiling that answers the body
    of url (fetched with token) to every request, for a benchmark (name)
    whose bodies are far larger than the ceiling's own; adds its
    requests/s and the body's size to result."""
    st, body = fetch(url, token)
    if st != 200 or len(body) > 1024 * 1024:   # the ceiling's BODY_MAX
        print('  %-10s same-body ceiling: skipped (%d, %d bytes)' % (
            name, st, len(body)), flush=True)
        return
    path = os.path.join(bench.tmp, name + '.body')
    with open(path, 'wb') as f:
        f.write(body)
    ceil, base = start_ceiling(threads, path)
    try:
        r = bench.run('(same-body)', 0, base, script, ceil.pid)
    finally:
        ceil.terminate()
        ceil.wait(timeout=10)
    result['same_body_rps'] = r['rps']
    result['same_body_bytes'] = len(body)
    print('  %-10s same-body ceiling: %s req/s for a %s-byte body; '
          '%s is %.0f %% of it' % (
              name, format(round(r['rps']), ','), format(len(body), ','),
              name, 100.0 * result['rps'] / max(r['rps'], 1)), flush=True)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[1])
    ap.add_argument('--incidents', type=int, default=1000000)
    ap.add_argument('--db', help='seeded database to reuse (or create)')
    ap.add_argument('--duration', type=int, default=10,
                    help='seconds per wrk run (default 10)')
    ap.add_argument('--connections', type=int, default=32)
    ap.add_argument('--wrk-threads', type=int, default=2)
    ap.add_argument('--threads', type=int, default=0,
                    help='breachclockd and ceiling worker threads '
                         '(default: the server default)')
    ap.add_argument('--repeat', type=int, default=3)
    ap.add_argument('--warmup', type=int, default=3,
                    help='seconds of unmeasured wrk before each benchmark')
    ap.add_argument('--only', default=','.join(ALL),
                    help='comma-separated: ' + ','.join(ALL))
    ap.add_argument('--json', help='write the figures to this file')
    ap.add_argument('--no-warm', action='store_true',
                    help='do not read the database into the page cache '
                         'first')
    args = ap.parse_args(argv)
    only = [x for x in args.only.split(',') if x]
    for x in only:
        if x not in ALL:
            ap.error('unknown benchmark %r' % x)
    if shutil.which('wrk') is None:
        print('server_bench: wrk is not installed (Debian package wrk)')
        return 1

    tmp = tempfile.mkdtemp(prefix='bc-bench-')
    procs = []
    try:
        print('load average before: %s' % loadavg(), flush=True)
        db = args.db or os.path.join(tmp, 'bench.db')
        tokens = seed(args, db)
        results = {'database': database_size(args, db)}
        if not args.no_warm:
            warm_cache(db)
        bench = Bench(args, tmp)

        # The ceiling.
        threads = args.threads
        # 4: breachclockd's default --threads
        ceil, base = start_ceiling(threads or 4)
        procs.append(ceil)
        print('ceiling (libmicrohttpd, fixed JSON body) pid %d, %s; '
              'a run of it before each run of a benchmark' % (ceil.pid, base),
              flush=True)
        # The same wrk script as the get benchmark (a Lua request() per
        # request, random paths): wrk shares the two cores, and its Lua
        # costs it a tenth more CPU a request than a fixed request does.
        ceiling = (base + '/',
                   LUA_AUTH % tokens['handler'] + LUA_GET % args.incidents,
                   ceil.pid)
        bench.warm(ceiling[0], ceiling[1], 'ceiling')

        # The real server.
        port = free_port()
        base = 'http://127.0.0.1:%d' % port
        log = open(os.path.join(tmp, 'server.log'), 'w')
        cmd = [BIN, '--db', db, '--listen', '127.0.0.1:%d' % port]
        if threads:
            cmd += ['--threads', str(threads)]
        srv = subprocess.Popen(cmd, stdout=log, stderr=log)
        procs.append(srv)
        wait_http(base + '/healthz')
        print('breachclockd pid %d, %s' % (srv.pid, ' '.join(cmd[1:])),
              flush=True)
        handler = LUA_AUTH % tokens['handler']
        now = time.time()
        due = time.strftime('%Y-%m-%dT%H:%M:%SZ',
                            time.gmtime(now + 7 * 86400))
        # The list-type benchmarks: who asks, and the paths asked for.
        lists = {
            'list': ('handler', ['/api/v1/incidents?%s&limit=50' % f
                                 for f in LIST_FILTERS]),
            'list_due': ('handler', ['/api/v1/incidents?due_before=%s'
                                     '&limit=50' % due]),
            'dashboard': ('handler',
                          ['/api/v1/obligations?state=pending&limit=50']),
            'alerts': ('notifier', ['/api/v1/notifier/alerts?wait=0']),
        }
        plans = {'get': (base, handler + LUA_GET % args.incidents)}
        for name, (who, paths) in lists.items():
            plans[name] = (base, LUA_AUTH % tokens[who] + LUA_PATHS %
                           ', '.join('"%s"' % p for p in paths))
        body = dict(CREATE_BODY)
        body['discovered_at'] = time.strftime(
            '%Y-%m-%dT%H:%M:%SZ', time.gmtime(now - 3600))
        plans['create'] = (base + '/api/v1/incidents', handler + LUA_CREATE % (
            lua_str(json.dumps(body)), int(now)))
        for name in only:
            if name in ('dashboard', 'list_due'):
                st = status_of(base + lists[name][1][0], tokens['handler'])
                if st != 200:
                    print('  %-10s skipped: the endpoint answers %d' %
                          (name, st), flush=True)
                    results[name] = {'skipped': st}
                    continue
            url, script = plans[name]
            r = bench.repeat(name, url, script, srv.pid, ceiling)
            r['rss_kib'] = vm(srv.pid, 'VmRSS')
            results[name] = r
            if name in lists:
                who, paths = lists[name]
                same_body(bench, name, r, base + paths[0], tokens[who],
                          script, threads or 4)
        hwm = vm(srv.pid, 'VmHWM')
        srv.terminate()
        srv.wait(timeout=30)
        procs.remove(srv)
        log.close()

        # The table and the goals.
        results['ceiling'] = median_run(bench.ceiling_runs)
        results['ceiling']['ratio'] = 1.0
        print()
        print('%-10s %10s %9s %9s %8s %10s %7s %11s' % (
            'benchmark', 'req/s', 'p50 ms', 'p99 ms', 'ceiling',
            'same-body', 'errors', 'cpu us/req'))
        for name in ('ceiling',) + ALL:
            r = results.get(name)
            if r is None:
                continue
            if 'skipped' in r:
                print('%-10s skipped (the endpoint answers %d)' % (
                    name, r['skipped']))
                continue
            same = ''
            if r.get('same_body_rps'):
                same = '%.0f%%' % (100.0 * r['rps'] / r['same_body_rps'])
            print('%-10s %10.0f %9.2f %9.2f %7.0f%% %10s %7d %11.1f' % (
                name, r['rps'], r['p50'], r['p99'],
                100.0 * r['ratio'], same, r['errors'], r['cpu_us']))
        print('server peak RSS (VmHWM): %.1f MiB' % (hwm / 1024.0))
        print('wrk: %d threads, %d connections, %d s, median of %d runs '
              '(ceiling: of all %d); ratio: the median of each run\'s to '
              'the ceiling run before it; same-body: the median run\'s '
              'to one run of a ceiling answering one of its bodies; '
              'server threads: %s' % (
                  args.wrk_threads, args.connections, args.duration,
                  args.repeat, len(bench.ceiling_runs),
                  threads or 'default'))
        print('load average after: %s' % loadavg())
        goals = []
        for name in READS:
            r = results.get(name)
            if r and 'rps' in r:
                goals.append(('%s >= 50%% of ceiling' % name,
                              r['ratio'] >= 0.5))
        for name in ('list', 'list_due', 'dashboard'):
            r = results.get(name)
            if r and 'rps' in r:
                goals.append(('%s p99 < 20 ms' % name, r['p99'] < 20.0))
        r = results.get('create')
        if r and 'rps' in r:
            goals.append(('creates >= 2000/s', r['rps'] >= 2000))
        goals.append(('server RSS < 64 MiB', hwm < 64 * 1024))
        for what, ok in goals:
            print('GOAL %-32s %s' % (what, 'met' if ok else 'NOT MET'))
        bad = [n for n in results if results[n].get('errors')]
        if bad:
            print('errors (non-2xx or socket) in: %s' % ', '.join(bad))
        if args.json:
            results['server_vmhwm_kib'] = hwm
            results['load_after'] = loadavg()
            with open(args.json, 'w') as f:
                json.dump(results, f, indent=1)
        return 0
    finally:
        stop_and_clean(procs, tmp)


if __name__ == '__main__':
    sys.exit(main())
