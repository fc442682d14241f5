"""ENISA severity assessments: POST/GET /api/v1/incidents/{id}/assessments."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402

KEYS = {'id', 'incident_id', 'inputs', 'score', 'level', 'suggestion',
        'reasons', 'assessed_by', 'assessed_at'}

BODY = {
    'data_type': 'financial', 'context_adjustment': 1,
    'ease_of_identification': 'significant',
    'confidentiality': 'known_recipients', 'integrity': 'none',
    'availability': 'none', 'malicious': False,
}


def setUpModule():
    harness.setup_module()


def tearDownModule():
    harness.teardown_module()


class Assessments(harness.ApiCase):

    def post(self, iid, body, user='dpo'):
        return self.fx.as_(user, 'POST',
                           '/api/v1/incidents/%d/assessments' % iid,
                           body=body)

    def test_create_and_list(self):
        iid = self.create()['id']
        st, hdr, b = self.post(iid, BODY)
        self.assertEqual(st, 201, b)
        self.assertEqual(set(b), KEYS)
        # (3 + 1) x 0.75 + 0.25 = 3.25
        self.assertEqual(b['score'], 3.25)
        self.assertEqual(b['level'], 'high')
        self.assertEqual(b['suggestion'], 'high')
        self.assertEqual(b['assessed_by'], 'dpo')
        self.assertEqual(b['inputs']['mitigations'], [])
        self.assertIn('SE = DPC × EI + CB = 4 × 0.75 + 0.25 = 3.25',
                      ' '.join(b['reasons']))
        body = dict(BODY, mitigations=['trusted_recipient_deleted'])
        st, _, b2 = self.post(iid, body, user='handler')
        self.assertEqual(st, 201, b2)
        self.assertEqual(b2['suggestion'], 'unlikely')
        self.assertEqual(b2['score'], 3.25)
        st, _, lst = self.fx.as_('viewer', 'GET',
                                 '/api/v1/incidents/%d/assessments' % iid)
        self.assertEqual(st, 200, lst)
        self.assertEqual([a['id'] for a in lst['items']],
                         [b['id'], b2['id']])
        ev = [e for e in self.events(iid) if e['action'] == 'risk.assessed']
        self.assertEqual(len(ev), 2, ev)
        self.assertEqual(ev[0]['data']['suggestion'], 'high')

    def test_whole_numbers(self):
        iid = self.create()['id']
        body = dict(BODY, data_type='sensitive', context_adjustment=0,
                    ease_of_identification='maximum',
                    confidentiality='none')
        st, _, b = self.post(iid, body)
        self.assertEqual(st, 201, b)
        self.assertEqual(b['score'], 4)
        self.assertEqual(b['level'], 'very high')

    def test_invalid(self):
        iid = self.create()['id']
        cases = [
            (dict(BODY, colour='red'), 400, 'colour'),
            (dict(BODY, data_type='medical'), 400, 'data_type'),
            ({k: v for k, v in BODY.items() if k != 'integrity'}, 400,
             'integrity'),
            (dict(BODY, context_adjustment=2), 400, 'context_adjustment'),
            (dict(BODY, context_adjustment=1.5), 400, 'context_adjustment'),
            (dict(BODY, context_adjustment=10**15), 400,
             'context_adjustment'),
            (dict(BODY, malicious='yes'), 400, 'malicious'),
            (dict(BODY, malicious=None), 400, 'malicious'),
            (dict(BODY, context_adjustment=None), 400, 'context_adjustment'),
            (dict(BODY, mitigations=None), 400, 'mitigations'),
            (dict(BODY, mitigations='encrypted_key_safe'), 400,
             'mitigations'),
            (dict(BODY, mitigations=['encrypted_key_safe'] * 2), 400,
             'mitigations'),
            (dict(BODY, mitigations=['magic']), 400, 'mitigations'),
            (dict(BODY, confidentiality='unknown_recipients',
                  mitigations=['trusted_recipient_deleted']), 422,
             'mitigations'),
            (dict(BODY, availability='permanent',
                  mitigations=['restored_from_backup']), 422,
             'mitigations'),
        ]
        for body, status, field in cases:
            r = self.post(iid, body)
            slug = 'invalid-field' if status == 400 else \
                'constraint-violation'
            self.assertProblem(r, status, slug, field, msg=repr(body))
            if body.get(field, 0) is None:
                self.assertEqual(r[2]['detail'], field + ': must not be null')
        st, _, lst = self.fx.as_('dpo', 'GET',
                                 '/api/v1/incidents/%d/assessments' % iid)
        self.assertEqual(lst['items'], [])

    def test_roles_and_missing(self):
        iid = self.create()['id']
        self.assertProblem(self.post(iid, BODY, user='reporter'), 403)
        self.assertProblem(self.post(iid, BODY, user='viewer'), 403)
        self.assertProblem(self.post(999999, BODY), 404)
        self.assertProblem(self.fx.as_(
            'dpo', 'GET', '/api/v1/incidents/999999/assessments'), 404)

    def test_reporter_sees_own_only(self):
        iid = self.create(user='reporter')['id']
        st, _, b = self.post(iid, BODY, user='handler')
        self.assertEqual(st, 201, b)
        st, _, lst = self.fx.as_('reporter', 'GET',
                                 '/api/v1/incidents/%d/assessments' % iid)
        self.assertEqual(st, 200, lst)
        self.assertEqual([a['id'] for a in lst['items']], [b['id']])
        self.assertProblem(self.fx.as_(
            'reporter2', 'GET', '/api/v1/incidents/%d/assessments' % iid),
            404, 'not-found')

    def test_location_header(self):
        iid = self.create()['id']
        st, hdr, b = self.post(iid, BODY)
        self.assertEqual(st, 201, b)
        self.assertEqual(hdr.get('location'),
                         '/api/v1/incidents/%d/assessments' % iid)
        self.assertEqual(b['incident_id'], iid)
        self.assertTs(b['assessed_at'])

    def test_decision_against_suggestion_needs_rationale(self):
        iid = self.create()['id']
        st, _, b = self.post(iid, BODY)          # suggests 'high'
        self.assertEqual(st, 201, b)
        path = '/api/v1/incidents/%d/risk-decisions' % iid
        r = self.fx.as_('dpo', 'POST', path, body={'level': 'risk'})
        self.assertProblem(r, 422, 'constraint-violation', 'rationale')
        r = self.fx.as_('dpo', 'POST', path,
                        body={'level': 'risk', 'rationale': '   '})
        self.assertProblem(r, 422, 'constraint-violation', 'rationale')
        self.assertEqual(self.get(iid)['risk'], None)
        # following the suggestion needs none; differing with one is fine
        r = self.fx.as_('dpo', 'POST', path, body={'level': 'high'})
        self.assertStatus(r, 201)
        r = self.fx.as_('dpo', 'POST', path,
                        body={'level': 'risk', 'rationale': 'contained'})
        self.assertStatus(r, 201)
        self.assertEqual(self.get(iid)['risk'], 'risk')

    def test_closed_incident_conflict(self):
        iid = self.create(discovered_at=harness.ts(
            harness.now() - 3 * harness.HOUR), aware_at=harness.ts(
            harness.now() - 2 * harness.HOUR))['id']
        self.patch(iid, {'status': 'investigating'})
        self.patch(iid, {'status': 'not_a_breach',
                         'not_a_breach_reason': 'test data'})
        self.assertProblem(self.post(iid, BODY), 409, 'conflict')
        st, _, lst = self.fx.as_('dpo', 'GET',
                                 '/api/v1/incidents/%d/assessments' % iid)
        self.assertEqual(lst['items'], [])
        self.assertNotIn('risk.assessed',
                         [e['action'] for e in self.events(iid)])


if __name__ == '__main__':
    harness.main()
