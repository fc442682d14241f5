"""Timeline events, notes, and the hash-chained audit log (API and CLI)."""

import os
import re
import shutil
import sqlite3
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import HOUR, MINUTE, now, ts  # noqa: E402

EVENT_KEYS = {'id', 'at', 'actor', 'action', 'incident_id', 'data'}


def setUpModule():
    harness.setup_module()


def tearDownModule():
    harness.teardown_module()


class Events(harness.ApiCase):

    def note(self, iid, body, user='handler'):
        return self.fx.as_(user, 'POST', '/api/v1/incidents/%d/notes' % iid,
                           body=body)

    def verify(self, user='dpo'):
        st, _, b = self.fx.as_(user, 'GET', '/api/v1/audit/verify')
        self.assertEqual(st, 200, b)
        return b

    def test_created_event(self):
        a = self.create(user='reporter', title='ev')
        ev = self.events(a['id'], user='reporter')
        self.assertEqual(len(ev), 1, ev)
        e = ev[0]
        self.assertEqual(set(e), EVENT_KEYS)
        self.assertEqual(e['action'], 'incident.created')
        self.assertEqual(e['actor'], 'reporter')
        self.assertEqual(e['incident_id'], a['id'])
        self.assertIsInstance(e['id'], int)
        at = self.assertTs(e['at'])
        self.assertLessEqual(abs((at - now()).total_seconds()), 300)

    def test_timeline(self):
        d = now() - 6 * HOUR
        a = self.create(title='timeline', discovered_at=ts(d))
        iid = a['id']
        self.patch(iid, {'title': 'timeline renamed', 'subjects_count': 10})
        ev = self.events(iid)
        upd = ev[-1]
        self.assertEqual(upd['action'], 'incident.updated')
        self.assertEqual(upd['actor'], 'handler')
        ch = upd['data']['changes']
        self.assertEqual(ch['title'], {'from': 'timeline',
                                       'to': 'timeline renamed'})
        self.assertEqual(ch['subjects_count'], {'from': None, 'to': 10})
        self.assertNotIn('description', ch)

        self.patch(iid, {'status': 'investigating'}, user='dpo')
        acts = [e['action'] for e in self.events(iid)]
        self.assertIn('incident.status_changed', acts[len(ev):])

        n = len(self.events(iid))
        self.patch(iid, {'aware_at': ts(d + HOUR)})
        acts = [e['action'] for e in self.events(iid)[n:]]
        self.assertIn('obligation.created', acts)

        n = len(self.events(iid))
        self.patch(iid, {'aware_at': ts(d + 2 * HOUR)})
        new = self.events(iid)[n:]
        self.assertIn('obligation.updated', [e['action'] for e in new])
        upd = [e for e in new if e['action'] == 'incident.updated']
        self.assertEqual(len(upd), 1)
        self.assertEqual(upd[0]['data']['changes']['aware_at'],
                         {'from': ts(d + HOUR), 'to': ts(d + 2 * HOUR)})

        n = len(self.events(iid))
        self.decide(iid, 'high')
        acts = [e['action'] for e in self.events(iid)[n:]]
        self.assertIn('risk.decided', acts)
        self.assertIn('obligation.created', acts)  # Art. 34

        obl = self.obligations(iid)
        n = len(self.events(iid))
        r = self.fx.as_('handler', 'POST', '/api/v1/incidents/%d/obligations/'
                        '%d/notifications' % (iid,
                                              obl['uk_gdpr_art33_ico']['id']),
                        body={'sent_at': ts(now() - MINUTE)})
        self.assertStatus(r, 201)
        acts = [e['action'] for e in self.events(iid)[n:]]
        self.assertIn('notification.recorded', acts)

        n = len(self.events(iid))
        r = self.fx.as_('dpo', 'POST', '/api/v1/incidents/%d/obligations/'
                        '%d/waive' % (iid,
                                      obl['uk_gdpr_art34_individuals']['id']),
                        body={'reason': 'all subjects already told'})
        self.assertStatus(r, 200)
        new = self.events(iid)[n:]
        self.assertEqual([e['action'] for e in new], ['obligation.waived'])
        self.assertEqual(new[0]['actor'], 'dpo')

        ev = self.events(iid)
        ids = [e['id'] for e in ev]
        self.assertEqual(ids, sorted(ids))
        self.assertEqual(len(ids), len(set(ids)))
        self.assertEqual(ev[0]['action'], 'incident.created')
        self.assertTrue(all(e['incident_id'] == iid for e in ev))
        ats = [self.assertTs(e['at']) for e in ev]
        self.assertEqual(ats, sorted(ats))

    def test_failed_changes_log_nothing(self):
        a = self.create()
        ev = self.events(a['id'])
        self.patch(a['id'], {'status': 'closed'}, expect=409)
        self.patch(a['id'], {'nope': 1}, expect=400)
        self.note(a['id'], {'text': ''})
        self.assertEqual(self.events(a['id']), ev)

    def test_notes(self):
        a = self.create()
        r = self.note(a['id'], {'text': 'called the ICO helpline'})
        self.assertStatus(r, 201)
        e = r[2]
        self.assertEqual(set(e), EVENT_KEYS)
        self.assertEqual(e['action'], 'note.added')
        self.assertEqual(e['data'], {'text': 'called the ICO helpline'})
        self.assertEqual(e['actor'], 'handler')
        self.assertEqual(e['incident_id'], a['id'])
        ev = self.events(a['id'])
        self.assertEqual(ev[-1], e)
        r = self.note(a['id'], {'text': 'n' * 20000}, user='dpo')
        self.assertStatus(r, 201)
        self.assertEqual(r[2]['data']['text'], 'n' * 20000)
        # visible to the viewer
        self.assertEqual(self.events(a['id'], user='viewer')[-1], r[2])
        n = len(self.events(a['id']))
        for body in ({}, {'text': ''}, {'text': 'n' * 20001}, {'text': 5},
                     {'text': None}, {'text': 'x', 'actor': 'admin'}):
            with self.subTest(body=repr(body)[:40]):
                r = self.note(a['id'], body)
                field = 'actor' if 'actor' in body else 'text'
                self.assertProblem(r, 400, 'invalid-field', field=field)
        self.assertProblem(self.note(a['id'], {'text': 'x'}, user='viewer'),
                           403, 'forbidden')
        self.assertProblem(self.note(999999, {'text': 'x'}), 404,
                           'not-found')
        self.assertEqual(len(self.events(a['id'])), n)

    def test_audit_verify_api(self):
        b = self.verify()
        self.assertEqual(set(b), {'ok', 'events'})
        self.assertIs(b['ok'], True)
        self.assertIsInstance(b['events'], int)
        a = self.create()
        st, _, lst = self.fx.as_('handler', 'GET',
                                 '/api/v1/incidents?limit=200')
        self.assertEqual(st, 200)
        self.assertIsNone(lst['next_cursor'])
        total = sum(len(self.events(i['id'])) for i in lst['items'])
        b2 = self.verify(user='admin')
        self.assertIs(b2['ok'], True)
        self.assertGreaterEqual(b2['events'], total)
        self.assertGreater(b2['events'], b['events'])
        self.assertStatus(self.note(a['id'], {'text': 'one more'}), 201)
        b3 = self.verify()
        self.assertEqual(b3['events'], b2['events'] + 1)
        self.assertProblem(self.fx.as_('handler', 'GET',
                                       '/api/v1/audit/verify'),
                           403, 'forbidden')

    def test_zz_cli_verify_and_tamper(self):
        # runs last (alphabetical order): stops the module's server
        a = self.create(title='tamper target')
        for i in range(3):
            self.assertStatus(self.note(a['id'], {'text': 'note %d' % i}), 201)
        api = self.verify()
        ev = self.events(a['id'])
        rc = self.fx.stop()
        self.assertEqual(rc, 0, 'SIGTERM exit status')
        p = harness.run_cli('audit', 'verify', '--db', self.fx.db)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(p.stdout.strip(), 'ok events=%d' % api['events'])

        target = ev[1]['id']  # a note in the middle of the chain
        nxt = ev[2]['id']

        def copy(name):
            dst = os.path.join(self.fx.tmpdir, name)
            for suf in ('', '-wal', '-shm'):
                if os.path.exists(self.fx.db + suf):
                    shutil.copyfile(self.fx.db + suf, dst + suf)
            return dst

        def tamper(db, sql, args):
            con = sqlite3.connect(db)
            try:
                try:
                    con.execute(sql, args)
                except sqlite3.DatabaseError:
                    # append-only triggers: an attacker drops them first
                    for (name,) in con.execute(
                            "SELECT name FROM sqlite_master WHERE "
                            "type='trigger' AND tbl_name='events'").fetchall():
                        con.execute('DROP TRIGGER "%s"' % name)
                    con.execute(sql, args)
                con.commit()
            finally:
                con.close()

        con = sqlite3.connect(self.fx.db)
        cols = [r[1] for r in con.execute('PRAGMA table_info(events)')]
        con.close()
        self.assertTrue(cols, 'no events table')
        col = next((c for c in ('data', 'payload', 'data_json', 'action',
                                'actor') if c in cols), None)
        self.assertIsNotNone(col, 'no tamperable column in %r' % cols)
        idcol = 'id' if 'id' in cols else 'rowid'

        scenarios = {
            'edit': ('UPDATE events SET "%s" = ? WHERE %s = ?' % (col, idcol),
                     ('{"text":"forged"}' if col.startswith(('data',
                                                             'payload'))
                      else 'forged', target)),
            'delete': ('DELETE FROM events WHERE %s = ?' % idcol, (target,)),
        }
        for name, (sql, args) in scenarios.items():
            with self.subTest(name):
                db = copy('tampered-%s.db' % name)
                tamper(db, sql, args)
                p = harness.run_cli('audit', 'verify', '--db', db)
                self.assertEqual(p.returncode, 1, p.stdout + p.stderr)
                m = re.fullmatch(r'broken at event=(\d+)', p.stdout.strip())
                self.assertTrue(m, p.stdout)
                self.assertIn(int(m.group(1)), (target, nxt))
                # the API tells the same story
                srv = harness.Server(self.fx.tmpdir, [
                    '--db', db, '--listen', '127.0.0.1:0'],
                    log_name='server-%s.log' % name).start()
                try:
                    st, _, b = srv.request('GET', '/api/v1/audit/verify',
                                           token=self.fx.tok['admin'])
                finally:
                    self.assertEqual(srv.stop(), 0)
                self.assertEqual(st, 200, b)
                self.assertIs(b.get('ok'), False, b)
                self.assertEqual(b.get('broken_at'), int(m.group(1)), b)
        # the original is still fine
        p = harness.run_cli('audit', 'verify', '--db', self.fx.db)
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)


if __name__ == '__main__':
    harness.main()
