"""Idempotency-Key on POST /api/v1/incidents: racing retries, a reused key
with a different request, and keys that outlive the server process."""

import os
import signal
import sqlite3
import sys
import threading

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), 'api'))
import harness  # noqa: E402
from harness import HOUR, now, ts  # noqa: E402

THREADS = 16


def setUpModule():
    harness.setup_module()


def tearDownModule():
    harness.teardown_module()


def count_titled(db, title):
    """Incidents with this title, read from the database file itself."""
    con = sqlite3.connect(db, timeout=10)
    try:
        return con.execute('SELECT count(*) FROM incidents WHERE title = ?',
                           (title,)).fetchone()[0]
    finally:
        con.close()


class Idempotency(harness.ApiCase):

    def body(self, title):
        return {'title': title, 'discovered_at': ts(now() - HOUR),
                'jurisdictions': ['GB'], 'subjects_count': 12}

    def post(self, body, key, user='handler', raw=None):
        return self.fx.as_(user, 'POST', '/api/v1/incidents', body=body,
                           raw=raw, headers={'Idempotency-Key': key} if raw
                           is None else {'Idempotency-Key': key,
                                         'Content-Type': 'application/json'})

    def restart(self, sig):
        """Stop the server with sig and start a new one on the same DB."""
        old = self.fx.server
        rc = old.stop(sig=sig)
        if sig == signal.SIGTERM:
            self.assertEqual(rc, 0, 'SIGTERM exit status')
        self.fx.server = harness.Server(self.fx.tmpdir, old.args,
                                        log_name='server-%d.log' % sig)
        self.fx.server.start()

    def test_racing_retries_make_one_incident(self):
        for round_ in range(4):
            title = 'race %d' % round_
            key = 'race-key-%d' % round_
            body = self.body(title)
            barrier = threading.Barrier(THREADS)
            results = [None] * THREADS

            def worker(i):
                barrier.wait()
                try:
                    results[i] = self.post(body, key)
                except Exception as e:  # noqa: BLE001 (reported below)
                    results[i] = e

            threads = [threading.Thread(target=worker, args=(i,))
                       for i in range(THREADS)]
            for t in threads:
                t.start()
            for t in threads:
                t.join(60)
            statuses = sorted(r[0] if isinstance(r, tuple) else repr(r)
                              for r in results)
            self.assertEqual(statuses, [200] * (THREADS - 1) + [201],
                             'round %d' % round_)
            ids = {r[2]['id'] for r in results}
            locations = {r[1]['location'] for r in results}
            self.assertEqual(len(ids), 1, ids)
            self.assertEqual(locations, {'/api/v1/incidents/%d' % ids.pop()})
            self.assertEqual(count_titled(self.fx.db, title), 1)

    def test_different_request_same_key_refused(self):
        # Every variant differs from the first request in one member
        # only: built from one body, so the clock cannot add another.
        key = 'reuse-1'
        base = self.body('first request')
        st, _, first = self.post(base, key)
        self.assertEqual(st, 201, first)
        for name, change in (
                ('other title', {'title': 'second request'}),
                ('other count', {'subjects_count': 13}),
                ('other time', {'discovered_at': ts(now() - 2 * HOUR)}),
                ('extra field', {'description': 'more'})):
            with self.subTest(name):
                r = self.post(dict(base, **change), key)
                self.assertProblem(r, 422, 'idempotency-key-reused',
                                   field='Idempotency-Key', msg=name)
        self.assertEqual(count_titled(self.fx.db, 'second request'), 0)
        self.assertEqual(count_titled(self.fx.db, 'first request'), 1)
        # The same request again, with members reordered and spaced
        # differently, is the same request.
        raw = '{ "subjects_count": 12, "jurisdictions": ["GB"], ' \
              '"discovered_at": "%s", "title": "first request" }' % (
                  base['discovered_at'])
        st, h, again = self.post(None, key, raw=raw)
        self.assertEqual(st, 200, again)
        self.assertEqual(again['id'], first['id'])
        self.assertEqual(h['location'], '/api/v1/incidents/%d' % first['id'])

    def test_key_is_per_user(self):
        key = 'shared-key'
        body = self.body('per user')
        st, _, a = self.post(body, key, user='handler')
        self.assertEqual(st, 201, a)
        st, _, b = self.post(body, key, user='dpo')
        self.assertEqual(st, 201, b)
        self.assertNotEqual(a['id'], b['id'])
        st, _, c = self.post(body, key, user='dpo')
        self.assertEqual((st, c['id']), (200, b['id']))

    def test_bad_keys(self):
        for key in ('', 'x' * 201, 'tab\there', 'caf\u00e9'):
            with self.subTest(repr(key)):
                headers = {'Idempotency-Key': key.encode('utf-8').decode(
                    'latin-1')}
                r = self.fx.as_('handler', 'POST', '/api/v1/incidents',
                                body=self.body('bad key'), headers=headers)
                self.assertProblem(r, 400, 'invalid-field',
                                   field='Idempotency-Key')
        self.assertEqual(count_titled(self.fx.db, 'bad key'), 0)

    def test_keys_survive_restart(self):
        body = self.body('survives restart')
        st, _, first = self.post(body, 'restart-key')
        self.assertEqual(st, 201, first)
        for sig in (signal.SIGTERM, signal.SIGKILL):
            with self.subTest(signal.Signals(sig).name):
                self.restart(sig)
                st, _, again = self.post(body, 'restart-key')
                self.assertEqual((st, again['id']), (200, first['id']))
                r = self.post(self.body('after restart'), 'restart-key')
                self.assertProblem(r, 422, 'idempotency-key-reused')
        self.assertEqual(count_titled(self.fx.db, 'survives restart'), 1)
        self.assertEqual(count_titled(self.fx.db, 'after restart'), 0)


if __name__ == '__main__':
    harness.main()
