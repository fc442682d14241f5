"""Configuration precedence (flag > env > file > default), signals, usage."""

import datetime
import http.client
import os
import shutil
import signal
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import HOUR, now, ts  # noqa: E402

TMP = None
DBS = {}    # name -> path
TOKS = {}   # name -> {user: token}


def setUpModule():
    global TMP
    TMP = tempfile.mkdtemp(prefix='bc-config-')
    for name in ('a', 'b', 'c'):
        DBS[name] = os.path.join(TMP, name + '.db')
        TOKS[name] = harness.make_db(DBS[name], {'dpo': 'dpo',
                                                 'handler': 'handler'})


def tearDownModule():
    if not os.environ.get('BC_KEEP_TMP'):
        shutil.rmtree(TMP, ignore_errors=True)


class Config(unittest.TestCase):

    def setUp(self):
        self.servers = []

    def tearDown(self):
        for s in self.servers:
            s.stop(sig=signal.SIGKILL) if s.returncode is None else None

    def write_config(self, name, **kv):
        path = os.path.join(TMP, name)
        with open(path, 'w') as f:
            f.write('# breachclockd test config\n\n')
            for k, v in kv.items():
                f.write('%s = %s\n' % (k.replace('_', '-'), v))
                f.write('# a comment between keys\n')
        return path

    def serve(self, args, env=None):
        s = harness.Server(TMP, args, env=env,
                           log_name='server-%d.log' % len(self.servers))
        self.servers.append(s)
        return s.start()

    def stop(self, s):
        self.assertEqual(s.stop(), 0, 'SIGTERM exit status')

    def which_db(self, s):
        """The name of the database the server uses, told by tokens."""
        hits = [n for n in DBS if s.request('GET', '/api/v1/me',
                                            token=TOKS[n]['dpo'])[0] == 200]
        self.assertEqual(len(hits), 1, hits)
        return hits[0]

    def art34_hours(self, s, db):
        tok = TOKS[db]['handler']
        aware = now() - 2 * HOUR
        st, _, inc = s.request('POST', '/api/v1/incidents', token=tok, body={
            'title': 'config', 'discovered_at': ts(aware - HOUR),
            'aware_at': ts(aware)})
        self.assertEqual(st, 201, inc)
        st, _, d = s.request('POST', '/api/v1/incidents/%d/risk-decisions'
                             % inc['id'], token=tok,
                             body={'level': 'high', 'rationale': 'x'})
        self.assertEqual(st, 201, d)
        st, _, obl = s.request('GET', '/api/v1/incidents/%d/obligations'
                               % inc['id'], token=tok)
        o = [x for x in obl['items']
             if x['regime_id'] == 'uk_gdpr_art34_individuals'][0]
        gap = (harness.parse_ts(o['due_at']) -
               harness.parse_ts(d['decided_at']))
        self.assertEqual(gap.total_seconds() % 3600, 0)
        return int(gap.total_seconds() // 3600)

    def test_listen_precedence(self):
        # Held until the test ends, so that no other test's client takes
        # one of them meanwhile.
        held = [harness.reserve_port() for _ in range(3)]
        for sock, _ in held:
            self.addCleanup(sock.close)
        p1, p2, p3 = [port for _, port in held]
        self.assertEqual(len({p1, p2, p3}), 3)
        cfg = self.write_config('listen.conf', listen='127.0.0.1:%d' % p1)
        env = {'BREACHCLOCK_LISTEN': '127.0.0.1:%d' % p2}
        cases = [
            ('file', ['--config', cfg], None, p1),
            ('env file', ['--config', cfg], {'BREACHCLOCK_CONFIG': cfg}, p1),
            ('env over file', ['--config', cfg], env, p2),
            ('flag over env and file',
             ['--config', cfg, '--listen', '127.0.0.1:%d' % p3], env, p3),
        ]
        for name, args, e, port in cases:
            with self.subTest(name):
                if name == 'env file':
                    args = []
                s = self.serve(['--db', DBS['a']] + args, env=e)
                self.assertEqual((s.host, s.port), ('127.0.0.1', port))
                st, _, b = harness.http_request('127.0.0.1', port, 'GET',
                                                '/healthz')
                self.assertEqual((st, b), (200, {'status': 'ok'}))
                self.stop(s)

    def test_db_precedence(self):
        cfg = self.write_config('db.conf', db=DBS['a'],
                                listen='127.0.0.1:0')
        env = {'BREACHCLOCK_DB': DBS['b']}
        cases = [
            ('file', ['--config', cfg], None, 'a'),
            ('env over file', ['--config', cfg], env, 'b'),
            ('flag over env', ['--config', cfg, '--db', DBS['c']], env, 'c'),
            ('env only', ['--listen', '127.0.0.1:0'], env, 'b'),
        ]
        for name, args, e, want in cases:
            with self.subTest(name):
                s = self.serve(args, env=e)
                self.assertEqual(self.which_db(s), want)
                self.stop(s)

    def test_art34_hours_precedence(self):
        cfg = self.write_config('art34.conf', art34_target_hours=10)
        env = {'BREACHCLOCK_ART34_TARGET_HOURS': '20'}
        base = ['--db', DBS['c'], '--listen', '127.0.0.1:0']
        cases = [
            ('default', [], None, 72),
            ('file', ['--config', cfg], None, 10),
            ('env over file', ['--config', cfg], env, 20),
            ('flag over env', ['--config', cfg, '--art34-target-hours', '30'],
             env, 30),
        ]
        for name, args, e, hours in cases:
            with self.subTest(name):
                s = self.serve(base + args, env=e)
                self.assertEqual(self.art34_hours(s, 'c'), hours)
                self.stop(s)

    def test_other_settings_accepted(self):
        web = os.path.join(TMP, 'web')
        os.makedirs(web, exist_ok=True)
        cfg = self.write_config('all.conf', threads=2, log_level='warn',
                                web_root=web)
        s = self.serve(['--db', DBS['a'], '--listen', '127.0.0.1:0',
                        '--config', cfg, '--log-level', 'info',
                        '--threads', '3', '--web-root', web],
                       env={'BREACHCLOCK_THREADS': '4'})
        self.assertEqual(s.request('GET', '/healthz')[0], 200)
        self.stop(s)

    def test_static_files_revalidate(self):
        web = os.path.join(TMP, 'web-static')
        os.makedirs(web, exist_ok=True)
        page = os.path.join(web, 'page.html')
        with open(page, 'w') as f:
            f.write('<!doctype html><title>one</title>')
        s = self.serve(['--db', DBS['a'], '--listen', '127.0.0.1:0',
                        '--web-root', web])

        def get(method, path, headers=None):
            # Web files are not API resources: not in docs/openapi.yaml.
            c = http.client.HTTPConnection(s.host, s.port, timeout=10)
            try:
                c.request(method, path, headers=headers or {})
                r = c.getresponse()
                return (r.status, {k.lower(): v for k, v in r.getheaders()},
                        r.read())
            finally:
                c.close()

        st, h, body = get('GET', '/page.html')
        self.assertEqual((st, body),
                         (200, b'<!doctype html><title>one</title>'))
        self.assertEqual(h['content-type'], 'text/html; charset=utf-8')
        etag = h['etag']
        self.assertRegex(etag, r'^"[0-9a-f]+-[0-9a-f]+\.[0-9a-f]+"$')
        self.assertIn('content-security-policy', h)
        st, h2, body = get('HEAD', '/page.html')
        self.assertEqual((st, body, h2['etag']), (200, b'', etag))
        self.assertEqual(h2['content-length'], h['content-length'])
        st, h3, body = get('GET', '/page.html',
                                 headers={'If-None-Match': etag})
        self.assertEqual((st, body, h3['etag']), (304, b'', etag))
        st, _, _ = get('GET', '/page.html',
                             headers={'If-None-Match': '"other"'})
        self.assertEqual(st, 200)
        with open(page, 'w') as f:
            f.write('<!doctype html><title>two, longer</title>')
        st, h4, body = get('GET', '/page.html',
                                 headers={'If-None-Match': etag})
        self.assertEqual((st, body), (200,
                                      b'<!doctype html><title>two, longer</title>'))
        self.assertNotEqual(h4['etag'], etag)
        self.assertEqual(get('HEAD', '/missing.html')[0], 404)
        self.stop(s)

    def regimes_for_unplaced(self, s, db):
        """The regime ids owed by a controller's incident that lists no
        jurisdictions."""
        tok = TOKS[db]['handler']
        aware = now() - 2 * HOUR
        st, _, inc = s.request('POST', '/api/v1/incidents', token=tok, body={
            'title': 'where', 'discovered_at': ts(aware - HOUR),
            'aware_at': ts(aware)})
        self.assertEqual(st, 201, inc)
        self.assertEqual(inc['jurisdictions'], [])
        st, _, obl = s.request('GET', '/api/v1/incidents/%d/obligations'
                               % inc['id'], token=tok)
        self.assertEqual(st, 200, obl)
        return sorted(o['regime_id'] for o in obl['items'])

    def test_default_jurisdictions_precedence(self):
        """Incidents that list no jurisdictions are treated as the
        configured default-jurisdictions (default GB)."""
        conf = self.write_config('dj.conf', default_jurisdictions='IE')
        cases = [
            ('default', [], None, ['uk_gdpr_art33_ico']),
            ('file', ['--config', conf], None, ['eu_gdpr_art33_sa']),
            ('env over file', ['--config', conf],
             {'BREACHCLOCK_DEFAULT_JURISDICTIONS': 'GB,DE'},
             ['eu_gdpr_art33_sa', 'uk_gdpr_art33_ico']),
            ('flag over env', ['--config', conf,
                               '--default-jurisdictions', 'GB'],
             {'BREACHCLOCK_DEFAULT_JURISDICTIONS': 'IE'},
             ['uk_gdpr_art33_ico']),
        ]
        for name, args, env, want in cases:
            with self.subTest(name):
                s = self.serve(['--db', DBS['c'], '--listen', '127.0.0.1:0']
                               + args, env=env)
                self.assertEqual(self.regimes_for_unplaced(s, 'c'), want)
                self.stop(s)

    def test_default_jurisdictions_must_be_assigned_codes(self):
        # "UK" has the shape of a code, but a regime keyed on GB would
        # never see it: every unplaced incident would lose the ICO clock.
        for value in ('UK', 'GB,QQ', 'gb', 'GB,,IE', 'US-ZZ'):
            with self.subTest(value):
                p = harness.run_cli('--db', DBS['a'],
                                    '--default-jurisdictions', value,
                                    timeout=10)
                self.assertEqual(p.returncode, 2, p.stdout + p.stderr)
                self.assertIn('default-jurisdictions must be ISO 3166',
                              p.stderr)

    def test_sigterm_exits_zero(self):
        s = self.serve(['--db', DBS['a'], '--listen', '127.0.0.1:0'])
        self.assertEqual(s.request('GET', '/api/v1/me',
                                   token=TOKS['a']['dpo'])[0], 200)
        self.assertEqual(s.stop(signal.SIGTERM), 0)
        with self.assertRaises(OSError):
            harness.http_request(s.host, s.port, 'GET', '/healthz',
                                 timeout=2)

    def test_bad_flags_usage(self):
        for args in (['--no-such-flag'],
                     ['--db', DBS['a'], '--listen'],
                     ['--db', DBS['a'], '--bogus', 'x'],
                     ['--db', DBS['a'], '--threads', 'many'],
                     ['--db', DBS['a'], '--log-level', 'loud'],
                     ['--db', DBS['a'], '--art34-target-hours', '-5']):
            with self.subTest(args):
                p = harness.run_cli(*args, timeout=10)
                self.assertEqual(p.returncode, 2, p.stdout + p.stderr)
                self.assertIn('usage', p.stderr.lower())

    def test_unknown_command_names_the_valid_ones(self):
        for args, want in (
                (['user', 'list'], "unknown command 'user list'; 'user' "
                 "takes: add, password"),
                (['user'], "'user' needs a subcommand: add, password"),
                (['token', 'list'], "'token' takes: create"),
                (['retention', 'go'], "'retention' takes: run"),
                (['frobnicate'], "unknown command 'frobnicate'; the "
                 "commands are: migrate, user, token, audit, holidays, "
                 "backup, restore, retention")):
            with self.subTest(args):
                p = harness.run_cli(*args, timeout=10)
                self.assertEqual(p.returncode, 2, p.stdout + p.stderr)
                self.assertIn(want, p.stderr)
                self.assertIn('usage', p.stderr.lower())

    def test_missing_config_file(self):
        p = harness.run_cli('--db', DBS['a'], '--listen', '127.0.0.1:0',
                            '--config', os.path.join(TMP, 'nope.conf'),
                            timeout=10)
        self.assertNotEqual(p.returncode, 0)


if __name__ == '__main__':
    unittest.main(verbosity=2)
