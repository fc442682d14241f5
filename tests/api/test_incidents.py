"""POST/GET/list of incidents: validation, limits, refs, idempotency, ACL."""

import datetime
import json
import os
import re
import sys
import threading
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import HOUR, MINUTE, now, ts  # noqa: E402

WRITABLE = [
    'title', 'description', 'cyber_incident', 'how_discovered',
    'occurred_from', 'occurred_to', 'discovered_at', 'aware_at',
    'awareness_justification', 'not_a_breach_reason', 'role',
    'controller_name', 'controller_notice_hours', 'jurisdictions',
    'data_categories', 'subject_categories', 'sector_flags',
    'subjects_count', 'records_count', 'confidentiality_impact',
    'integrity_impact', 'availability_impact', 'encryption', 'backups',
    'likely_consequences', 'measures_taken', 'measures_proposed',
    'dpo_contact', 'assignee',
]
READ_ONLY = ['id', 'ref', 'status', 'risk', 'reporter', 'version',
             'created_at', 'updated_at', 'next_due_at']
TIME_FIELDS = ['occurred_from', 'occurred_to', 'discovered_at', 'aware_at']
BAD_TIMES = [
    '2026-02-30T10:00:00Z',       # no Feb 30
    '2025-02-29T10:00:00Z',       # not a leap year
    '2026-03-01T24:00:00Z',       # hour 24
    '2026-03-01T10:60:00Z',       # minute 60
    '2026-03-01T10:00:60Z',       # second 60
    '2026-13-01T10:00:00Z',       # month 13
    '2026-00-10T10:00:00Z',       # month 0
    '2026-03-00T10:00:00Z',       # day 0
    '2026-03-01T10:00:00',        # no offset
    '2026-03-01',                 # date only
    '2026-03-01 10:00:00Z',       # no T
    '2026-03-01T10:00:00+25:00',  # offset out of range
    '2026-03-01T10:00:00+0100',   # offset without colon
    '2026-03-01T10:00:00.Z',      # fraction without digits
    '26-03-01T10:00:00Z',         # two-digit year
    '2026-3-1T10:00:00Z',         # unpadded
    ' 2026-03-01T10:00:00Z',      # leading space
    'yesterday', '', 1772359200, True, ['2026-03-01T10:00:00Z'],
]
RE_REF = re.compile(r'^BR-(\d{4})-(\d{4})$')


def setUpModule():
    harness.setup_module()


def tearDownModule():
    harness.teardown_module()


def base(**kw):
    b = {'title': 'Laptop stolen', 'discovered_at': ts(now() - 3 * HOUR)}
    b.update(kw)
    return b


class Create(harness.ApiCase):

    def post(self, body, user='handler', **kw):
        return self.fx.as_(user, 'POST', '/api/v1/incidents', body=body, **kw)

    def count(self):
        """Number of incidents the handler sees."""
        n, cursor = 0, None
        while True:
            q = '/api/v1/incidents?limit=200'
            if cursor:
                q += '&cursor=' + urllib.parse.quote(cursor)
            st, _, b = self.fx.as_('handler', 'GET', q)
            self.assertEqual(st, 200, b)
            n += len(b['items'])
            cursor = b['next_cursor']
            if cursor is None:
                return n

    def test_create_minimal(self):
        before = now()
        disc = now() - 5 * HOUR
        st, h, b = self.post({'title': 'Minimal', 'discovered_at': ts(disc)})
        after = now()
        self.assertEqual(st, 201, b)
        self.assertTrue(h.get('content-type', '').startswith(
            'application/json'))
        for k in WRITABLE + READ_ONLY:
            self.assertIn(k, b, 'incident lacks %s' % k)
        self.assertIsInstance(b['id'], int)
        self.assertEqual(h.get('location'), '/api/v1/incidents/%d' % b['id'])
        self.assertEqual(h.get('etag'), '"1"')
        self.assertEqual(b['title'], 'Minimal')
        self.assertEqual(b['discovered_at'], ts(disc))
        self.assertEqual(b['status'], 'suspected')
        self.assertEqual(b['version'], 1)
        self.assertEqual(b['reporter'], 'handler')
        self.assertIsNone(b['risk'])
        self.assertIsNone(b['aware_at'])
        self.assertIsNone(b['next_due_at'])
        self.assertEqual(b['cyber_incident'], 'unknown')
        self.assertEqual(b['role'], 'controller')
        self.assertEqual(b['controller_notice_hours'], 24)
        self.assertEqual(b['encryption'], 'unknown')
        self.assertEqual(b['backups'], 'unknown')
        m = RE_REF.match(b['ref'])
        self.assertTrue(m, b['ref'])
        self.assertIn(int(m.group(1)), (before.year, after.year))
        c = self.assertTs(b['created_at'])
        u = self.assertTs(b['updated_at'])
        self.assertLessEqual(abs((c - before).total_seconds()), 300)
        self.assertLessEqual(c, u)
        # GET returns the same thing
        st, h2, g = self.fx.as_('handler', 'GET', h['location'])
        self.assertEqual(st, 200)
        self.assertEqual(g, b)
        self.assertEqual(h2.get('etag'), '"1"')

    def test_create_full(self):
        t0 = now() - 48 * HOUR
        body = {
            'title': 'Full ' + 'x' * 195,
            'description': 'd' * 20000,
            'cyber_incident': 'yes',
            'how_discovered': 'h' * 4000,
            'occurred_from': ts(t0),
            'occurred_to': ts(t0 + HOUR),
            'discovered_at': ts(t0 + 2 * HOUR),
            'aware_at': ts(t0 + 3 * HOUR),
            'awareness_justification': 'j' * 4000,
            'not_a_breach_reason': None,
            'role': 'processor',
            'controller_name': 'c' * 200,
            'controller_notice_hours': 720,
            'jurisdictions': ['GB', 'DE', 'US-CA', 'GB-ENG', 'BR'],
            'data_categories': ['basic_identifiers', 'contact_details',
                                'identification_documents', 'credentials',
                                'financial', 'location', 'health', 'genetic',
                                'biometric', 'racial_ethnic_origin',
                                'political_opinions', 'religious_beliefs',
                                'trade_union', 'sex_life_orientation',
                                'criminal_offence', 'children',
                                'communications', 'other'],
            'subject_categories': ['employees', 'customers',
                                   'prospective_customers', 'children',
                                   'vulnerable_adults', 'patients',
                                   'students', 'users', 'members',
                                   'suppliers', 'other', 'unknown'],
            'sector_flags': ['pecr_provider', 'nis_entity', 'nis2_entity',
                             'dora_financial_entity', 'hipaa_covered_entity',
                             'hipaa_business_associate', 'sec_registrant',
                             'lgpd_small_agent'],
            'subjects_count': 10 ** 12,
            'records_count': 0,
            'confidentiality_impact': True,
            'integrity_impact': False,
            'availability_impact': True,
            'encryption': 'key_compromised',
            'backups': 'restored',
            'likely_consequences': 'l' * 20000,
            'measures_taken': 'mt',
            'measures_proposed': 'mp',
            'dpo_contact': 'dpo@example.com',
            'assignee': 'dpo',
        }
        self.assertEqual(set(body), set(WRITABLE))
        st, h, b = self.post(body, user='dpo')
        self.assertEqual(st, 201, b)
        for k, v in body.items():
            self.assertEqual(b[k], v, k)
        self.assertEqual(b['reporter'], 'dpo')
        self.assertEqual(h.get('etag'), '"1"')
        st, _, g = self.fx.as_('handler', 'GET', h['location'])
        self.assertEqual(g, b)

    def test_enum_values_accepted(self):
        for field, values in (
                ('cyber_incident', ['yes', 'no', 'unknown']),
                ('encryption', ['none', 'key_safe', 'key_compromised',
                                'unknown']),
                ('backups', ['none', 'available', 'restored', 'unknown']),
                ('role', ['controller', 'processor'])):
            for v in values:
                with self.subTest(field=field, value=v):
                    st, _, b = self.post(base(**{field: v}))
                    self.assertEqual(st, 201, b)
                    self.assertEqual(b[field], v)

    def test_time_normalisation(self):
        cases = [
            ('2026-03-01T11:00:00+01:00', '2026-03-01T10:00:00Z'),
            ('2026-03-01T04:30:00-05:30', '2026-03-01T10:00:00Z'),
            ('2026-03-01T10:00:00.123456Z', '2026-03-01T10:00:00Z'),
            ('2026-03-01T10:00:00.9+00:00', '2026-03-01T10:00:00Z'),
            ('2026-03-01T00:30:00+01:00', '2026-02-28T23:30:00Z'),
            ('2024-02-29T12:00:00Z', '2024-02-29T12:00:00Z'),
            ('2025-12-31T23:59:59Z', '2025-12-31T23:59:59Z'),
        ]
        for given, want in cases:
            with self.subTest(given):
                st, _, b = self.post(base(discovered_at=given))
                self.assertEqual(st, 201, b)
                self.assertEqual(b['discovered_at'], want)

    def test_time_range_message(self):
        """An instant outside 1970..9999 is told so, wherever the API takes
        one; a malformed one still gets the RFC 3339 message."""
        rng = 'must be between 1970-01-01 and 9999-12-31'
        form = 'must be an RFC 3339 date-time'
        out = ['1969-12-31T23:59:59Z', '1900-01-01T00:00:00Z',
               '0000-01-01T00:00:00Z', '1970-01-01T00:30:00+01:00',
               '9999-12-31T23:00:00-05:00', '10000-01-01T00:00:00Z']
        for t in out:
            with self.subTest(field=t):
                r = self.post(base(discovered_at=t))
                self.assertProblem(r, 400, 'invalid-field',
                                   field='discovered_at')
                self.assertIn('discovered_at: ' + rng, r[2]['detail'])
        r = self.post(base(discovered_at='2026-13-01T00:00:00Z'))
        self.assertIn(form, r[2]['detail'])
        self.assertNotIn('1970', r[2]['detail'])
        r = self.post(base(determinations={'sec_material': out[0]}))
        self.assertProblem(r, 400, 'invalid-field', field='determinations')
        self.assertIn(rng, r[2]['detail'])
        # a body field read by the shared api_time()
        inc = self.create(discovered_at=ts(now() - 5 * HOUR),
                          aware_at=ts(now() - 4 * HOUR))
        obs = self.fx.as_('handler', 'GET', '/api/v1/incidents/%d/obligations'
                          % inc['id'])[2]['items']
        r = self.fx.as_('handler', 'POST',
                        '/api/v1/incidents/%d/obligations/%d/notifications'
                        % (inc['id'], obs[0]['id']),
                        body={'sent_at': out[0]})
        self.assertProblem(r, 400, 'invalid-field', field='sent_at')
        self.assertIn('sent_at: ' + rng, r[2]['detail'])
        # query parameters
        for path, name in (('/api/v1/incidents?due_before=', 'due_before'),
                           ('/api/v1/obligations?due_before=', 'due_before'),
                           ('/api/v1/reports?from=', 'from'),
                           ('/api/v1/reports?to=', 'to')):
            for t in (out[0], '1969-12-31'):
                if name == 'due_before' and len(t) == 10:
                    continue
                with self.subTest(query=path + t):
                    r = self.fx.as_('dpo', 'GET',
                                    path + urllib.parse.quote(t))
                    self.assertProblem(r, 400, 'invalid-query', field=name)
                    self.assertIn(name + ': ' + rng, r[2]['detail'])
            r = self.fx.as_('dpo', 'GET', path + 'soon')
            self.assertProblem(r, 400, 'invalid-query', field=name)
            self.assertNotIn('1970', r[2]['detail'])

    def test_invalid_fields(self):
        s = 'x'
        cases = [
            ('title', ''), ('title', s * 201), ('title', 123),
            ('title', None), ('title', ['t']),
            ('description', s * 20001), ('description', 5),
            ('cyber_incident', 'maybe'), ('cyber_incident', True),
            ('cyber_incident', 'YES'),
            ('how_discovered', s * 4001), ('how_discovered', 1),
            ('awareness_justification', s * 4001),
            ('awareness_justification', 7),
            ('not_a_breach_reason', s * 4001),
            ('not_a_breach_reason', False),
            ('role', 'owner'), ('role', 1),
            ('controller_name', s * 201), ('controller_name', 3),
            ('controller_notice_hours', 0), ('controller_notice_hours', 721),
            ('controller_notice_hours', -1), ('controller_notice_hours', '24'),
            ('controller_notice_hours', 1.5), ('controller_notice_hours', True),
            ('jurisdictions', 'GB'), ('jurisdictions', ['gb']),
            ('jurisdictions', ['GBR']), ('jurisdictions', ['GB', 'GB']),
            ('jurisdictions', [1]), ('jurisdictions', ['GB-']),
            ('jurisdictions', ['GB-ABCD']), ('jurisdictions', ['US-ca']),
            ('jurisdictions', ['G']), ('jurisdictions', [None]),
            ('jurisdictions', [chr(65 + i // 26) + chr(65 + i % 26)
                               for i in range(301)]),
            ('data_categories', ['health', 'nope']),
            ('data_categories', 'health'), ('data_categories', [1]),
            ('subject_categories', ['aliens']),
            ('subject_categories', {'employees': True}),
            ('sector_flags', ['gdpr']), ('sector_flags', [True]),
            ('subjects_count', -1), ('subjects_count', 10 ** 12 + 1),
            ('subjects_count', '5'), ('subjects_count', 1.5),
            ('records_count', -1), ('records_count', 10 ** 12 + 1),
            ('records_count', 'many'),
            ('confidentiality_impact', 'yes'), ('confidentiality_impact', 1),
            ('integrity_impact', 'no'), ('availability_impact', 0),
            ('encryption', 'aes'), ('encryption', None),
            ('backups', 'cloud'),
            ('likely_consequences', s * 20001), ('measures_taken', s * 20001),
            ('measures_proposed', s * 20001), ('dpo_contact', s * 20001),
            ('likely_consequences', 1), ('dpo_contact', ['a']),
            ('assignee', 5), ('assignee', ['dpo']),
            ('colour', 'red'),          # unknown field
            ('Title', 'case matters'),  # unknown field
        ]
        for f in TIME_FIELDS:
            for v in BAD_TIMES:
                cases.append((f, v))
        cases.append(('discovered_at', None))  # required
        n = self.count()
        for field, value in cases:
            with self.subTest(field=field, value=repr(value)[:40]):
                r = self.post(base(**{field: value}))
                self.assertProblem(r, 400, 'invalid-field', field=field,
                                   msg='%s=%r' % (field, repr(value)[:60]))
        self.assertEqual(self.count(), n, 'a rejected POST wrote something')

    def test_jurisdictions_are_listed_codes(self):
        # Well-formed codes that ISO 3166 does not assign: a regime keyed
        # on GB would never see an incident written "UK", and its clock
        # would not start.
        n = self.count()
        for field, value, says in (
                ('jurisdictions', ['UK'], 'write GB'),
                ('jurisdictions', ['DE', 'EL'], 'write GR'),
                ('jurisdictions', ['QQ'], '"QQ"'),
                ('jurisdictions', ['US-ZZ'], '"US-ZZ"'),
                ('jurisdictions', ['EU'], '"EU"'),
                ('subjects_by_jurisdiction', {'GB': 3, 'UK': 2},
                 'write GB'),
                ('subjects_by_jurisdiction', {'XK9': 1}, '"XK9"')):
            with self.subTest(field=field, value=value):
                r = self.post(base(**{field: value}))
                self.assertProblem(r, 400, 'invalid-field', field=field)
                self.assertIn(says, r[2]['detail'])
        self.assertEqual(self.count(), n, 'a rejected POST wrote something')
        codes = ['GB', 'GB-ENG', 'GR', 'US-TX', 'US-DC', 'DE-BY', 'CA-ON']
        st, _, b = self.post(base(jurisdictions=codes,
                                  subjects_by_jurisdiction={'GB-SCT': 4}))
        self.assertEqual(st, 201, b)
        self.assertEqual(b['jurisdictions'], codes)

    def test_assignee_must_exist(self):
        r = self.post(base(assignee='nobody-here'))
        self.assertIn(r[0], (400, 422), r)
        self.assertProblem(r, r[0], ('invalid-field', 'constraint-violation'),
                           field='assignee')
        st, _, b = self.post(base(assignee='handler'))
        self.assertEqual(st, 201, b)
        self.assertEqual(b['assignee'], 'handler')

    def test_title_counts_characters(self):
        st, _, b = self.post(base(title='\u00e9' * 200))
        self.assertEqual(st, 201, b)
        self.assertEqual(b['title'], '\u00e9' * 200)
        self.assertProblem(self.post(base(title='\u00e9' * 201)), 400,
                           'invalid-field', field='title')

    def test_number_edge_cases(self):
        n = self.count()
        for raw_value in (b'1000.0', b'1e3', b'18446744073709551616',
                          b'-0.5', b'true'):
            with self.subTest(raw_value):
                raw = (b'{"title": "n", "discovered_at": "2026-03-01T10:00:00Z"'
                       b', "subjects_count": ' + raw_value + b'}')
                r = self.post(None, raw=raw, headers={
                    'Content-Type': 'application/json'})
                self.assertProblem(r, 400, ('invalid-field', 'invalid-json'))
        self.assertEqual(self.count(), n)

    def test_deep_nesting(self):
        depth = 100000
        raw = (b'{"title": "deep", "discovered_at": "2026-03-01T10:00:00Z",'
               b' "jurisdictions": ' + b'[' * depth + b']' * depth + b'}')
        r = self.post(None, raw=raw, headers={
            'Content-Type': 'application/json'})
        self.assertProblem(r, 400, ('invalid-field', 'invalid-json'))
        st, _, b = self.fx.request('GET', '/healthz')
        self.assertEqual(st, 200)

    def test_concurrent_creates(self):
        n = 16
        barrier = threading.Barrier(n)
        out = [None] * n

        def worker(i):
            barrier.wait()
            out[i] = self.post(base(title='concurrent %d' % i))

        ts_ = [threading.Thread(target=worker, args=(i,)) for i in range(n)]
        for t in ts_:
            t.start()
        for t in ts_:
            t.join(60)
        self.assertEqual([r[0] for r in out], [201] * n,
                         [r[2] for r in out if r[0] != 201][:3])
        nums = sorted(int(RE_REF.match(r[2]['ref']).group(2)) for r in out)
        self.assertEqual(nums, list(range(nums[0], nums[0] + n)))
        self.assertEqual(len({r[2]['id'] for r in out}), n)

    def test_concurrent_idempotency(self):
        n = 8
        before = self.count()
        barrier = threading.Barrier(n)
        out = [None] * n
        body = base(title='idem race')  # once: base() reads the clock

        def worker(i):
            barrier.wait()
            out[i] = self.post(body,
                               headers={'Idempotency-Key': 'race-key-1'})

        ts_ = [threading.Thread(target=worker, args=(i,)) for i in range(n)]
        for t in ts_:
            t.start()
        for t in ts_:
            t.join(60)
        codes = sorted(r[0] for r in out)
        self.assertEqual(codes, [200] * (n - 1) + [201], codes)
        self.assertEqual(len({r[2]['id'] for r in out}), 1)
        self.assertEqual(self.count(), before + 1)

    def test_other_posts_need_json(self):
        a = self.create(aware_at=ts(now() - 2 * HOUR))
        st, _, obl = self.fx.as_('handler', 'GET',
                                 '/api/v1/incidents/%d/obligations' % a['id'])
        oid = obl['items'][0]['id']
        i = '/api/v1/incidents/%d' % a['id']
        routes = [
            ('handler', 'POST', i + '/notes', {'text': 'x'}),
            ('handler', 'POST', i + '/risk-decisions',
             {'level': 'risk', 'rationale': 'x'}),
            ('handler', 'POST', i + '/obligations/%d/notifications' % oid,
             {'sent_at': ts(now() - MINUTE)}),
            ('dpo', 'POST', i + '/obligations/%d/waive' % oid,
             {'reason': 'x'}),
            ('admin', 'POST', '/api/v1/users', {'name': 'ctype',
                                                'role': 'viewer'}),
            ('admin', 'POST', '/api/v1/tokens', {'user': 'viewer'}),
        ]
        for user, method, path, body in routes:
            with self.subTest(path):
                r = self.fx.as_(user, method, path, raw=json.dumps(body),
                                headers={'Content-Type': 'text/plain'})
                self.assertProblem(r, 415, 'unsupported-media-type')
        self.assertEqual(self.get(a['id']), a)
        st, _, ev = self.fx.as_('handler', 'GET', i + '/events')
        self.assertEqual(len(ev['items']), 2)  # created, obligation.created

    def test_patch_body_cap(self):
        a = self.create()
        big = json.dumps({'description': 'd' * (1 << 20)})
        r = self.fx.as_('handler', 'PATCH', '/api/v1/incidents/%d' % a['id'],
                        raw=big, headers={'Content-Type': 'application/json',
                                          'If-Match': '"1"'})
        self.assertProblem(r, 413, 'payload-too-large')
        self.assertEqual(self.get(a['id']), a)

    def test_missing_required(self):
        for f in ('title', 'discovered_at'):
            with self.subTest(f):
                body = base()
                del body[f]
                self.assertProblem(self.post(body), 400, 'invalid-field',
                                   field=f)

    def test_read_only_fields(self):
        values = {'id': 5, 'ref': 'BR-2026-0001', 'status': 'suspected',
                  'risk': 'high', 'reporter': 'handler', 'version': 1,
                  'created_at': ts(now()), 'updated_at': ts(now()),
                  'next_due_at': None}
        n = self.count()
        for f in READ_ONLY:
            with self.subTest(f):
                self.assertProblem(self.post(base(**{f: values[f]})), 400,
                                   'invalid-field', field=f)
        self.assertEqual(self.count(), n)

    def test_not_an_object(self):
        for raw in (b'[]', b'"title"', b'42', b'null'):
            with self.subTest(raw):
                r = self.post(None, raw=raw,
                              headers={'Content-Type': 'application/json'})
                self.assertProblem(r, 400, ('invalid-json', 'invalid-field'))

    def test_malformed_json(self):
        good = json.dumps(base()).encode()
        cases = [b'{', b'', b'{"title": "x",}', b"{'title': 'x'}",
                 good + b' x', good + good, b'{"title": "\xff\xfe",'
                 b' "discovered_at": "2026-03-01T10:00:00Z"}',
                 b'{"title": "x", "discovered_at": "2026-03-01T10:00:00Z"'
                 b', "subjects_count": NaN}']
        n = self.count()
        for raw in cases:
            with self.subTest(raw[:40]):
                r = self.post(None, raw=raw,
                              headers={'Content-Type': 'application/json'})
                self.assertProblem(r, 400, 'invalid-json', msg=repr(raw[:40]))
        self.assertEqual(self.count(), n)

    def test_body_size_cap(self):
        cap = 1 << 20
        prefix = json.dumps(base(title='Big one')).encode()[:-1]
        # Exactly 1 MiB: valid JSON padded with spaces is accepted.
        body = prefix + b'}'
        body = prefix + b' ' * (cap - len(body)) + b'}'
        self.assertEqual(len(body), cap)
        st, _, b = self.post(None, raw=body,
                             headers={'Content-Type': 'application/json'})
        self.assertEqual(st, 201, b)
        n = self.count()
        for size in (cap + 1, cap + 100000):
            with self.subTest(size):
                big = prefix + b' ' * (size - len(prefix) - 1) + b'}'
                self.assertEqual(len(big), size)
                r = self.post(None, raw=big,
                              headers={'Content-Type': 'application/json'})
                self.assertProblem(r, 413, 'payload-too-large')
        self.assertEqual(self.count(), n)

    def test_content_type(self):
        raw = json.dumps(base()).encode()
        n = self.count()
        for ct in ('text/plain', 'application/x-www-form-urlencoded',
                   'application/jsonx', None):
            with self.subTest(ct):
                r = self.post(None, raw=raw, headers={'Content-Type': ct})
                self.assertProblem(r, 415, 'unsupported-media-type')
        self.assertEqual(self.count(), n)
        st, _, b = self.post(None, raw=raw, headers={
            'Content-Type': 'application/json; charset=utf-8'})
        self.assertEqual(st, 201, b)

    def test_constraints(self):
        t = now() - 10 * HOUR
        cases = [
            ('aware before discovered',
             {'discovered_at': ts(t), 'aware_at': ts(t - MINUTE)},
             ('aware_at',)),
            ('occurred_from after occurred_to',
             {'occurred_from': ts(t - HOUR), 'occurred_to': ts(t - 2 * HOUR)},
             ('occurred_from', 'occurred_to')),
            ('occurred_from after discovered',
             {'discovered_at': ts(t), 'occurred_from': ts(t + HOUR)},
             ('occurred_from', 'discovered_at')),
            ('discovered in the future',
             {'discovered_at': ts(now() + 10 * MINUTE)}, ('discovered_at',)),
            ('aware in the future',
             {'aware_at': ts(now() + 10 * MINUTE)}, ('aware_at',)),
            ('occurred_to in the future',
             {'occurred_to': ts(now() + HOUR)}, ('occurred_to',)),
            ('far future', {'discovered_at': '2999-01-01T00:00:00Z'},
             ('discovered_at',)),
        ]
        n = self.count()
        for name, fields, names in cases:
            with self.subTest(name):
                r = self.post(base(**fields))
                self.assertProblem(r, 422, 'constraint-violation',
                                   field=names, msg=name)
        self.assertEqual(self.count(), n, 'a rejected POST wrote something')

    def test_constraint_edges_allowed(self):
        t = now() - 10 * HOUR
        # equal instants are fine, and "now + 1 minute" is within 5 minutes
        for fields in (
                {'discovered_at': ts(t), 'aware_at': ts(t),
                 'occurred_from': ts(t), 'occurred_to': ts(t)},
                {'discovered_at': ts(now() + MINUTE)}):
            with self.subTest(fields):
                st, _, b = self.post(base(**fields))
                self.assertEqual(st, 201, b)

    def test_refs_sequential(self):
        # Numbers restart each (UTC) year: should the year turn while the
        # three are made, make three more, all in the new year.
        while True:
            year = now().year
            refs = []
            ids = []
            for _ in range(3):
                b = self.create(title='seq')
                refs.append(b['ref'])
                ids.append(b['id'])
            if now().year == year:
                break
        nums = []
        for r in refs:
            m = RE_REF.match(r)
            self.assertTrue(m, r)
            self.assertEqual(int(m.group(1)), year)
            nums.append(int(m.group(2)))
        self.assertEqual(nums, [nums[0], nums[0] + 1, nums[0] + 2], refs)
        self.assertEqual(ids, sorted(ids))
        self.assertEqual(len(set(ids)), 3)

    def test_idempotency_key(self):
        n = self.count()
        body = base(title='idempotent')
        hk = {'Idempotency-Key': 'key-123.abc'}
        st1, h1, b1 = self.post(body, headers=hk)
        self.assertEqual(st1, 201, b1)
        st2, h2, b2 = self.post(body, headers=hk)
        self.assertEqual(st2, 200, b2)
        self.assertEqual(b2['id'], b1['id'])
        self.assertEqual(b2, b1)
        self.assertEqual(h2.get('location'), h1.get('location'))
        self.assertEqual(self.count(), n + 1)
        # another user with the same key gets their own incident
        st3, _, b3 = self.post(body, headers=hk, user='dpo')
        self.assertEqual(st3, 201, b3)
        self.assertNotEqual(b3['id'], b1['id'])
        # another key: a new incident
        st4, _, b4 = self.post(body, headers={'Idempotency-Key': 'key-124'})
        self.assertEqual(st4, 201, b4)
        self.assertNotEqual(b4['id'], b1['id'])
        self.assertEqual(self.count(), n + 3)

    def test_idempotency_key_printable_space(self):
        # "1..200 printable chars": a space (inside the key) is printable
        hk = {'Idempotency-Key': 'order 42'}
        body = base()  # once: base() reads the clock
        st1, _, b1 = self.post(body, headers=hk)
        self.assertEqual(st1, 201, b1)
        st2, _, b2 = self.post(body, headers=hk)
        self.assertEqual(st2, 200, b2)
        self.assertEqual(b2['id'], b1['id'])

    def test_idempotency_key_invalid(self):
        n = self.count()
        for key in ('k' * 201, 'bad\x01key'):
            with self.subTest(repr(key[:10])):
                r = self.post(base(), headers={'Idempotency-Key': key})
                self.assertEqual(r[0], 400, r)
                self.assertProblem(r, 400)
        self.assertEqual(self.count(), n)
        st, _, _ = self.post(base(), headers={'Idempotency-Key': 'k' * 200})
        self.assertEqual(st, 201)

    def test_get_not_found(self):
        for p in ('/api/v1/incidents/999999', '/api/v1/incidents/abc',
                  '/api/v1/incidents/1x', '/api/v1/incidents/-1',
                  '/api/v1/incidents/0'):
            with self.subTest(p):
                self.assertProblem(self.fx.as_('handler', 'GET', p), 404,
                                   'not-found')

    def test_reporter_sees_own_only(self):
        mine = self.create(user='reporter', title='mine')
        theirs = self.create(user='reporter2', title='theirs')
        other = self.create(user='handler', title='handler made')
        self.assertEqual(mine['reporter'], 'reporter')
        self.assertEqual(self.fx.as_('reporter', 'GET', '/api/v1/incidents/%d'
                                     % mine['id'])[0], 200)
        for inc in (theirs, other):
            self.assertProblem(self.fx.as_(
                'reporter', 'GET', '/api/v1/incidents/%d' % inc['id']),
                404, 'not-found')
        st, _, b = self.fx.as_('reporter', 'GET',
                               '/api/v1/incidents?limit=200')
        self.assertEqual(st, 200)
        ids = [i['id'] for i in b['items']]
        self.assertIn(mine['id'], ids)
        self.assertNotIn(theirs['id'], ids)
        self.assertNotIn(other['id'], ids)
        self.assertTrue(all(i['reporter'] == 'reporter' for i in b['items']))
        # filters do not widen what a reporter sees
        for q in ('?q=' + urllib.parse.quote(theirs['ref']),
                  '?q=theirs', '?status=suspected&limit=200'):
            st, _, b = self.fx.as_('reporter', 'GET', '/api/v1/incidents' + q)
            self.assertEqual(st, 200)
            self.assertNotIn(theirs['id'], [i['id'] for i in b['items']])
            self.assertTrue(all(i['reporter'] == 'reporter'
                                for i in b['items']), q)
        # the viewer sees everything
        st, _, b = self.fx.as_('viewer', 'GET', '/api/v1/incidents?limit=200')
        ids = [i['id'] for i in b['items']]
        for inc in (mine, theirs, other):
            self.assertIn(inc['id'], ids)


class List(harness.ApiCase):

    @classmethod
    def setUpClass(cls):
        # Enough incidents to exceed the default page (50).
        cls.ids = []
        fx = harness.FX
        for i in range(55):
            st, _, b = fx.as_('handler', 'POST', '/api/v1/incidents',
                              body=base(title='list item %d' % i))
            assert st == 201, b
            cls.ids.append(b['id'])

    def page(self, query, user='handler'):
        st, _, b = self.fx.as_(user, 'GET', '/api/v1/incidents' + query)
        self.assertEqual(st, 200, b)
        self.assertEqual(set(b), {'items', 'next_cursor'})
        return b

    def all_ids(self, query='', limit=200):
        out, cursor = [], None
        for _ in range(1000):
            q = '?limit=%d' % limit + ('&' + query if query else '')
            if cursor is not None:
                q += '&cursor=' + urllib.parse.quote(cursor, safe='')
            b = self.page(q)
            self.assertLessEqual(len(b['items']), limit)
            out += [i['id'] for i in b['items']]
            cursor = b['next_cursor']
            if cursor is None:
                return out
            self.assertIsInstance(cursor, str)
        self.fail('pagination does not end')

    def test_default_limit_and_order(self):
        b = self.page('')
        self.assertEqual(len(b['items']), 50)
        self.assertIsNotNone(b['next_cursor'])
        ids = [i['id'] for i in b['items']]
        self.assertEqual(ids, sorted(ids, reverse=True))
        self.assertEqual(ids[0], max(self.all_ids()))

    def test_pagination_exactly_once(self):
        full = self.all_ids(limit=200)
        self.assertEqual(len(full), len(set(full)))
        self.assertEqual(full, sorted(full, reverse=True))
        for i in self.ids:
            self.assertIn(i, full)
        for limit in (1, 2, 7, 50):
            with self.subTest(limit=limit):
                self.assertEqual(self.all_ids(limit=limit), full)

    def test_limit_bounds(self):
        self.assertEqual(len(self.page('?limit=1')['items']), 1)
        b = self.page('?limit=200')
        self.assertGreaterEqual(len(b['items']), 55)

    def test_filter_status(self):
        a = self.create(title='to investigate')
        self.patch(a['id'], {'status': 'investigating'})
        b = self.page('?status=investigating&limit=200')
        self.assertIn(a['id'], [i['id'] for i in b['items']])
        self.assertTrue(all(i['status'] == 'investigating'
                            for i in b['items']))
        b = self.page('?status=suspected&limit=200')
        self.assertNotIn(a['id'], [i['id'] for i in b['items']])
        self.assertTrue(all(i['status'] == 'suspected' for i in b['items']))
        self.assertTrue(b['items'])
        for s in ('confirmed', 'not_a_breach', 'contained', 'closed'):
            self.page('?status=' + s)

    def test_filter_risk(self):
        hi = self.create(title='high risk')
        self.decide(hi['id'], 'high')
        lo = self.create(title='unlikely risk')
        self.decide(lo['id'], 'unlikely', rationale='encrypted')
        none = self.create(title='undecided')
        for level, inc in (('high', hi), ('unlikely', lo)):
            with self.subTest(level):
                b = self.page('?limit=200&risk=' + level)
                ids = [i['id'] for i in b['items']]
                self.assertIn(inc['id'], ids)
                self.assertNotIn(none['id'], ids)
                self.assertTrue(all(i['risk'] == level for i in b['items']))
        b = self.page('?limit=200&risk=none')
        ids = [i['id'] for i in b['items']]
        self.assertIn(none['id'], ids)
        self.assertNotIn(hi['id'], ids)
        self.assertTrue(all(i['risk'] is None for i in b['items']))
        self.assertEqual(self.page('?risk=risk')['items'], [])

    def test_filter_due_before(self):
        aware = now() - 30 * HOUR
        a = self.create(title='due soon', discovered_at=ts(aware - HOUR),
                        aware_at=ts(aware))
        due = aware + 72 * HOUR
        self.assertEqual(a['next_due_at'], ts(due))
        q = '?limit=200&due_before=' + urllib.parse.quote(ts(due + HOUR))
        ids = [i['id'] for i in self.page(q)['items']]
        self.assertIn(a['id'], ids)
        self.assertNotIn(self.ids[0], ids)  # no obligation at all
        q = '?limit=200&due_before=' + urllib.parse.quote(ts(due - HOUR))
        ids = [i['id'] for i in self.page(q)['items']]
        self.assertNotIn(a['id'], ids)
        # offsets are accepted in the query too
        q = '?limit=200&due_before=' + urllib.parse.quote(
            (due + 2 * HOUR).astimezone(datetime.timezone(
                datetime.timedelta(hours=2))).isoformat())
        ids = [i['id'] for i in self.page(q)['items']]
        self.assertIn(a['id'], ids)

    def test_filter_q(self):
        a = self.create(title='The ZebraQuux laptop')
        b = self.create(title='plain', description='found a zebraquux '
                        'in the printer')
        c = self.create(title='unrelated')
        for q in ('zebraquux', 'ZEBRAQUUX', 'ebraQu'):
            with self.subTest(q):
                ids = [i['id'] for i in self.page(
                    '?limit=200&q=' + urllib.parse.quote(q))['items']]
                self.assertEqual(sorted(ids), sorted([a['id'], b['id']]))
        ids = [i['id'] for i in self.page(
            '?limit=200&q=' + urllib.parse.quote(c['ref']))['items']]
        self.assertEqual(ids, [c['id']])
        ids = [i['id'] for i in self.page(
            '?limit=200&q=' + urllib.parse.quote(c['ref'].lower()))['items']]
        self.assertEqual(ids, [c['id']])
        self.assertEqual(self.page('?q=nothing-matches-this-xyzzy')['items'],
                         [])
        # q with SQL LIKE metacharacters is a plain substring
        self.assertEqual(self.page('?q=%25')['items'], [])
        self.assertEqual(self.page('?q=_')['items'], [])
        self.page('?q=' + 'a' * 200)

    def test_due_before_only_pending(self):
        aware = now() - 30 * HOUR
        due = aware + 72 * HOUR
        q = '?limit=200&due_before=' + urllib.parse.quote(ts(due + HOUR))
        met = self.create(title='met one', discovered_at=ts(aware - HOUR),
                          aware_at=ts(aware))
        nr = self.create(title='not required', discovered_at=ts(aware - HOUR),
                         aware_at=ts(aware))
        obl = self.obligations(met['id'])['uk_gdpr_art33_ico']
        st, _, _ = self.fx.as_('handler', 'POST', '/api/v1/incidents/%d/'
                               'obligations/%d/notifications'
                               % (met['id'], obl['id']),
                               body={'sent_at': ts(now() - MINUTE)})
        self.assertEqual(st, 201)
        self.decide(nr['id'], 'unlikely', rationale='nothing readable')
        ids = [i['id'] for i in self.page(q)['items']]
        self.assertNotIn(met['id'], ids)
        self.assertNotIn(nr['id'], ids)

    def test_due_before_once_and_paged(self):
        # An incident with several pending obligations is listed once,
        # newest first, and pages with a cursor cover each exactly once
        # (the list by due_before walks the pending obligations).
        aware = now() - 30 * HOUR
        made = [self.create(title='two clocks %d' % k,
                            discovered_at=ts(aware - HOUR),
                            aware_at=ts(aware),
                            jurisdictions=['GB', 'IE'])['id']
                for k in range(3)]
        for i in made:
            pending = [o for o in self.obligations(i).values()
                       if o['state'] == 'pending']
            self.assertGreaterEqual(len(pending), 2)
        q = '?limit=2&due_before=' + urllib.parse.quote(
            ts(aware + 200 * HOUR))
        seen, cursor = [], None
        while True:
            b = self.page(q + ('&cursor=' + urllib.parse.quote(
                cursor, safe='') if cursor else ''))
            self.assertLessEqual(len(b['items']), 2)
            seen += [i['id'] for i in b['items']]
            cursor = b['next_cursor']
            if cursor is None:
                break
        self.assertEqual(seen, sorted(set(seen), reverse=True))
        for i in made:
            self.assertIn(i, seen)

    def test_cursor_stable_under_inserts(self):
        first = self.page('?limit=5')
        old = self.all_ids()
        self.create(title='inserted while paging')
        ids = [i['id'] for i in first['items']]
        cursor = first['next_cursor']
        while cursor is not None:
            b = self.page('?limit=5&cursor=' + urllib.parse.quote(cursor,
                                                                  safe=''))
            ids += [i['id'] for i in b['items']]
            cursor = b['next_cursor']
        self.assertEqual(ids, old)

    def test_filters_combine(self):
        a = self.create(title='combo-filter one')
        self.patch(a['id'], {'status': 'investigating'})
        b = self.create(title='combo-filter two')
        ids = [i['id'] for i in self.page(
            '?status=investigating&q=combo-filter')['items']]
        self.assertEqual(ids, [a['id']])
        ids = [i['id'] for i in self.page(
            '?status=suspected&q=combo-filter')['items']]
        self.assertEqual(ids, [b['id']])

    def test_reporter_pagination_filtered(self):
        mine = [self.create(user='reporter2', title='r2 %d' % i)['id']
                for i in range(5)]
        out, cursor = [], None
        while True:
            q = '?limit=2' + ('&cursor=' + urllib.parse.quote(cursor, safe='')
                              if cursor else '')
            b = self.page(q, user='reporter2')
            out += [i['id'] for i in b['items']]
            self.assertTrue(all(i['reporter'] == 'reporter2'
                                for i in b['items']))
            cursor = b['next_cursor']
            if cursor is None:
                break
        self.assertEqual(len(out), len(set(out)))
        for i in mine:
            self.assertIn(i, out)

    def test_bad_query(self):
        cases = [
            ('limit', 'limit=0'), ('limit', 'limit=201'),
            ('limit', 'limit=-1'), ('limit', 'limit=abc'),
            ('limit', 'limit=1.5'), ('limit', 'limit='),
            ('limit', 'limit=99999999999999999999'),
            ('cursor', 'cursor=garbage!!'), ('cursor', 'cursor=%00'),
            ('status', 'status=bogus'), ('status', 'status='),
            ('risk', 'risk=bogus'), ('risk', 'risk=HIGH'),
            ('due_before', 'due_before=notatime'),
            ('due_before', 'due_before=2026-02-30T00:00:00Z'),
            ('due_before', 'due_before=2026-03-01T10:00:00'),
            ('q', 'q=' + 'a' * 201),
            ('foo', 'foo=1'),
            # a known name with no value, as well as with an empty one
            ('limit', 'limit'), ('status', 'status&limit=5'),
            ('status', 'status=suspected&status=closed'),
        ]
        for field, q in cases:
            with self.subTest(q[:40]):
                r = self.fx.as_('handler', 'GET', '/api/v1/incidents?' + q)
                self.assertProblem(r, 400, 'invalid-query', field=field,
                                   msg=q[:40])
                self.assertIn(field + ': ', r[2]['detail'])
        # a parameter with no name: no field to name, and a detail that
        # does not start with an empty one
        for q in ('&', '=x', '&&status=closed', 'limit=5&=3'):
            with self.subTest(q):
                r = self.fx.as_('handler', 'GET', '/api/v1/incidents?' + q)
                self.assertProblem(r, 400, 'invalid-query', msg=q)
                self.assertNotIn('field', r[2])
                self.assertIn('no name', r[2]['detail'])


if __name__ == '__main__':
    harness.main()
