"""kill -9 of the server while 16 clients create and update incidents.

Each client thread owns the incidents it creates and has at most one
request in flight, so after the crash its last answered write tells exactly
what the database must hold: every write answered 2xx is there (same
version and title), an incident is at most one unanswered write ahead, and
nothing else appeared.  Then PRAGMA integrity_check must say ok and
`breachclockd audit verify` must pass.  Three crashes, one database.
"""

import http.client
import os
import random
import signal
import sqlite3
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), 'api'))
import harness  # noqa: E402
from harness import HOUR, now, ts  # noqa: E402

THREADS = 16
ROUNDS = 3
USERS = ('handler', 'dpo')


def setUpModule():
    harness.setup_module()


def tearDownModule():
    harness.teardown_module()


class Client(threading.Thread):
    """Creates incidents and retitles them until the server goes away."""

    def __init__(self, case, n, round_):
        super().__init__(daemon=True)
        self.case = case
        self.n = n
        self.round = round_
        self.user = USERS[n % len(USERS)]
        self.acked = {}        # id -> (version, title) of the last 2xx
        self.created = 0       # creates answered 201
        self.patched = 0       # updates answered 200
        self.pending = None    # ('create', title) or ('patch', id, title)
        self.unanswered = None
        self.errors = []

    def req(self, method, path, body, headers=None):
        fx = self.case.fx
        return harness.http_request(
            fx.server.host, fx.server.port, method, path,
            token=fx.tok[self.user], body=body, headers=headers, timeout=20)

    def run(self):
        seq = 0
        ids = []
        try:
            while True:
                seq += 1
                if not ids or seq % 4 == 0:
                    title = 'r%d-c%d-%d' % (self.round, self.n, seq)
                    self.pending = ('create', title)
                    st, _, b = self.req('POST', '/api/v1/incidents', {
                        'title': title,
                        'discovered_at': ts(now() - HOUR)})
                    if st != 201:
                        self.errors.append(('create', st, b))
                        return
                    self.acked[b['id']] = (b['version'], b['title'])
                    self.created += 1
                    ids.append(b['id'])
                else:
                    iid = random.choice(ids)
                    version = self.acked[iid][0]
                    title = 'r%d-c%d-%d-u' % (self.round, self.n, seq)
                    self.pending = ('patch', iid, title)
                    st, _, b = self.req(
                        'PATCH', '/api/v1/incidents/%d' % iid,
                        {'title': title},
                        headers={'If-Match': '"%d"' % version})
                    if st != 200:
                        self.errors.append(('patch', st, b))
                        return
                    self.acked[iid] = (b['version'], b['title'])
                    self.patched += 1
                self.pending = None
        except (OSError, http.client.HTTPException):
            # The server died under this request: its fate is unknown.
            self.unanswered = self.pending
        except Exception as e:  # noqa: BLE001 (a spec mismatch, ...)
            self.errors.append(repr(e))


def db_rows(db):
    con = sqlite3.connect(db, timeout=10)
    try:
        return {r[0]: (r[1], r[2]) for r in con.execute(
            'SELECT id, version, title FROM incidents')}
    finally:
        con.close()


class Crash(harness.ApiCase):

    def test_kill_9_under_load(self):
        fx = self.fx
        known = {}             # every incident id -> (version, title)
        rng = random.Random(int(os.environ.get('BC_CRASH_SEED', '0')) or
                            None)
        for round_ in range(ROUNDS):
            clients = [Client(self, n, round_) for n in range(THREADS)]
            for c in clients:
                c.start()
            time.sleep(rng.uniform(1.0, 2.5))
            fx.server.proc.send_signal(signal.SIGKILL)
            for c in clients:
                c.join(30)
                self.assertFalse(c.is_alive(), 'client %d hung' % c.n)
            fx.server.stop()
            for c in clients:
                self.assertEqual(c.errors, [], 'client %d' % c.n)
            created = sum(c.created for c in clients)
            sys.stderr.write('round %d: %d creates and %d updates answered, '
                             '%d requests cut off by the kill\n' % (
                                 round_, created,
                                 sum(c.patched for c in clients),
                                 sum(1 for c in clients if c.unanswered)))
            self.assertGreater(created, THREADS,
                               'round %d: too little load to mean '
                               'anything' % round_)

            # Restart on the same database: it must come up by itself.
            fx.server = harness.Server(fx.tmpdir, fx.server.args,
                                       log_name='server-%d.log' % round_)
            fx.server.start()
            rows = db_rows(fx.db)
            extra = set(rows) - set(known)
            for c in clients:
                for iid, (version, title) in c.acked.items():
                    extra.discard(iid)
                    with self.subTest(round=round_, client=c.n, id=iid):
                        st, _, inc = fx.as_(c.user, 'GET',
                                            '/api/v1/incidents/%d' % iid)
                        self.assertEqual(st, 200, inc)
                        u = c.unanswered
                        if inc['version'] == version:
                            self.assertEqual(inc['title'], title)
                        else:
                            # Only the one unanswered PATCH may be ahead.
                            self.assertEqual(inc['version'], version + 1)
                            self.assertIsNotNone(u)
                            self.assertEqual(u[:2], ('patch', iid))
                            self.assertEqual(inc['title'], u[2])
            # Incidents nobody was told about: at most the unanswered
            # creates, with their titles.
            unanswered = {c.unanswered[1] for c in clients
                          if c.unanswered and c.unanswered[0] == 'create'}
            for iid in extra:
                self.assertIn(rows[iid][1], unanswered,
                              'incident %d appeared from nowhere' % iid)
            known = rows

            # The database file and the audit chain are sound.
            con = sqlite3.connect(fx.db, timeout=10)
            try:
                self.assertEqual(con.execute(
                    'PRAGMA integrity_check').fetchall(), [('ok',)])
                self.assertEqual(con.execute(
                    'PRAGMA foreign_key_check').fetchall(), [])
            finally:
                con.close()
            p = harness.run_cli('audit', 'verify', '--db', fx.db)
            self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
            st, _, v = fx.as_('dpo', 'GET', '/api/v1/audit/verify')
            self.assertEqual(st, 200, v)
            self.assertTrue(v['ok'], v)
            self.assertGreaterEqual(v['events'], len(rows))


if __name__ == '__main__':
    harness.main()
