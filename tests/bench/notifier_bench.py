"""
notifier_bench: figures for issue 4 ("Benchmarks"), with the real
breachclockd, the real breachclock-notifier and a real SMTP server
(tests/notifier/smtp_sink.py in its own process).  Not part of meson test.

    tests/bench/run [latency|throughput|all] [options]
    /usr/bin/python3 tests/bench/notifier_bench.py [latency|throughput|all]

latency     N obligations (default 200) of a 1-hour test regime whose only
            ladder step is t-1m, aware_at staggered so that the step
            instants land on distinct seconds over --spread seconds
            (default N).  Latency = the SMTP server's acceptance time minus
            the step's instant.  Goal: median < 2 s, max <= one poll
            interval (--poll-wait, default 30 s).
throughput  --alerts (default 10,000) alerts queued before the notifier
            starts: incidents logged late (aware 2 h ago) against K test
            regimes, so each incident has K collapsed ladder alerts plus its
            incident.reported alert; one recipient (the DPO) each.  Then
            the notifier is started and the time to deliver them all is
            measured.  Goal: >= 200 messages/s.

Each prints one summary line "BENCH <name>: ..." (and details before it).
Environment: BREACHCLOCKD, BC_NOTIFIER as for the tests; BC_KEEP_TMP=1.
"""

import argparse
import concurrent.futures
import datetime
import os
import signal
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), 'notifier'))
import fixture  # noqa: E402
import smtp_sink  # noqa: E402
from fixture import epoch, now, ts  # noqa: E402


class SinkProc:
    """smtp_sink.py in a process of its own (off this one's GIL)."""

    def __init__(self, folder):
        self.folder = folder
        os.makedirs(folder, exist_ok=True)
        self.port = smtp_sink.free_port()
        self.proc = subprocess.Popen(
            [sys.executable, os.path.join(os.path.dirname(
                smtp_sink.__file__), 'smtp_sink.py'), '--dir', folder,
             '--port', str(self.port)], stdout=subprocess.PIPE, text=True)
        line = self.proc.stdout.readline()
        if not line.startswith('listening'):
            raise RuntimeError('smtp_sink did not start: %r' % line)

    def count(self):
        return sum(1 for n in os.listdir(self.folder) if n.endswith('.json'))

    def messages(self):
        return smtp_sink.load_folder(self.folder)

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def world(ladder, regimes):
    w = fixture.World(
        ladder=ladder, regimes=regimes, sink=False, log_level='info',
        escalation_extra={'security_team': [], 'leadership': [],
                          'admins': []})
    w.sink = None
    s = SinkProc(os.path.join(w.tmp, 'mail'))
    w.sink = s
    return w


def pct(xs, p):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100.0 * (len(xs) - 1))))]


def bench_latency(a):
    n, spread = a.count, a.spread or a.count
    w = world(['t-1m'], {'bench_latency': 1})
    ok = False
    try:
        notifier = w.notifier('bench', poll_wait=a.poll_wait)
        t0 = now() + datetime.timedelta(seconds=a.lead)
        instants = {}
        created = time.monotonic()
        for i in range(n):
            step = t0 + datetime.timedelta(seconds=int(i * spread / n))
            aware = step + datetime.timedelta(seconds=60 - 3600)
            inc = w.incident(aware, title='Latency %d' % i, assignee=None)
            instants[inc['id']] = step.timestamp()
        print('latency: %d incidents created in %.1f s; step instants %s '
              '.. %s (poll wait %d s)' % (
                  n, time.monotonic() - created, ts(t0),
                  ts(t0 + datetime.timedelta(seconds=spread)), a.poll_wait),
              flush=True)
        if now() >= t0:
            print('latency: WARNING creation overran the lead time; raise '
                  '--lead', flush=True)
        ladder = {}
        deadline = time.time() + (t0.timestamp() - time.time()) + spread + \
            a.poll_wait + 60
        while time.time() < deadline:
            ladder = {x['id']: x for x in w.alerts()
                      if x['kind'] == 'ladder'}
            if len(ladder) == n and all(x['state'] == 'sent'
                                        for x in ladder.values()):
                break
            time.sleep(2)
        time.sleep(1)
        got = {}
        for m in w.sink.messages():
            aid = fixture.alert_id_of(m)
            if aid in ladder:
                got.setdefault(aid, []).append(m.received_at)
        lat = []
        for aid, x in ladder.items():
            step_at = epoch(x['send_at'])
            assert abs(step_at - instants[x['incident_id']]) < 1, x
            if aid in got:
                lat.append(max(got[aid]) - step_at)
        missing = n - len(lat)
        if not lat:
            raise RuntimeError('no ladder message arrived' + w.diag())
        print('latency: %d/%d alerts arrived; p50 %.2f s, p90 %.2f s, '
              'p99 %.2f s, min %.2f s' % (
                  len(lat), n, statistics.median(lat), pct(lat, 90),
                  pct(lat, 99), min(lat)))
        line = ('BENCH latency: median %.2f s, max %.2f s over %d alerts '
                '(%d missing; poll interval %d s; goal median < 2 s, max '
                '<= %d s) -> %s' % (
                    statistics.median(lat), max(lat), len(lat), missing,
                    a.poll_wait, a.poll_wait,
                    'MET' if statistics.median(lat) < 2 and
                    max(lat) <= a.poll_wait and not missing else 'NOT MET'))
        rc = notifier.stop()
        ok = rc == 0
        return line
    finally:
        w.sink.stop()
        w.sink = None
        w.close(ok)


def bench_throughput(a):
    k = a.regimes
    per = k + 1
    n_inc = (a.alerts + per - 1) // per
    w = world(['applies', 't-1m', 'overdue'],
              {'bench_tp_%d' % j: 1 for j in range(k)})
    ok = False
    try:
        aware = now() - datetime.timedelta(hours=2)
        t = time.monotonic()

        def make(i):
            return w.incident(aware, title='Throughput %d' % i,
                              assignee=None)['id']
        with concurrent.futures.ThreadPoolExecutor(8) as ex:
            ids = list(ex.map(make, range(n_inc)))
        created = time.monotonic() - t
        due = [x for x in w.alerts() if x['state'] == 'queued' and
               epoch(x['send_at']) <= time.time()]
        print('throughput: %d incidents x (%d ladder + 1 event) created in '
              '%.1f s (%.0f incidents/s); %d alerts queued and due' % (
                  len(ids), k, created, len(ids) / created, len(due)),
              flush=True)
        start = time.time()
        notifier = w.notifier('bench', poll_wait=a.poll_wait)
        deadline = start + a.max_seconds
        want = len(due)
        last_print = start
        while time.time() < deadline:
            c = w.sink.count()
            if c >= want:
                break
            if time.time() - last_print > 10:
                print('throughput: %d/%d after %.0f s' % (
                    c, want, time.time() - start), flush=True)
                last_print = time.time()
            time.sleep(0.5)
        # wait for the last acknowledgements
        w.wait_until(lambda: not [x for x in w.alerts()
                                  if x['state'] == 'claimed'], 60,
                     what='the last acks')
        end_ack = time.time()
        msgs = w.sink.messages()
        times = [m.received_at for m in msgs]
        sent = [x for x in w.alerts() if x['state'] == 'sent']
        mids = [m.message_id for m in msgs]
        dups = len(mids) - len(set(mids))
        if not times:
            raise RuntimeError('nothing delivered' + w.diag())
        span = max(times) - start
        inner = max(times) - min(times)
        print('throughput: %d messages, %d alerts sent, %d duplicate '
              'Message-IDs; first accepted %.2f s after the notifier '
              'started, last %.1f s; all acked %.1f s' % (
                  len(msgs), len(sent), dups, min(times) - start, span,
                  end_ack - start))
        rate = len(msgs) / span if span > 0 else float('inf')
        line = ('BENCH throughput: %d messages in %.1f s = %.0f messages/s '
                '(%.0f/s first-to-last acceptance; %d of %d queued alerts '
                'sent; goal >= 200/s) -> %s' % (
                    len(msgs), span, rate,
                    len(msgs) / inner if inner > 0 else float('inf'),
                    len(sent), want,
                    'MET' if rate >= 200 and len(msgs) >= want else
                    'NOT MET'))
        rc = notifier.stop()
        ok = rc == 0
        return line
    finally:
        w.sink.stop()
        w.sink = None
        w.close(ok)


def main(argv=None):
    ap = argparse.ArgumentParser(
        description='breachclock-notifier benchmarks (issue 4)')
    ap.add_argument('which', nargs='?', default='all',
                    choices=('latency', 'throughput', 'all'))
    ap.add_argument('--count', type=int, default=200,
                    help='latency: obligations (default 200)')
    ap.add_argument('--spread', type=int, default=0,
                    help='latency: seconds the step instants span '
                    '(default: --count, one per second)')
    ap.add_argument('--lead', type=int, default=30,
                    help='latency: seconds before the first instant')
    ap.add_argument('--poll-wait', type=int, default=30)
    ap.add_argument('--alerts', type=int, default=10000,
                    help='throughput: alerts to queue (default 10000)')
    ap.add_argument('--regimes', type=int, default=4,
                    help='throughput: test regimes per incident')
    ap.add_argument('--max-seconds', type=int, default=240,
                    help='throughput: give up delivering after this')
    a = ap.parse_args(argv)
    if not os.access(fixture.NOTIFIER, os.X_OK):
        sys.exit('breachclock-notifier is not built: %s' % fixture.NOTIFIER)
    lines = []
    if a.which in ('latency', 'all'):
        lines.append(bench_latency(a))
        print(lines[-1], flush=True)
    if a.which in ('throughput', 'all'):
        lines.append(bench_throughput(a))
        print(lines[-1], flush=True)
    if len(lines) > 1:
        print('\n'.join(lines))
    return 0


if __name__ == '__main__':
    sys.exit(main())
