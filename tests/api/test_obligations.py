"""Obligations under UK GDPR: creation, recompute, notifications, waive."""

import datetime
import os
import sys
import threading

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import HOUR, MINUTE, now, parse_ts, ts  # noqa: E402

ICO = 'uk_gdpr_art33_ico'
ART34 = 'uk_gdpr_art34_individuals'
PROC = 'uk_gdpr_art33_2_processor'
OBL_KEYS = {'id', 'incident_id', 'regime_id', 'regime_name', 'legal_source',
            'citation_url', 'phase', 'phase_name', 'target', 'recipient',
            'clock_start', 'starts_at', 'due_at', 'state', 'met_at',
            'reference', 'delay_reason', 'waive_reason', 'basis',
            'notifications'}
NOTE_KEYS = {'id', 'obligation_id', 'sent_at', 'recipient', 'reference',
             'follow_up', 'delay_reason', 'recorded_by', 'recorded_at',
             'notice'}


def setUpModule():
    harness.setup_module()


def tearDownModule():
    harness.teardown_module()


class Obligations(harness.ApiCase):

    def notify(self, iid, oid, body, user='handler'):
        return self.fx.as_(user, 'POST',
                           '/api/v1/incidents/%d/obligations/%d/notifications'
                           % (iid, oid), body=body)

    def obligation(self, iid, oid, user='handler'):
        r = self.fx.as_(user, 'GET', '/api/v1/incidents/%d/obligations/%d'
                        % (iid, oid))
        self.assertStatus(r, 200)
        return r[2]

    def aware_incident(self, aware, **kw):
        return self.create(discovered_at=ts(aware - HOUR), aware_at=ts(aware),
                           **kw)

    # ---- ICO

    def test_no_obligation_without_aware_at(self):
        a = self.create()
        self.assertEqual(self.obligations(a['id']), {})
        self.assertIsNone(a['next_due_at'])

    def test_ico_obligation(self):
        aware = now() - 5 * HOUR
        a = self.aware_incident(aware)
        obl = self.obligations(a['id'])
        self.assertEqual(set(obl), {ICO})
        o = obl[ICO]
        self.assertEqual(OBL_KEYS, set(o))
        self.assertEqual(o['incident_id'], a['id'])
        # an incident that lists no jurisdictions is treated as GB; the
        # one phase of a single-deadline regime is 'notification'
        self.assertEqual(a['jurisdictions'], [])
        self.assertEqual(o['phase'], 'notification')
        self.assertEqual(o['phase_name'], 'Notification to the ICO')
        self.assertIs(o['target'], False)
        self.assertIn('Art', o['legal_source'])
        self.assertTrue(o['citation_url'].startswith('https://'),
                        o['citation_url'])
        self.assertEqual(o['recipient'],
                         "Information Commissioner's Office (ICO)")
        self.assertEqual(o['starts_at'], ts(aware))
        self.assertEqual(o['due_at'], ts(aware + 72 * HOUR))
        self.assertEqual(o['state'], 'pending')
        self.assertIsNone(o['met_at'])
        self.assertEqual(o['notifications'], [])
        self.assertTrue(o['regime_name'])
        self.assertTrue(o['basis'])
        self.assertEqual(a['next_due_at'], ts(aware + 72 * HOUR))
        self.assertEqual(self.obligation(a['id'], o['id']), o)
        # the viewer and the owner-reporter can read it too
        self.assertEqual(self.obligations(a['id'], user='viewer')[ICO], o)

    def test_ico_with_offset_and_dst(self):
        # aware_at given with an offset; 72 h is elapsed time, across the
        # UK's DST change on 2026-03-29 still exactly 72 real hours.
        aware = datetime.datetime(2026, 3, 27, 12, 0,
                                  tzinfo=datetime.timezone.utc)
        a = self.create(discovered_at='2026-03-27T12:00:00+01:00',
                        aware_at='2026-03-27T13:00:00+01:00')
        o = self.obligations(a['id'])[ICO]
        self.assertEqual(o['starts_at'], ts(aware))
        self.assertEqual(o['due_at'], ts(aware + 72 * HOUR))
        self.assertEqual(o['due_at'], '2026-03-30T12:00:00Z')

    def test_obligation_appears_on_patch(self):
        d = now() - 10 * HOUR
        a = self.create(discovered_at=ts(d))
        self.assertEqual(self.obligations(a['id']), {})
        aware = d + 2 * HOUR
        b = self.patch(a['id'], {'aware_at': ts(aware)})[2]
        o = self.obligations(a['id'])[ICO]
        self.assertEqual(o['due_at'], ts(aware + 72 * HOUR))
        self.assertEqual(b['next_due_at'], ts(aware + 72 * HOUR))
        acts = [e['action'] for e in self.events(a['id'])]
        self.assertIn('obligation.created', acts)

    def test_aware_at_change_moves_due(self):
        aware = now() - 10 * HOUR
        a = self.aware_incident(aware)
        o1 = self.obligations(a['id'])[ICO]
        n_before = len([e for e in self.events(a['id'])
                        if e['action'] == 'obligation.updated'])
        aware2 = aware + 3 * HOUR
        b = self.patch(a['id'], {'aware_at': ts(aware2)})[2]
        o2 = self.obligations(a['id'])[ICO]
        self.assertEqual(o2['id'], o1['id'])
        self.assertEqual(o2['due_at'], ts(aware2 + 72 * HOUR))
        self.assertEqual(o2['starts_at'], ts(aware2))
        self.assertEqual(b['next_due_at'], ts(aware2 + 72 * HOUR))
        upd = [e for e in self.events(a['id'])
               if e['action'] == 'obligation.updated']
        self.assertEqual(len(upd), n_before + 1)
        # a change that moves no deadline logs no obligation.updated
        self.patch(a['id'], {'title': 'renamed'})
        upd2 = [e for e in self.events(a['id'])
                if e['action'] == 'obligation.updated']
        self.assertEqual(len(upd2), len(upd))

    def test_unlikely_not_required(self):
        aware = now() - 5 * HOUR
        a = self.aware_incident(aware)
        d = self.decide(a['id'], 'unlikely', rationale='encrypted, key safe')
        self.assertEqual(d['level'], 'unlikely')
        o = self.obligations(a['id'])[ICO]
        self.assertEqual(o['state'], 'not_required')
        b = self.get(a['id'])
        self.assertEqual(b['risk'], 'unlikely')
        self.assertIsNone(b['next_due_at'])
        # a later decision 'risk' makes it pending again
        self.decide(a['id'], 'risk')
        o = self.obligations(a['id'])[ICO]
        self.assertEqual(o['state'], 'pending')
        self.assertEqual(o['due_at'], ts(aware + 72 * HOUR))
        self.assertEqual(self.get(a['id'])['risk'], 'risk')

    def test_not_a_breach_not_required(self):
        aware = now() - 5 * HOUR
        # by design a controller owes the ICO, a processor its controller
        for role, regime in (('controller', ICO), ('processor', PROC)):
            with self.subTest(role):
                a = self.aware_incident(aware, role=role)
                self.assertEqual(self.obligations(a['id'])[regime]['state'],
                                 'pending')
                self.walk(a['id'], 'investigating')
                self.patch(a['id'], {'status': 'not_a_breach',
                                     'not_a_breach_reason': 'test records'})
                obl = self.obligations(a['id'])
                self.assertEqual(set(obl), {regime})
                self.assertEqual(obl[regime]['state'], 'not_required')

    # ---- Art. 34

    def test_high_creates_art34(self):
        aware = now() - 5 * HOUR
        a = self.aware_incident(aware)
        v = self.get(a['id'])['version']
        d = self.decide(a['id'], 'high', rationale='health data')
        self.assertEqual(set(d), {'id', 'incident_id', 'level', 'rationale',
                                  'decided_by', 'decided_at'})
        self.assertEqual(d['incident_id'], a['id'])
        self.assertEqual(d['decided_by'], 'dpo')
        self.assertEqual(d['rationale'], 'health data')
        decided = self.assertTs(d['decided_at'])
        self.assertLessEqual(abs((decided - now()).total_seconds()), 300)
        b = self.get(a['id'])
        self.assertEqual(b['risk'], 'high')
        self.assertEqual(b['version'], v + 1)
        obl = self.obligations(a['id'])
        o = obl[ART34]
        self.assertEqual(o['recipient'], 'affected data subjects')
        self.assertEqual(o['state'], 'pending')
        self.assertEqual(o['due_at'], ts(decided + 72 * HOUR))
        self.assertEqual(obl[ICO]['state'], 'pending')
        # earliest pending due
        self.assertEqual(b['next_due_at'], min(
            o['due_at'], obl[ICO]['due_at'], key=parse_ts))
        # downgrade: Art. 34 no longer required, ICO still is
        self.decide(a['id'], 'risk')
        obl = self.obligations(a['id'])
        self.assertEqual(obl[ART34]['state'], 'not_required')
        self.assertEqual(obl[ICO]['state'], 'pending')

    def test_no_art34_without_high(self):
        a = self.aware_incident(now() - 5 * HOUR)
        self.decide(a['id'], 'risk')
        self.assertNotIn(ART34, self.obligations(a['id']))

    # ---- processor

    def test_processor(self):
        aware = now() - 5 * HOUR
        a = self.aware_incident(aware, role='processor',
                                controller_name='Acme Ltd',
                                controller_notice_hours=36)
        obl = self.obligations(a['id'])
        # by design a processor owes its controller, not the ICO
        self.assertEqual(set(obl), {PROC})
        o = obl[PROC]
        self.assertEqual(o['recipient'], 'Acme Ltd')
        self.assertIs(o['target'], True)
        self.assertEqual(o['starts_at'], ts(aware))
        self.assertEqual(o['due_at'], ts(aware + 36 * HOUR))
        self.assertEqual(o['state'], 'pending')
        self.assertEqual(self.get(a['id'])['next_due_at'],
                         ts(aware + 36 * HOUR))
        # notice hours change moves it
        self.patch(a['id'], {'controller_notice_hours': 12})
        o = self.obligations(a['id'])[PROC]
        self.assertEqual(o['due_at'], ts(aware + 12 * HOUR))
        # controller again: not required, and the ICO clock now runs
        self.patch(a['id'], {'role': 'controller'})
        obl = self.obligations(a['id'])
        self.assertEqual(set(obl), {PROC, ICO})
        self.assertEqual(obl[PROC]['state'], 'not_required')
        self.assertEqual(obl[ICO]['state'], 'pending')
        self.assertEqual(obl[ICO]['due_at'], ts(aware + 72 * HOUR))

    def test_processor_without_aware_uses_discovered(self):
        d = now() - 5 * HOUR
        a = self.create(discovered_at=ts(d), role='processor')
        obl = self.obligations(a['id'])
        self.assertEqual(set(obl), {PROC})
        o = obl[PROC]
        self.assertEqual(o['recipient'], 'the controller')
        self.assertEqual(o['starts_at'], ts(d))
        self.assertEqual(o['due_at'], ts(d + 24 * HOUR))
        aware = d + HOUR
        self.patch(a['id'], {'aware_at': ts(aware)})
        o = self.obligations(a['id'])[PROC]
        self.assertEqual(o['starts_at'], ts(aware))
        self.assertEqual(o['due_at'], ts(aware + 24 * HOUR))

    # ---- notifications

    def test_notify_on_time(self):
        aware = now() - 5 * HOUR
        a = self.aware_incident(aware)
        o = self.obligations(a['id'])[ICO]
        sent = aware + HOUR
        r = self.notify(a['id'], o['id'], {
            'sent_at': (sent).astimezone(datetime.timezone(
                datetime.timedelta(hours=1))).isoformat(),
            'reference': 'ICO-12345', 'recipient': 'ICO online form'})
        self.assertStatus(r, 201)
        n = r[2]
        self.assertEqual(set(n), NOTE_KEYS)
        self.assertEqual(r[1].get('location'),
                         '/api/v1/incidents/%d/obligations/%d'
                         % (a['id'], o['id']))
        self.assertEqual(n['obligation_id'], o['id'])
        self.assertEqual(n['sent_at'], ts(sent))
        self.assertEqual(n['reference'], 'ICO-12345')
        self.assertEqual(n['recipient'], 'ICO online form')
        self.assertIs(n['follow_up'], False)
        self.assertIsNone(n['delay_reason'])
        self.assertEqual(n['recorded_by'], 'handler')
        self.assertTs(n['recorded_at'])
        o2 = self.obligation(a['id'], o['id'])
        self.assertEqual(o2['state'], 'met')
        self.assertEqual(o2['met_at'], ts(sent))
        self.assertEqual(o2['due_at'], o['due_at'])
        self.assertEqual([x['id'] for x in o2['notifications']], [n['id']])
        self.assertIsNone(self.get(a['id'])['next_due_at'])
        acts = [e['action'] for e in self.events(a['id'])]
        self.assertIn('notification.recorded', acts)

        # follow-up after met is fine and changes nothing else
        r = self.notify(a['id'], o['id'], {'sent_at': ts(now() - MINUTE),
                                           'follow_up': True})
        self.assertStatus(r, 201)
        self.assertIs(r[2]['follow_up'], True)
        o3 = self.obligation(a['id'], o['id'])
        self.assertEqual(o3['state'], 'met')
        self.assertEqual(o3['met_at'], ts(sent))
        self.assertEqual(len(o3['notifications']), 2)

        # a second initial notice
        snap = (self.obligation(a['id'], o['id']), self.events(a['id']))
        r = self.notify(a['id'], o['id'], {'sent_at': ts(now() - MINUTE)})
        self.assertProblem(r, 409, 'conflict')
        self.assertEqual((self.obligation(a['id'], o['id']),
                          self.events(a['id'])), snap)

        # met obligations are not changed by a recompute
        self.patch(a['id'], {'aware_at': ts(aware + 30 * MINUTE)})
        o4 = self.obligation(a['id'], o['id'])
        self.assertEqual(o4['state'], 'met')
        self.assertEqual(o4['due_at'], o['due_at'])
        self.assertEqual(o4['met_at'], ts(sent))

    def test_concurrent_initial_notices(self):
        a = self.aware_incident(now() - 5 * HOUR)
        o = self.obligations(a['id'])[ICO]
        n = 8
        barrier = threading.Barrier(n)
        out = [None] * n

        def worker(i):
            barrier.wait()
            out[i] = self.notify(a['id'], o['id'], {
                'sent_at': ts(now() - MINUTE), 'reference': 'r%d' % i})

        ts_ = [threading.Thread(target=worker, args=(i,)) for i in range(n)]
        for t in ts_:
            t.start()
        for t in ts_:
            t.join(60)
        codes = sorted(r[0] for r in out)
        self.assertEqual(codes, [201] + [409] * (n - 1), codes)
        o2 = self.obligation(a['id'], o['id'])
        self.assertEqual(o2['state'], 'met')
        self.assertEqual(len(o2['notifications']), 1)

    def test_follow_up_before_met(self):
        a = self.aware_incident(now() - 5 * HOUR)
        o = self.obligations(a['id'])[ICO]
        snap = (o, self.events(a['id']))
        r = self.notify(a['id'], o['id'], {'sent_at': ts(now() - MINUTE),
                                           'follow_up': True})
        self.assertProblem(r, 409, 'conflict')
        self.assertEqual((self.obligation(a['id'], o['id']),
                          self.events(a['id'])), snap)

    def test_follow_up_before_first_notice(self):
        a = self.aware_incident(now() - 5 * HOUR)
        o = self.obligations(a['id'])[ICO]
        first = now() - 2 * HOUR
        self.assertStatus(self.notify(a['id'], o['id'],
                                      {'sent_at': ts(first)}), 201)
        snap = (self.obligation(a['id'], o['id']), self.events(a['id']))
        r = self.notify(a['id'], o['id'], {'sent_at': ts(first - MINUTE),
                                           'follow_up': True})
        self.assertProblem(r, 422, 'constraint-violation', 'sent_at')
        self.assertIn(ts(first), r[2]['detail'])
        self.assertEqual((self.obligation(a['id'], o['id']),
                          self.events(a['id'])), snap)
        # the same instant as the first notice is fine
        self.assertStatus(self.notify(a['id'], o['id'], {
            'sent_at': ts(first), 'follow_up': True}), 201)

    def test_missed_and_late_notice(self):
        aware = datetime.datetime(2020, 1, 6, 9, 30,
                                  tzinfo=datetime.timezone.utc)
        a = self.aware_incident(aware)
        o = self.obligations(a['id'])[ICO]
        self.assertEqual(o['due_at'], ts(aware + 72 * HOUR))
        self.assertEqual(o['state'], 'missed')
        snap = (o, self.events(a['id']), self.get(a['id']))
        for extra, status in (({}, 422), ({'delay_reason': ''}, 422),
                              ({'delay_reason': None}, 400)):
            with self.subTest(extra):
                body = {'sent_at': ts(now() - MINUTE), 'reference': 'late'}
                body.update(extra)
                r = self.notify(a['id'], o['id'], body)
                self.assertProblem(r, status, 'constraint-violation'
                                   if status == 422 else 'invalid-field',
                                   field='delay_reason')
                self.assertEqual((self.obligation(a['id'], o['id']),
                                  self.events(a['id']), self.get(a['id'])),
                                 snap, 'a rejected notice wrote something')
        sent = now() - MINUTE
        r = self.notify(a['id'], o['id'], {
            'sent_at': ts(sent), 'delay_reason': 'found the laptop late'})
        self.assertStatus(r, 201)
        self.assertEqual(r[2]['delay_reason'], 'found the laptop late')
        o2 = self.obligation(a['id'], o['id'])
        self.assertEqual(o2['state'], 'met')
        self.assertEqual(o2['met_at'], ts(sent))

    def test_notice_at_due_is_on_time(self):
        aware = datetime.datetime(2021, 5, 3, 8, 0,
                                  tzinfo=datetime.timezone.utc)
        a = self.aware_incident(aware)
        o = self.obligations(a['id'])[ICO]
        r = self.notify(a['id'], o['id'], {'sent_at': ts(aware + 72 * HOUR)})
        self.assertStatus(r, 201)
        self.assertEqual(self.obligation(a['id'], o['id'])['state'], 'met')
        a = self.aware_incident(aware)
        o = self.obligations(a['id'])[ICO]
        r = self.notify(a['id'], o['id'], {'sent_at': ts(
            aware + 72 * HOUR + datetime.timedelta(seconds=1))})
        self.assertProblem(r, 422, 'constraint-violation',
                           field='delay_reason')

    def test_notification_validation(self):
        a = self.aware_incident(now() - 5 * HOUR)
        o = self.obligations(a['id'])[ICO]
        snap = (o, self.events(a['id']))
        cases = [
            ({}, 400, 'sent_at'),
            ({'sent_at': None}, 400, 'sent_at'),
            ({'sent_at': '2026-02-30T10:00:00Z'}, 400, 'sent_at'),
            ({'sent_at': '2026-03-01T10:00:00'}, 400, 'sent_at'),
            ({'sent_at': ts(now() - HOUR), 'follow_up': 'no'}, 400,
             'follow_up'),
            ({'sent_at': ts(now() - HOUR), 'reference': 5}, 400, 'reference'),
            ({'sent_at': ts(now() - HOUR), 'extra': 1}, 400, 'extra'),
            ({'sent_at': ts(now() - HOUR), 'state': 'met'}, 400, 'state'),
            ({'sent_at': ts(now() + HOUR)}, 422, 'sent_at'),
        ]
        for body, status, field in cases:
            with self.subTest(body):
                r = self.notify(a['id'], o['id'], body)
                slug = 'invalid-field' if status == 400 \
                    else 'constraint-violation'
                self.assertProblem(r, status, slug, field=field)
        self.assertEqual((self.obligation(a['id'], o['id']),
                          self.events(a['id'])), snap)

    def test_notification_null_fields(self):
        # null is no value for a field that cannot be null (the spec); it
        # is not "not given" (a null recipient once recorded the default)
        a = self.aware_incident(now() - 5 * HOUR)
        o = self.obligations(a['id'])[ICO]
        snap = (o, self.events(a['id']))
        for field in ('recipient', 'reference', 'follow_up', 'delay_reason',
                      'notice_kind', 'text', 'incident_version'):
            with self.subTest(field):
                r = self.notify(a['id'], o['id'], {
                    'sent_at': ts(now() - HOUR), field: None})
                self.assertProblem(r, 400, 'invalid-field', field=field)
                self.assertEqual(r[2]['detail'], field + ': must not be null')
        self.assertEqual((self.obligation(a['id'], o['id']),
                          self.events(a['id'])), snap)
        path = '/api/v1/incidents/%d/obligations/%d/waive' % (a['id'], o['id'])
        r = self.fx.as_('dpo', 'POST', path, body={'reason': None})
        self.assertProblem(r, 400, 'invalid-field', field='reason')

    def test_notice_not_before_discovery(self):
        # a notice cannot go out before the breach was discovered; one
        # "sent" in 1970 once met the obligation on time
        disc = now() - 6 * HOUR
        a = self.create(discovered_at=ts(disc), aware_at=ts(disc + HOUR))
        o = self.obligations(a['id'])[ICO]
        snap = (o, self.events(a['id']))
        for sent in ('1970-01-01T00:00:00Z', ts(disc - MINUTE),
                     ts(disc - datetime.timedelta(seconds=1))):
            with self.subTest(sent):
                r = self.notify(a['id'], o['id'], {'sent_at': sent})
                self.assertProblem(r, 422, 'constraint-violation',
                                   field='sent_at')
        self.assertEqual((self.obligation(a['id'], o['id']),
                          self.events(a['id'])), snap)
        # at the very instant of discovery is fine, and then a follow-up
        # before it is refused too
        r = self.notify(a['id'], o['id'], {'sent_at': ts(disc)})
        self.assertStatus(r, 201)
        self.assertEqual(self.obligation(a['id'], o['id'])['state'], 'met')
        r = self.notify(a['id'], o['id'], {'sent_at': ts(disc - HOUR),
                                           'follow_up': True})
        self.assertProblem(r, 422, 'constraint-violation', field='sent_at')
        self.assertEqual(len(self.obligation(a['id'], o['id'])
                             ['notifications']), 1)

    def test_notify_not_required_or_waived(self):
        c = self.aware_incident(now() - 5 * HOUR)
        self.decide(c['id'], 'unlikely', rationale='no risk')
        obl = self.obligations(c['id'])
        self.assertEqual(obl[ICO]['state'], 'not_required')
        r = self.notify(c['id'], obl[ICO]['id'],
                        {'sent_at': ts(now() - MINUTE)})
        self.assertProblem(r, 409, 'conflict')
        # a processor's notice to its controller has no risk threshold
        a = self.aware_incident(now() - 5 * HOUR, role='processor')
        self.decide(a['id'], 'unlikely', rationale='no risk')
        obl = self.obligations(a['id'])
        self.assertEqual(obl[PROC]['state'], 'pending')
        # waive the processor notice
        pid = obl[PROC]['id']
        r = self.fx.as_('dpo', 'POST', '/api/v1/incidents/%d/obligations/%d/'
                        'waive' % (a['id'], pid),
                        body={'reason': 'controller told us first'})
        self.assertStatus(r, 200)
        self.assertEqual(r[2]['id'], pid)
        self.assertEqual(r[2]['state'], 'waived')
        self.assertEqual(self.obligation(a['id'], pid)['state'], 'waived')
        acts = [e['action'] for e in self.events(a['id'])]
        self.assertIn('obligation.waived', acts)
        r = self.notify(a['id'], pid, {'sent_at': ts(now() - MINUTE)})
        self.assertProblem(r, 409, 'conflict')
        # waived stays waived through a recompute
        self.patch(a['id'], {'controller_notice_hours': 48})
        self.assertEqual(self.obligation(a['id'], pid)['state'], 'waived')

    def test_waive_validation(self):
        a = self.aware_incident(now() - 5 * HOUR)
        o = self.obligations(a['id'])[ICO]
        path = '/api/v1/incidents/%d/obligations/%d/waive' % (a['id'], o['id'])
        for body in ({}, {'reason': 5}, {'reason': 'x', 'other': 1}):
            with self.subTest(body):
                r = self.fx.as_('dpo', 'POST', path, body=body)
                self.assertEqual(r[0], 400, r)
        self.assertProblem(self.fx.as_('handler', 'POST', path,
                                       body={'reason': 'x'}), 403, 'forbidden')
        self.assertEqual(self.obligation(a['id'], o['id'])['state'], 'pending')

    def test_obligation_not_found(self):
        a = self.aware_incident(now() - 5 * HOUR)
        b = self.aware_incident(now() - 5 * HOUR)
        ob = self.obligations(b['id'])[ICO]
        for p in ('/api/v1/incidents/%d/obligations/%d' % (a['id'], ob['id']),
                  '/api/v1/incidents/%d/obligations/999999' % a['id'],
                  '/api/v1/incidents/999999/obligations',
                  '/api/v1/incidents/%d/obligations/x' % a['id']):
            with self.subTest(p):
                self.assertProblem(self.fx.as_('handler', 'GET', p), 404,
                                   'not-found')
        r = self.notify(a['id'], ob['id'], {'sent_at': ts(now() - MINUTE)})
        self.assertProblem(r, 404, 'not-found')

    # ---- risk decisions

    def test_risk_decisions(self):
        a = self.create()
        path = '/api/v1/incidents/%d/risk-decisions' % a['id']
        d1 = self.decide(a['id'], 'risk', rationale='')
        d2 = self.decide(a['id'], 'high', rationale='x' * 20000,
                         user='handler')
        st, _, b = self.fx.as_('viewer', 'GET', path)
        self.assertEqual(st, 200)
        self.assertEqual([d['id'] for d in b['items']], [d1['id'], d2['id']])
        self.assertEqual(b['items'][1], d2)
        snap = (self.get(a['id']), b)
        cases = [
            ({'level': 'unlikely'}, ('rationale',)),
            ({'level': 'unlikely', 'rationale': ''}, ('rationale',)),
            ({'level': 'medium', 'rationale': 'x'}, ('level',)),
            ({'rationale': 'x'}, ('level',)),
            ({'level': 'risk', 'rationale': 'x' * 20001}, ('rationale',)),
            ({'level': 'risk', 'rationale': 'x', 'by': 'me'}, ('by',)),
            ({'level': 'high', 'rationale': None}, ('rationale',)),
            ({'level': None, 'rationale': 'x'}, ('level',)),
        ]
        for body, field in cases:
            with self.subTest(body):
                r = self.fx.as_('dpo', 'POST', path, body=body)
                self.assertIn(r[0], (400, 422), r)
                self.assertProblem(r, r[0], ('invalid-field',
                                             'constraint-violation'),
                                   field=field)
        self.assertEqual((self.get(a['id']),
                          self.fx.as_('viewer', 'GET', path)[2]), snap)
        r = self.fx.as_('dpo', 'POST', path, body={'level': 'high',
                                                   'rationale': None})
        self.assertProblem(r, 400, 'invalid-field', field='rationale')
        self.assertEqual(r[2]['detail'], 'rationale: must not be null')

    def test_risk_decision_on_closed(self):
        d = now() - 5 * HOUR
        for path, extra in ((['investigating', 'confirmed', 'contained',
                              'closed'], {}),
                            (['investigating', 'not_a_breach'],
                             {'not_a_breach_reason': 'no personal data'})):
            with self.subTest(path[-1]):
                a = self.create(discovered_at=ts(d), aware_at=ts(d + HOUR),
                                **extra)
                self.walk(a['id'], *path)
                r = self.fx.as_('dpo', 'POST', '/api/v1/incidents/%d/'
                                'risk-decisions' % a['id'],
                                body={'level': 'high', 'rationale': 'x'})
                self.assertProblem(r, 409, 'conflict')
                self.assertIsNone(self.get(a['id'])['risk'])


if __name__ == '__main__':
    harness.main()
