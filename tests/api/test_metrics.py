"""GET /metrics: the Prometheus text exposition format (checked by a
strict parser here and by python3-prometheus-client's), request counters
that move by exactly the requests made, cumulative histograms, gauges that
match the API, and who may scrape (loopback, metrics token)."""

import math
import os
import re
import sqlite3
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import HOUR, now, parse_ts, ts  # noqa: E402

from prometheus_client.parser import \
    text_string_to_metric_families  # noqa: E402  (python3-prometheus-client)

METRICS = '/metrics'
REQS = 'breachclock_http_requests_total'
DUR = 'breachclock_http_request_duration_seconds'
TOKEN = 'scrape-me-0123456789abcdef'
BOUNDS = ['0.001', '0.0025', '0.005', '0.01', '0.025', '0.05', '0.1',
          '0.25', '0.5', '1', '2.5', '5', '10', '30', '60', '+Inf']

NAME = r'[a-zA-Z_:][a-zA-Z0-9_:]*'
LABEL = r'[a-zA-Z_][a-zA-Z0-9_]*'
VALUE = r'"((?:[^"\\\n]|\\\\|\\"|\\n)*)"'
SAMPLE_RE = re.compile(r'^(%s)(?:\{(.*)\})? (\S+)$' % NAME)
LABEL_RE = re.compile(r'(%s)=%s(,|$)' % (LABEL, VALUE))
TYPES = {'counter', 'gauge', 'histogram', 'summary', 'untyped'}


def unescape(v):
    return re.sub(r'\\(.)', lambda m: {'n': '\n'}.get(m.group(1),
                                                      m.group(1)), v)


def parse(text):
    """Strictly parse exposition format 0.0.4 into
    {(name, frozenset(labels.items())): float} and {family: type}.
    Raise AssertionError on anything malformed: a sample before its
    family's TYPE, a TYPE or HELP given twice, bad names, labels or
    values, duplicate series, a missing final newline."""
    assert text.endswith('\n'), 'no final newline'
    samples, types, helps = {}, {}, set()
    for n, line in enumerate(text[:-1].split('\n'), 1):
        where = 'line %d: %r' % (n, line)
        assert line, 'empty line at ' + where
        if line.startswith('#'):
            m = re.match(r'^# (HELP|TYPE) (%s) (.+)$' % NAME, line)
            assert m, where
            kind, fam, rest = m.groups()
            if kind == 'TYPE':
                assert fam not in types, 'TYPE twice: ' + where
                assert rest in TYPES, where
                types[fam] = rest
            else:
                assert fam not in helps, 'HELP twice: ' + where
                helps.add(fam)
            continue
        m = SAMPLE_RE.match(line)
        assert m, where
        name, labels, value = m.groups()
        fam = name
        for suffix in ('_bucket', '_sum', '_count'):
            if name.endswith(suffix) and \
                    types.get(name[:-len(suffix)]) == 'histogram':
                fam = name[:-len(suffix)]
        assert fam in types, 'sample before its TYPE: ' + where
        lab = {}
        if labels is not None:
            pos = 0
            while pos < len(labels):
                lm = LABEL_RE.match(labels, pos)
                assert lm, 'bad labels: ' + where
                assert lm.group(1) not in lab, 'label twice: ' + where
                lab[lm.group(1)] = unescape(lm.group(2))
                pos = lm.end()
            assert not labels.endswith(','), where
        v = float(value)  # ValueError on a bad number
        assert not math.isnan(v), where
        key = (name, frozenset(lab.items()))
        assert key not in samples, 'duplicate series: ' + where
        samples[key] = v
    return samples, types


class Scrape:
    """One parsed scrape."""

    def __init__(self, text):
        self.text = text
        self.samples, self.types = parse(text)

    def get(self, name, **labels):
        """A series' value, 0 when absent (counters appear on first use)."""
        return self.samples.get((name, frozenset(labels.items())), 0)

    def series(self, name):
        """[(labels dict, value)] of a sample name."""
        return [(dict(k[1]), v) for k, v in self.samples.items()
                if k[0] == name]


def setUpModule():
    harness.setup_module()


def tearDownModule():
    harness.teardown_module()


def write_config(name, text):
    path = os.path.join(harness.FX.tmpdir, name)
    with open(path, 'w') as f:
        f.write(text)
    return path


class Metrics(harness.ApiCase):

    def scrape(self, server=None, headers=None):
        st, h, body = (server or self.fx.server).request(
            'GET', METRICS, headers=headers)
        self.assertEqual(st, 200, body)
        self.assertEqual(h['content-type'],
                         'text/plain; version=0.0.4; charset=utf-8')
        text = body.decode('utf-8')
        s = Scrape(text)
        # The reference parser agrees on every sample.
        ref = {}
        for fam in text_string_to_metric_families(text):
            for smp in fam.samples:
                ref[(smp.name, frozenset(smp.labels.items()))] = smp.value
        self.assertEqual(ref, s.samples)
        return s

    def test_format_and_families(self):
        s = self.scrape()
        self.assertEqual(s.types[REQS], 'counter')
        self.assertEqual(s.types[DUR], 'histogram')
        for g in ('breachclock_incidents_open',
                  'breachclock_obligations_due_24h',
                  'breachclock_obligations_overdue', 'breachclock_alerts',
                  'breachclock_database_size_bytes',
                  'breachclock_build_info',
                  'breachclock_start_time_seconds'):
            self.assertEqual(s.types.get(g), 'gauge', g)
        self.assertEqual(s.series('breachclock_build_info'),
                         [({'version': '0.1.0'}, 1)])
        started = s.get('breachclock_start_time_seconds')
        self.assertLessEqual(started, now().timestamp())
        self.assertGreater(started, now().timestamp() - 3600)

    def test_counters_move_by_exactly_the_requests(self):
        self.fx.as_('handler', 'GET', '/api/v1/incidents')  # route exists
        before = self.scrape()
        for _ in range(3):
            self.assertStatus(self.fx.as_('handler', 'GET',
                                          '/api/v1/incidents'), 200)
        for _ in range(2):
            self.assertStatus(self.fx.as_('handler', 'GET',
                                          '/api/v1/incidents/999999'), 404)
        self.assertStatus(self.fx.request('GET', '/api/v1/incidents'), 401)
        self.assertStatus(self.fx.as_('handler', 'POST',
                                      '/api/v1/incidents', body={}), 400)
        self.assertStatus(self.fx.request('GET', '/no/such/file.txt'), 404)
        self.assertStatus(self.fx.request('GET', '/api/v1/nothing'), 404)
        self.assertStatus(self.fx.request('DELETE', '/healthz'), 405)
        after = self.scrape()
        want = {
            ('GET', '/api/v1/incidents', '200'): 3,
            ('GET', '/api/v1/incidents', '401'): 1,
            ('GET', '/api/v1/incidents/#', '404'): 2,
            ('POST', '/api/v1/incidents', '400'): 1,
            ('*', '(other)', '404'): 2,
            ('*', '(other)', '405'): 1,
            # the first scrape, counted once it was answered
            ('GET', '/metrics', '200'): 1,
        }
        keys = {(d['method'], d['route'], d['code'])
                for d, _ in before.series(REQS) + after.series(REQS)}
        self.assertTrue(set(want) <= keys, keys)
        for k in keys:
            with self.subTest(k):
                lab = dict(zip(('method', 'route', 'code'), k))
                self.assertEqual(after.get(REQS, **lab) -
                                 before.get(REQS, **lab), want.get(k, 0))
        # Labels are route patterns, never raw paths.
        for d, _ in after.series(REQS):
            self.assertNotIn('999999', d['route'])
            self.assertNotIn('nothing', d['route'])

    def test_histograms_are_cumulative(self):
        self.assertStatus(self.fx.as_('dpo', 'GET', '/api/v1/regimes'), 200)
        self.scrape()
        s = self.scrape()
        routes = {(d['method'], d['route'])
                  for d, _ in s.series(DUR + '_count')}
        self.assertIn(('GET', '/api/v1/regimes'), routes)
        self.assertIn(('GET', '/metrics'), routes)
        for method, route in routes:
            with self.subTest(route=route, method=method):
                lab = {'method': method, 'route': route}
                buckets = {d['le']: v for d, v in s.series(DUR + '_bucket')
                           if d['method'] == method and d['route'] == route}
                self.assertEqual(sorted(buckets, key=float),
                                 sorted(BOUNDS, key=float))
                vals = [buckets[b] for b in BOUNDS]
                self.assertEqual(vals, sorted(vals), 'not cumulative')
                count = s.get(DUR + '_count', **lab)
                self.assertEqual(buckets['+Inf'], count)
                self.assertGreater(count, 0)
                self.assertGreaterEqual(s.get(DUR + '_sum', **lab), 0)
                # Nothing else ran: every request of the route is in it.
                total = sum(v for d, v in s.series(REQS)
                            if d['method'] == method and d['route'] == route)
                self.assertEqual(total, count)

    def open_counts(self):
        """Incidents by status and pending obligations (overdue, due in
        24 h) of the open incidents, from the API."""
        status, overdue, due = {}, 0, 0
        t = now()
        st, _, lst = self.fx.as_('dpo', 'GET', '/api/v1/incidents?limit=200')
        self.assertEqual(st, 200)
        self.assertIsNone(lst['next_cursor'])
        for inc in lst['items']:
            status[inc['status']] = status.get(inc['status'], 0) + 1
            if inc['status'] in ('closed', 'not_a_breach'):
                continue
            for o in self.obligations(inc['id'], user='dpo').values():
                if o['state'] == 'missed':
                    overdue += 1
                elif o['state'] == 'pending' and \
                        parse_ts(o['due_at']) < t + 24 * HOUR:
                    due += 1
        return status, overdue, due

    def test_gauges_match_the_api(self):
        def processor(aware_ago, hours):
            aware = now() - aware_ago
            return self.create(discovered_at=ts(aware - HOUR),
                               aware_at=ts(aware), role='processor',
                               controller_name='Acme',
                               controller_notice_hours=hours)
        before = self.scrape()
        processor(2 * HOUR, 1)       # overdue by an hour
        processor(HOUR, 10)          # due in 9 hours
        processor(HOUR, 100)         # due in 99 hours: neither
        self.create()                # suspected, no obligation yet
        c = self.create()
        self.walk(c['id'], 'investigating')
        d = processor(2 * HOUR, 1)   # closed: its overdue duty is gone
        self.walk(d['id'], 'investigating', 'confirmed', 'contained',
                  'closed')
        s = self.scrape()
        status, overdue, due = self.open_counts()
        for st in ('suspected', 'investigating', 'confirmed', 'contained'):
            self.assertEqual(s.get('breachclock_incidents_open', status=st),
                             status.get(st, 0), st)
        self.assertEqual(len(s.series('breachclock_incidents_open')), 4)
        self.assertEqual(s.get('breachclock_incidents_open',
                               status='suspected') -
                         before.get('breachclock_incidents_open',
                                    status='suspected'), 4)
        self.assertEqual(s.get('breachclock_incidents_open',
                               status='investigating') -
                         before.get('breachclock_incidents_open',
                                    status='investigating'), 1)
        self.assertEqual(s.get('breachclock_obligations_overdue'), overdue)
        self.assertEqual(s.get('breachclock_obligations_due_24h'), due)
        self.assertEqual(s.get('breachclock_obligations_overdue') -
                         before.get('breachclock_obligations_overdue'), 1)
        self.assertEqual(s.get('breachclock_obligations_due_24h') -
                         before.get('breachclock_obligations_due_24h'), 1)
        # The outbox, by state, as the admin API shows it.
        for state in ('queued', 'claimed', 'failed'):
            st, _, lst = self.fx.as_('admin', 'GET',
                                     '/api/v1/alerts?limit=200&state=' +
                                     state)
            self.assertEqual(st, 200)
            self.assertIsNone(lst['next_cursor'])
            self.assertEqual(s.get('breachclock_alerts', state=state),
                             len(lst['items']), state)
        self.assertGreater(s.get('breachclock_alerts', state='queued'), 0)
        # The database size is page_count * page_size.
        db = sqlite3.connect('file:%s?mode=ro' % self.fx.db, uri=True)
        try:
            pc = db.execute('PRAGMA page_count').fetchone()[0]
            ps = db.execute('PRAGMA page_size').fetchone()[0]
        finally:
            db.close()
        self.assertEqual(s.get('breachclock_database_size_bytes'), pc * ps)

    def test_loopback_without_token(self):
        # No token configured: loopback may scrape; credentials may not
        # be guessed; a request a proxy relays is not loopback.
        self.scrape()
        for h in ({'Authorization': 'Bearer ' + TOKEN},
                  {'Authorization': 'Bearer ' + self.fx.tok['admin']},
                  {'Authorization': 'Basic eDp5'}):
            with self.subTest(h):
                self.assertProblem(self.fx.request('GET', METRICS,
                                                   headers=h), 401,
                                   'unauthorized')
        for h in ({'X-Forwarded-For': '203.0.113.9'},
                  {'Forwarded': 'for=203.0.113.9'}):
            with self.subTest(h):
                self.assertProblem(self.fx.request('GET', METRICS,
                                                   headers=h), 403,
                                   'forbidden')

    def test_unknown_query_and_methods(self):
        self.assertProblem(self.fx.request('GET', METRICS + '?x=1'), 400,
                           'invalid-query')
        self.assertProblem(self.fx.request('POST', METRICS), 405,
                           'method-not-allowed')


class OtherServer(harness.ApiCase):
    """Further servers on the same database with other settings."""

    def start(self, name, conf, env=None):
        cfg = write_config(name + '.conf', conf)
        s = harness.Server(harness.FX.tmpdir, [
            '--db', harness.FX.db, '--listen', '127.0.0.1:0', '--config',
            cfg], env=env, log_name=name + '.log').start()
        self.addCleanup(self.stop, s)
        return s

    def stop(self, s):
        self.assertEqual(s.stop(), 0)

    def test_token_required_when_loopback_is_off(self):
        s = self.start('token', 'metrics-allow-loopback = false\n',
                       env={'BREACHCLOCK_METRICS_TOKEN': TOKEN})
        self.assertProblem(s.request('GET', METRICS), 401, 'unauthorized')
        for bad in (TOKEN[:-1], TOKEN + 'x', TOKEN.upper(), '',
                    self.fx.tok['admin']):
            with self.subTest(bad):
                self.assertProblem(s.request('GET', METRICS, headers={
                    'Authorization': 'Bearer ' + bad}), 401)
        st, h, b = s.request('GET', METRICS,
                             headers={'Authorization': 'Bearer ' + TOKEN})
        self.assertEqual(st, 200, b)
        parse(b.decode())
        st, h, b = s.request('GET', METRICS, headers={
            'Authorization': 'bearer ' + TOKEN,
            'X-Forwarded-For': '203.0.113.9'})
        self.assertEqual(st, 200, b)
        # The metrics token opens nothing else.
        self.assertProblem(s.request('GET', '/api/v1/me', token=TOKEN), 401)

    def test_nobody_when_loopback_is_off_and_no_token(self):
        s = self.start('closed', 'metrics-allow-loopback = false\n')
        self.assertProblem(s.request('GET', METRICS), 403, 'forbidden')
        self.assertProblem(s.request('GET', METRICS, headers={
            'Authorization': 'Bearer ' + TOKEN}), 401, 'unauthorized')

    def test_token_from_config_file_with_loopback_on(self):
        s = self.start('both', 'metrics-token = %s\n' % TOKEN)
        st, _, b = s.request('GET', METRICS)
        self.assertEqual(st, 200, b)
        self.assertProblem(s.request('GET', METRICS, headers={
            'X-Forwarded-For': '203.0.113.9'}), 401, 'unauthorized')
        st, _, b = s.request('GET', METRICS, headers={
            'X-Forwarded-For': '203.0.113.9',
            'Authorization': 'Bearer ' + TOKEN})
        self.assertEqual(st, 200, b)

    def test_bad_settings_are_refused(self):
        for env in ({'BREACHCLOCK_METRICS_TOKEN': 'short'},
                    {'BREACHCLOCK_METRICS_ALLOW_LOOPBACK': 'maybe'},
                    {'BREACHCLOCK_CALENDAR_TITLES': '2'}):
            with self.subTest(env):
                p = harness.run_cli('migrate', '--db', harness.FX.db,
                                    env=env)
                self.assertNotEqual(p.returncode, 0)
                self.assertIn(list(env)[0], p.stderr)


class StrictParser(unittest.TestCase):
    """The test's own parser rejects what it should."""

    def test_rejects(self):
        good = '# TYPE a counter\na{x="1"} 2\n'
        parse(good)
        for bad in ('a 1\n',                                  # no TYPE
                    '# TYPE a counter\na 1',                  # no newline
                    '# TYPE a counter\na{x="1"} 1\na{x="1"} 2\n',
                    '# TYPE a counter\na{x="1",} 1\n',
                    '# TYPE a counter\na{x=1} 1\n',
                    '# TYPE a counter\na{x="\\q"} 1\n',
                    '# TYPE a counter\na one\n',
                    '# TYPE a counter\n# TYPE a counter\na 1\n',
                    '# TYPE a frob\na 1\n'):
            with self.subTest(bad):
                with self.assertRaises((AssertionError, ValueError)):
                    parse(bad)
        s, _ = parse('# TYPE a gauge\na{x="q\\"\\\\\\n"} 1\n')
        self.assertEqual(s, {('a', frozenset({('x', 'q"\\\n')})): 1.0})


if __name__ == '__main__':
    harness.main()
