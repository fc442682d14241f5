"""PATCH: preconditions, validation, lifecycle, atomicity, concurrency."""

import json
import os
import sys
import threading

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import HOUR, MINUTE, now, ts  # noqa: E402

STATUSES = ['suspected', 'investigating', 'confirmed', 'not_a_breach',
            'contained', 'closed']
EDGES = {('suspected', 'investigating'), ('investigating', 'confirmed'),
         ('investigating', 'not_a_breach'), ('confirmed', 'contained'),
         ('contained', 'closed')}
# how to reach each state from suspected
PATHS = {
    'suspected': [],
    'investigating': ['investigating'],
    'confirmed': ['investigating', 'confirmed'],
    'not_a_breach': ['investigating', 'not_a_breach'],
    'contained': ['investigating', 'confirmed', 'contained'],
    'closed': ['investigating', 'confirmed', 'contained', 'closed'],
}


def setUpModule():
    harness.setup_module()


def tearDownModule():
    harness.teardown_module()


class Patch(harness.ApiCase):

    def raw_patch(self, iid, body, if_match=None, user='handler', **kw):
        h = dict(kw.pop('headers', {}))
        if if_match is not None:
            h['If-Match'] = if_match
        return self.fx.as_(user, 'PATCH', '/api/v1/incidents/%d' % iid,
                           body=body, headers=h, **kw)

    def snapshot(self, iid):
        st, h, b = self.fx.as_('handler', 'GET', '/api/v1/incidents/%d' % iid)
        self.assertEqual(st, 200)
        return h.get('etag'), b, self.events(iid)

    def assertUnchanged(self, iid, snap):
        self.assertEqual(self.snapshot(iid), snap,
                         'a failed PATCH changed the incident')

    def test_if_match_required(self):
        a = self.create()
        snap = self.snapshot(a['id'])
        r = self.raw_patch(a['id'], {'title': 'no precondition'})
        self.assertProblem(r, 428, 'precondition-required')
        self.assertUnchanged(a['id'], snap)

    def test_stale_etag(self):
        a = self.create()
        st, h, b = self.raw_patch(a['id'], {'title': 'v2'}, '"1"')
        self.assertEqual(st, 200, b)
        snap = self.snapshot(a['id'])
        for tag in ('"1"', '"3"', '"999"', '"abc"'):
            with self.subTest(tag):
                r = self.raw_patch(a['id'], {'title': 'stale'}, tag)
                self.assertProblem(r, 412, 'precondition-failed')
        self.assertUnchanged(a['id'], snap)

    def test_success_bumps_version(self):
        a = self.create(title='before')
        st, h, b = self.raw_patch(a['id'], {'title': 'after',
                                            'description': 'more'}, '"1"')
        self.assertEqual(st, 200, b)
        self.assertEqual(b['version'], 2)
        self.assertEqual(h.get('etag'), '"2"')
        self.assertEqual(b['title'], 'after')
        self.assertEqual(b['description'], 'more')
        self.assertEqual(b['created_at'], a['created_at'])
        self.assertEqual(b['ref'], a['ref'])
        self.assertEqual(b['reporter'], a['reporter'])
        self.assertGreaterEqual(harness.parse_ts(b['updated_at']),
                                harness.parse_ts(a['updated_at']))
        # fields not in the patch are kept
        for k in a:
            if k not in ('title', 'description', 'version', 'updated_at'):
                self.assertEqual(b[k], a[k], k)
        st, h, g = self.fx.as_('handler', 'GET', '/api/v1/incidents/%d'
                               % a['id'])
        self.assertEqual(h.get('etag'), '"2"')
        self.assertEqual(g, b)
        st, h, b = self.raw_patch(a['id'], {'title': 'third'}, '"2"',
                                  user='dpo')
        self.assertEqual(st, 200, b)
        self.assertEqual(h.get('etag'), '"3"')

    def test_patch_null_and_times(self):
        d = now() - 5 * HOUR
        a = self.create(discovered_at=ts(d), aware_at=ts(d + HOUR),
                        controller_name='X', subjects_count=5)
        b = self.patch(a['id'], {'aware_at': None, 'controller_name': None,
                                 'subjects_count': None,
                                 'occurred_from': ts(d - HOUR)})[2]
        self.assertIsNone(b['aware_at'])
        self.assertIsNone(b['controller_name'])
        self.assertIsNone(b['subjects_count'])
        self.assertEqual(b['occurred_from'], ts(d - HOUR))
        b = self.patch(a['id'], {'aware_at': (d + 2 * HOUR).astimezone(
            harness.datetime.timezone(harness.datetime.timedelta(
                hours=-3))).isoformat()})[2]
        self.assertEqual(b['aware_at'], ts(d + 2 * HOUR))

    def test_patch_assignee(self):
        a = self.create()
        b = self.patch(a['id'], {'assignee': 'dpo'})[2]
        self.assertEqual(b['assignee'], 'dpo')
        snap = self.snapshot(a['id'])
        r = self.patch(a['id'], {'assignee': 'ghost-user'}, expect=None)
        self.assertProblem(r, r[0], ('invalid-field', 'constraint-violation'),
                           field='assignee')
        self.assertIn(r[0], (400, 422))
        self.assertUnchanged(a['id'], snap)
        b = self.patch(a['id'], {'assignee': None})[2]
        self.assertIsNone(b['assignee'])

    def test_patch_invalid(self):
        a = self.create()
        snap = self.snapshot(a['id'])
        cases = [
            ({'title': None}, 'title'), ({'title': ''}, 'title'),
            ({'discovered_at': None}, 'discovered_at'),
            ({'title': 'ok', 'colour': 'red'}, 'colour'),
            ({'title': 'ok', 'version': 1}, 'version'),
            ({'title': 'ok', 'id': 1}, 'id'),
            ({'title': 'ok', 'ref': 'BR-2026-0001'}, 'ref'),
            ({'title': 'ok', 'reporter': 'dpo'}, 'reporter'),
            ({'title': 'ok', 'risk': 'high'}, 'risk'),
            ({'title': 'ok', 'created_at': ts(now())}, 'created_at'),
            ({'title': 'ok', 'updated_at': ts(now())}, 'updated_at'),
            ({'title': 'ok', 'next_due_at': None}, 'next_due_at'),
            ({'title': 'ok', 'status': 'bogus'}, 'status'),
            ({'title': 'ok', 'status': 5}, 'status'),
            ({'title': 'ok', 'aware_at': '2026-02-30T10:00:00Z'}, 'aware_at'),
            ({'title': 'ok', 'aware_at': '2026-03-01T24:00:00Z'}, 'aware_at'),
            ({'title': 'ok', 'aware_at': '2026-03-01T10:00:60Z'}, 'aware_at'),
            ({'title': 'ok', 'aware_at': '2026-03-01T10:00:00'}, 'aware_at'),
            ({'title': 'ok', 'jurisdictions': ['XX', 'XX']}, 'jurisdictions'),
            ({'title': 'ok', 'controller_notice_hours': 0},
             'controller_notice_hours'),
            ({'title': 'ok', 'encryption': 'rot13'}, 'encryption'),
        ]
        for body, field in cases:
            with self.subTest(body):
                r = self.patch(a['id'], body, expect=None,
                               version=a['version'])
                self.assertProblem(r, 400, 'invalid-field', field=field,
                                   msg=json.dumps(body))
        for raw in (b'{', b'[]', b'{"title": "x"} junk'):
            with self.subTest(raw):
                r = self.raw_patch(a['id'], None, '"1"', raw=raw, headers={
                    'Content-Type': 'application/json'})
                self.assertEqual(r[0], 400, r)
        r = self.raw_patch(a['id'], None, '"1"', raw=b'{"title": "x"}',
                           headers={'Content-Type': 'text/plain'})
        self.assertProblem(r, 415, 'unsupported-media-type')
        self.assertUnchanged(a['id'], snap)

    def test_patch_constraints(self):
        d = now() - 10 * HOUR
        a = self.create(discovered_at=ts(d), aware_at=ts(d + HOUR))
        snap = self.snapshot(a['id'])
        cases = [
            ({'title': 'x', 'aware_at': ts(d - MINUTE)}, ('aware_at',)),
            ({'title': 'x', 'discovered_at': ts(d + 2 * HOUR)},
             ('aware_at', 'discovered_at')),
            ({'title': 'x', 'occurred_from': ts(d + MINUTE)},
             ('occurred_from', 'discovered_at')),
            ({'title': 'x', 'occurred_from': ts(d - HOUR),
              'occurred_to': ts(d - 2 * HOUR)},
             ('occurred_from', 'occurred_to')),
            ({'title': 'x', 'aware_at': ts(now() + 10 * MINUTE)},
             ('aware_at',)),
        ]
        for body, fields in cases:
            with self.subTest(body):
                r = self.patch(a['id'], body, expect=None,
                               version=a['version'])
                self.assertProblem(r, 422, 'constraint-violation',
                                   field=fields, msg=json.dumps(body))
        self.assertUnchanged(a['id'], snap)

    def test_patch_not_found(self):
        r = self.raw_patch(999999, {'title': 'x'}, '"1"')
        self.assertProblem(r, 404, 'not-found')

    def test_transition_matrix(self):
        d = now() - 6 * HOUR
        for frm in STATUSES:
            for to in STATUSES:
                if frm == to:
                    continue
                with self.subTest(frm=frm, to=to):
                    a = self.create(title='%s->%s' % (frm, to),
                                    discovered_at=ts(d),
                                    aware_at=ts(d + HOUR),
                                    not_a_breach_reason='test data only')
                    self.walk(a['id'], *PATHS[frm])
                    snap = self.snapshot(a['id'])
                    self.assertEqual(snap[1]['status'], frm)
                    r = self.patch(a['id'], {'status': to}, expect=None)
                    if (frm, to) in EDGES:
                        self.assertStatus(r, 200, '%s->%s' % (frm, to))
                        self.assertEqual(r[2]['status'], to)
                        self.assertEqual(r[2]['version'],
                                         snap[1]['version'] + 1)
                    else:
                        self.assertProblem(r, 409, 'illegal-transition',
                                           msg='%s->%s' % (frm, to))
                        self.assertUnchanged(a['id'], snap)

    def test_confirm_needs_aware_at(self):
        d = now() - 6 * HOUR
        a = self.create(discovered_at=ts(d))
        self.walk(a['id'], 'investigating')
        snap = self.snapshot(a['id'])
        r = self.patch(a['id'], {'status': 'confirmed', 'title': 'changed'},
                       expect=None)
        self.assertProblem(r, 422, 'constraint-violation', field='aware_at')
        self.assertUnchanged(a['id'], snap)
        # aware_at in the same patch is enough
        b = self.patch(a['id'], {'status': 'confirmed',
                                 'aware_at': ts(d + HOUR)})[2]
        self.assertEqual(b['status'], 'confirmed')
        self.assertEqual(b['aware_at'], ts(d + HOUR))

    def test_confirm_clearing_aware_at(self):
        d = now() - 6 * HOUR
        a = self.create(discovered_at=ts(d), aware_at=ts(d + HOUR))
        self.walk(a['id'], 'investigating')
        snap = self.snapshot(a['id'])
        r = self.patch(a['id'], {'status': 'confirmed', 'aware_at': None},
                       expect=None)
        self.assertProblem(r, 422, 'constraint-violation', field='aware_at')
        self.assertUnchanged(a['id'], snap)

    def test_confirm_late_awareness_needs_justification(self):
        d = now() - 72 * HOUR
        a = self.create(discovered_at=ts(d), aware_at=ts(d + 25 * HOUR))
        self.walk(a['id'], 'investigating')
        snap = self.snapshot(a['id'])
        for extra in ({}, {'awareness_justification': ''},
                      {'awareness_justification': None}):
            with self.subTest(extra):
                body = {'status': 'confirmed'}
                body.update(extra)
                r = self.patch(a['id'], body, expect=None)
                self.assertProblem(r, 422, 'constraint-violation',
                                   field='awareness_justification')
                self.assertUnchanged(a['id'], snap)
        b = self.patch(a['id'], {
            'status': 'confirmed',
            'awareness_justification': 'forensics took a day'})[2]
        self.assertEqual(b['status'], 'confirmed')
        self.assertEqual(b['awareness_justification'], 'forensics took a day')

    def test_confirm_gap_exactly_24h_is_fine(self):
        d = now() - 72 * HOUR
        a = self.create(discovered_at=ts(d), aware_at=ts(d + 24 * HOUR))
        self.walk(a['id'], 'investigating')
        b = self.patch(a['id'], {'status': 'confirmed'})[2]
        self.assertEqual(b['status'], 'confirmed')
        # one second more needs a justification
        a = self.create(discovered_at=ts(d), aware_at=ts(
            d + 24 * HOUR + harness.datetime.timedelta(seconds=1)))
        self.walk(a['id'], 'investigating')
        r = self.patch(a['id'], {'status': 'confirmed'}, expect=None)
        self.assertProblem(r, 422, 'constraint-violation',
                           field='awareness_justification')

    def test_not_a_breach_needs_reason(self):
        a = self.create()
        self.walk(a['id'], 'investigating')
        snap = self.snapshot(a['id'])
        for extra in ({}, {'not_a_breach_reason': ''},
                      {'not_a_breach_reason': None}):
            with self.subTest(extra):
                body = {'status': 'not_a_breach', 'title': 'changed'}
                body.update(extra)
                r = self.patch(a['id'], body, expect=None)
                self.assertProblem(r, 422, 'constraint-violation',
                                   field='not_a_breach_reason')
                self.assertUnchanged(a['id'], snap)
        b = self.patch(a['id'], {'status': 'not_a_breach',
                                 'not_a_breach_reason': 'test data'})[2]
        self.assertEqual(b['status'], 'not_a_breach')
        self.assertEqual(b['not_a_breach_reason'], 'test data')

    def test_failed_transition_writes_nothing(self):
        a = self.create(title='original')
        snap = self.snapshot(a['id'])
        r = self.patch(a['id'], {'title': 'new', 'status': 'closed'},
                       expect=None)
        self.assertProblem(r, 409, 'illegal-transition')
        r = self.patch(a['id'], {'title': 'new', 'colour': 'blue'},
                       expect=None)
        self.assertProblem(r, 400, 'invalid-field', field='colour')
        self.assertUnchanged(a['id'], snap)
        self.assertEqual(snap[1]['title'], 'original')

    def test_concurrent_patches(self):
        a = self.create(title='race')
        n = 16
        barrier = threading.Barrier(n)
        results = [None] * n

        def worker(i):
            barrier.wait()
            try:
                results[i] = self.fx.as_(
                    'handler', 'PATCH', '/api/v1/incidents/%d' % a['id'],
                    body={'title': 'winner %d' % i},
                    headers={'If-Match': '"1"'})
            except Exception as e:  # a crash is a result too
                results[i] = (None, {}, repr(e))

        threads = [threading.Thread(target=worker, args=(i,))
                   for i in range(n)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        codes = sorted(r[0] for r in results)
        self.assertEqual(codes, [200] + [412] * (n - 1), codes)
        winner = [i for i in range(n) if results[i][0] == 200][0]
        for r in results:
            if r[0] == 412:
                self.assertProblem(r, 412, 'precondition-failed')
        b = self.get(a['id'])
        self.assertEqual(b['version'], 2)
        self.assertEqual(b['title'], 'winner %d' % winner)
        upd = [e for e in self.events(a['id'])
               if e['action'] == 'incident.updated']
        self.assertEqual(len(upd), 1)


if __name__ == '__main__':
    harness.main()
