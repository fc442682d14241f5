"""Retention: closed incidents lose their personal free text after the
configured period (CLI `retention run` and the server's background pass),
open ones are untouched, every anonymisation is an audit event, and the
audit chain still verifies -- but not after a forged redaction."""

import datetime
import json
import os
import shutil
import sqlite3
import sys
import tempfile
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import HOUR, now, ts  # noqa: E402

MARK = '[anonymised]'
DAY = datetime.timedelta(days=1)
SECRET = 'Jane Doe'        # personal data in every free text of A and B
KEEP = 'Mary Major'        # personal data of the open incident C


def setUpModule():
    harness.setup_module()


def tearDownModule():
    harness.teardown_module()


def dump(*docs):
    return json.dumps(docs, sort_keys=True)


class Retention(harness.ApiCase):
    """One ordered scenario on the module's server and database."""

    def note(self, iid, text, user='handler'):
        return self.fx.as_(user, 'POST', '/api/v1/incidents/%d/notes' % iid,
                           body={'text': text})

    def everything(self, iid):
        """The incident, its decisions, obligations and timeline."""
        out = [self.get(iid), self.obligations(iid), self.events(iid)]
        r = self.fx.as_('dpo', 'GET',
                        '/api/v1/incidents/%d/risk-decisions' % iid)
        self.assertStatus(r, 200)
        out.append(r[2])
        return out

    def run_retention(self, period, at):
        p = harness.run_cli('retention', 'run', '--db', self.fx.db,
                            '--retention', period, '--now', ts(at))
        self.assertEqual(p.returncode, 0, p.stderr)
        return int(p.stdout.strip().split('=')[1])

    def make_closed(self):
        aware = now() - 80 * HOUR
        a = self.create(
            title='Payroll file sent to %s' % SECRET,
            description='%s received the payroll of 40 staff.' % SECRET,
            likely_consequences='%s could misuse bank details.' % SECRET,
            measures_taken='Asked %s to delete it.' % SECRET,
            dpo_contact='dpo@example.com, deputy %s' % SECRET,
            data_categories=['financial', 'basic_identifiers'],
            subject_categories=['employees'], subjects_count=40,
            discovered_at=ts(aware - HOUR))
        iid = a['id']
        self.patch(iid, {'status': 'investigating', 'aware_at': ts(aware)})
        self.assertStatus(self.note(iid, 'Phoned %s.' % SECRET), 201)
        self.decide(iid, 'high', rationale='Bank details; %s.' % SECRET)
        obl = self.obligations(iid)
        ico = obl['uk_gdpr_art33_ico']
        version = self.get(iid)['version']
        r = self.fx.as_('dpo', 'POST', '/api/v1/incidents/%d/obligations/%d/'
                        'notifications' % (iid, ico['id']), body={
                            'sent_at': ts(now() - HOUR),
                            'reference': 'IC-123456-A1B2',
                            'delay_reason': 'Waited for %s.' % SECRET,
                            'notice_kind': 'ico_report',
                            'text': 'ICO report about %s.' % SECRET,
                            'incident_version': version})
        self.assertStatus(r, 201, 'late ICO notification')
        art34 = obl['uk_gdpr_art34_individuals']
        r = self.fx.as_('dpo', 'POST', '/api/v1/incidents/%d/obligations/%d/'
                        'waive' % (iid, art34['id']),
                        body={'reason': 'Told %s in person.' % SECRET})
        self.assertStatus(r, 200, 'waive Art. 34')
        self.walk(iid, 'confirmed', 'contained', 'closed')
        return iid

    def test_scenario(self):
        a = self.make_closed()
        b = self.create(title='Not a breach: %s' % SECRET)['id']
        self.patch(b, {'status': 'investigating'})
        self.patch(b, {'status': 'not_a_breach',
                       'not_a_breach_reason': 'Only %s own data.' % SECRET})
        c = self.create(title='Open case', description='About %s.' % KEEP,
                        subjects_count=3)['id']
        self.patch(c, {'status': 'investigating'})
        before_a = self.get(a)
        self.assertIn(SECRET, dump(*self.everything(a)))

        # Not yet: closed less than the period ago.
        self.assertEqual(self.run_retention('30d', now() + 29 * DAY), 0)
        self.assertIsNone(self.get(a)['anonymised_at'])
        self.assertIn(SECRET, dump(*self.everything(b)))

        # Past the period: A and B, not C.
        self.assertEqual(self.run_retention('30d', now() + 31 * DAY), 2)
        for iid in (a, b):
            docs = self.everything(iid)
            self.assertNotIn('Jane', dump(*docs), 'personal text left')
            self.assertIn(MARK, dump(*docs))
        inc = self.get(a)
        self.assertTs(inc['anonymised_at'])
        self.assertEqual(inc['title'], MARK)
        for f in ('description', 'likely_consequences', 'measures_taken',
                  'dpo_contact'):
            self.assertEqual(inc[f], MARK, f)
        self.assertIsNone(inc['measures_proposed'], 'never set stays null')
        # the register facts stay
        for f in ('ref', 'status', 'risk', 'discovered_at', 'aware_at',
                  'data_categories', 'subject_categories', 'subjects_count',
                  'jurisdictions', 'reporter', 'created_at', 'role',
                  'encryption', 'confidentiality_impact'):
            self.assertEqual(inc[f], before_a[f], f)
        self.assertEqual(inc['version'], before_a['version'] + 1)
        obl = self.obligations(a)
        ico = obl['uk_gdpr_art33_ico']
        self.assertEqual(ico['state'], 'met')
        self.assertEqual(ico['reference'], 'IC-123456-A1B2')
        self.assertEqual(ico['delay_reason'], MARK)
        self.assertEqual(ico['notifications'][0]['delay_reason'], MARK)
        self.assertEqual(ico['notifications'][0]['notice']['text'], MARK)
        self.assertEqual(ico['notifications'][0]['notice']['kind'],
                         'ico_report')
        self.assertEqual(obl['uk_gdpr_art34_individuals']['state'], 'waived')
        self.assertEqual(
            obl['uk_gdpr_art34_individuals']['waive_reason'], MARK)
        self.assertEqual(self.get(b)['not_a_breach_reason'], MARK)

        # one audit event per anonymisation, listing the redacted events
        ev = self.events(a)
        last = ev[-1]
        self.assertEqual(last['action'], 'incident.anonymised')
        self.assertEqual(last['actor'], 'cli')
        self.assertEqual(last['data']['ref'], inc['ref'])
        self.assertEqual(last['data']['retention_seconds'], 30 * 86400)
        self.assertEqual(last['data']['legacy_events_kept'], 0)
        ids = {e['id'] for e in ev}
        red = last['data']['redacted_events']
        self.assertTrue(red and set(red) <= ids, red)
        notes = [e for e in ev if e['action'] == 'note.added']
        self.assertEqual(notes[0]['data'], {'text': MARK})
        self.assertIn(notes[0]['id'], red)
        status = [e['data'] for e in ev
                  if e['action'] == 'incident.status_changed']
        self.assertEqual(status[-1], {'from': 'contained', 'to': 'closed'})
        self.assertEqual(sum(e['action'] == 'incident.anonymised'
                             for e in self.events(b)), 1)

        # the open incident is untouched
        self.assertIn(KEEP, dump(*self.everything(c)))
        self.assertIsNone(self.get(c)['anonymised_at'])
        self.assertEqual(self.get(c)['description'], 'About %s.' % KEEP)

        # the chain verifies (API and CLI)
        r = self.fx.as_('dpo', 'GET', '/api/v1/audit/verify')
        self.assertStatus(r, 200)
        self.assertIs(r[2]['ok'], True, r[2])
        p = harness.run_cli('audit', 'verify', '--db', self.fx.db)
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)

        # an anonymised incident takes no notes; an open one does
        self.assertProblem(self.note(a, 'More about %s' % SECRET), 409,
                           'conflict')
        self.assertStatus(self.note(c, 'Still open'), 201)

        # a second pass finds nothing more to do
        self.assertEqual(self.run_retention('30d', now() + 400 * DAY), 0)
        self.assertEqual(sum(e['action'] == 'incident.anonymised'
                             for e in self.events(a)), 1)


class Background(unittest.TestCase):
    """The server's own pass, with a period of seconds."""

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix='bc-retention-')
        self.db = os.path.join(self.tmp, 'bc.db')
        self.tok = harness.make_db(self.db, {'handler': 'handler',
                                             'dpo': 'dpo'})
        self.srv = None

    def tearDown(self):
        if self.srv is not None:
            self.srv.stop()
        shutil.rmtree(self.tmp, ignore_errors=True)

    def req(self, method, path, body=None, headers=None, user='handler'):
        return self.srv.request(method, path, token=self.tok[user],
                                body=body, headers=headers)

    def incident(self, **fields):
        body = {'discovered_at': ts(now() - HOUR)}
        body.update(fields)
        st, _, inc = self.req('POST', '/api/v1/incidents', body)
        self.assertEqual(st, 201, inc)
        return inc

    def walk(self, iid, *steps):
        for step in steps:
            st, _, inc = self.req('GET', '/api/v1/incidents/%d' % iid)
            st, _, inc = self.req('PATCH', '/api/v1/incidents/%d' % iid,
                                  step, {'If-Match': '"%d"' % inc['version']})
            self.assertEqual(st, 200, inc)

    def test_server_pass_and_forged_redaction(self):
        self.srv = harness.Server(self.tmp, [
            '--db', self.db, '--listen', '127.0.0.1:0', '--retention', '2s',
            '--retention-interval', '1', '--log-level', 'debug']).start()
        closed = self.incident(title='Lost laptop of %s' % SECRET)['id']
        self.walk(closed, {'status': 'investigating'},
                  {'status': 'not_a_breach',
                   'not_a_breach_reason': 'Encrypted; %s' % SECRET})
        open_ = self.incident(title='Open', description=KEEP)['id']
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            st, _, inc = self.req('GET', '/api/v1/incidents/%d' % closed)
            if inc['anonymised_at'] is not None:
                break
            time.sleep(0.2)
        self.assertIsNotNone(inc['anonymised_at'], 'no background pass')
        self.assertEqual(inc['title'], MARK)
        st, _, ev = self.req('GET', '/api/v1/incidents/%d/events' % closed)
        self.assertNotIn(SECRET, json.dumps(ev))
        self.assertEqual(ev['items'][-1]['action'], 'incident.anonymised')
        self.assertEqual(ev['items'][-1]['actor'], 'system')
        st, _, inc = self.req('GET', '/api/v1/incidents/%d' % open_)
        self.assertEqual(inc['description'], KEEP)
        self.assertIsNone(inc['anonymised_at'])
        st, _, v = self.req('GET', '/api/v1/audit/verify', user='dpo')
        self.assertIs(v['ok'], True, v)
        st, _, ev_open = self.req('GET', '/api/v1/incidents/%d/events'
                                  % open_)
        self.assertEqual(self.srv.stop(), 0)
        self.srv = None

        # The trigger lets only a first redaction through...
        con = sqlite3.connect(self.db)
        target = ev_open['items'][0]['id']
        with self.assertRaises(sqlite3.DatabaseError):
            con.execute('UPDATE events SET data = ? WHERE id = ?',
                        ('{"title":"forged"}', target))
        red = ev['items'][-1]['data']['redacted_events'][0]
        with self.assertRaises(sqlite3.DatabaseError):
            con.execute('UPDATE events SET data = ?, redacted_at = 2 '
                        'WHERE id = ?', ('{"title":"again"}', red))
        # ...and a "redaction" no anonymisation event vouches for breaks
        # the chain there, even with the triggers dropped.
        for (name,) in con.execute("SELECT name FROM sqlite_master WHERE "
                                   "type = 'trigger' AND "
                                   "tbl_name = 'events'").fetchall():
            con.execute('DROP TRIGGER "%s"' % name)
        con.execute('UPDATE events SET data = ?, redacted_at = 1 '
                    'WHERE id = ?', ('{"title":"[anonymised]"}', target))
        con.commit()
        con.close()
        p = harness.run_cli('audit', 'verify', '--db', self.db)
        self.assertEqual(p.returncode, 1, p.stdout + p.stderr)
        self.assertEqual(p.stdout.strip(), 'broken at event=%d' % target)

    def test_bad_period(self):
        for bad in ('5x', '-1d', 'd', '1.5d', '100000000d'):
            p = harness.run_cli('retention', 'run', '--db', self.db,
                                '--retention', bad)
            self.assertEqual(p.returncode, 2, (bad, p.stderr))
            self.assertIn('retention', p.stderr)
        p = harness.run_cli('retention', 'run', '--db', self.db, '--now',
                            'tomorrow', '--retention', '1d')
        self.assertEqual(p.returncode, 2, p.stderr)
        p = harness.run_cli('retention', 'run', '--db', self.db)
        self.assertEqual((p.returncode, p.stdout), (0, 'anonymised=0\n'))
        self.assertIn('retention is off', p.stderr)


if __name__ == '__main__':
    harness.main()
