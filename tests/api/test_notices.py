"""Drafted notices: every kind in every format, missing facts, hostile
text, non-ASCII names; HTML checked by a parser; snapshots; the text kept
when a notice is recorded as sent; the Art. 34(3) exemption.

Snapshots live in tests/api/snapshots/NAME.{txt,md,html}, compared byte
for byte (after the incident reference, which depends on the year and on
the order of the tests, is replaced by BR-YYYY-NNNN).  To regenerate after
a deliberate template change: BC_UPDATE_SNAPSHOTS=1, then read every
changed file before committing it.
"""

import difflib
import html.parser
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
TEMPLATES = os.path.join(harness.REPO, 'server', 'templates')
SNAPSHOTS = os.path.join(HERE, 'snapshots')
KINDS = ['ico_report', 'art34_letter', 'controller_notice',
         'regulator_notice']
FORMATS = {'text': ('text/plain; charset=utf-8', 'txt'),
           'markdown': ('text/markdown; charset=utf-8', 'md'),
           'html': ('text/html; charset=utf-8', 'html')}
OTHER_REGIME = 'eu_gdpr_art33_sa'
ICO = 'uk_gdpr_art33_ico'
ART34 = 'uk_gdpr_art34_individuals'
EU_ART34 = 'eu_gdpr_art34_ds'
REF_RE = re.compile(r'BR(\\?)-\d{4}\\?-\d{4}')

HOSTILE = ('<script>alert("x")</script> then [click me](javascript:alert(1))'
           ' and ![img](http://evil.example/x.png) {{incident.title}} '
           '{{#a}}x{{/a}} & <b onclick="x">bold</b>\n'
           '# not a heading\n    not code\n1. not a list')
FULL = {
    'title': 'Laptop stolen from Zoë Ñúñez-Øyelaran\'s car',
    'description': HOSTILE,
    'cyber_incident': 'no',
    'how_discovered': 'Reported by the employee, Jürgen Weiß, by phone.',
    'occurred_from': '2025-01-05T22:00:00Z',
    'occurred_to': '2025-01-06T02:00:00Z',
    'discovered_at': '2025-01-06T09:00:00Z',
    'aware_at': '2025-01-06T12:00:00Z',
    'jurisdictions': ['GB', 'IE'],
    'data_categories': ['contact_details', 'credentials', 'financial',
                        'health'],
    'subject_categories': ['customers', 'vulnerable_adults'],
    'subjects_count': 1250,
    'records_count': 4000,
    'confidentiality_impact': True,
    'encryption': 'none',
    'likely_consequences': 'Phishing and fraud using names, e-mail '
                           'addresses and card numbers (*last four*).',
    'measures_taken': 'Passwords reset; the device was wiped remotely '
                      'at 10:15.',
    'measures_proposed': 'Full-disk encryption on every laptop by March.',
    'dpo_contact': 'Åsa Lindqvist, DPO — dpo@example.org, +44 20 7946 0000',
}
# The same facts, for a processor: the Art. 33(2) notice to the controller.
PROCESSOR = dict(FULL, role='processor',
                 title='Backup tape lost in transit by our courier',
                 controller_name='Société Générale d\'Exemple <SA>',
                 controller_notice_hours=36)
SPARSE = {
    'title': 'Suspicious e-mail to 山田 太郎',
    'discovered_at': '2025-02-03T08:00:00Z',
}


def setUpModule():
    harness.setup_module(['--template-dir', TEMPLATES])


def tearDownModule():
    harness.teardown_module()


class StrictHTML(html.parser.HTMLParser):
    """Tags must balance (void elements excepted); no script, no event
    handler, no URL attribute."""

    VOID = {'meta', 'br', 'hr', 'img', 'link', 'input'}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack = []
        self.errors = []
        self.doctype = None
        self.tags = set()

    def handle_decl(self, decl):
        self.doctype = decl

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        if tag == 'script':
            self.errors.append('a <script> element')
        for k, _ in attrs:
            if k.startswith('on') or k in ('href', 'src', 'action',
                                           'style', 'srcset'):
                self.errors.append('attribute %s on <%s>' % (k, tag))
        if tag not in self.VOID:
            self.stack.append((tag, self.getpos()))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in self.VOID:
            self.stack.pop()

    def handle_endtag(self, tag):
        if tag in self.VOID:
            self.errors.append('</%s> closes a void element' % tag)
            return
        if not self.stack or self.stack[-1][0] != tag:
            self.errors.append('</%s> at %r, but open: %r' % (
                tag, self.getpos(), [t for t, _ in self.stack]))
            return
        self.stack.pop()

    def check(self, text):
        self.feed(text)
        self.close()
        if self.doctype is None or self.doctype.lower() != 'doctype html':
            self.errors.append('no <!DOCTYPE html>')
        if self.stack:
            self.errors.append('unclosed: %r' % (self.stack,))
        for t in ('html', 'head', 'title', 'body', 'meta', 'style'):
            if t not in self.tags:
                self.errors.append('no <%s>' % t)
        return self.errors


class Notices(harness.ApiCase):

    @classmethod
    def setUpClass(cls):
        fx = harness.FX

        def make(body):
            r = fx.as_('handler', 'POST', '/api/v1/incidents', body=body)
            assert r[0] == 201, r
            return r[2]
        cls.full = make(FULL)
        cls.sparse = make(SPARSE)
        cls.processor = make(PROCESSOR)

    def draft(self, iid, kind, fmt=None, regime=None, user='handler',
              expect=200):
        q = []
        if fmt is not None:
            q.append('format=' + fmt)
        if regime is not None:
            q.append('regime_id=' + regime)
        path = '/api/v1/incidents/%d/notices/%s%s' % (
            iid, kind, '?' + '&'.join(q) if q else '')
        r = self.fx.as_(user, 'GET', path)
        self.assertEqual(r[0], expect, (path, r[2]))
        return r

    def regime_for(self, kind):
        return OTHER_REGIME if kind == 'regulator_notice' else None

    def snapshot(self, name, text):
        text = REF_RE.sub(r'BR\1-YYYY\1-NNNN', text)
        path = os.path.join(SNAPSHOTS, name)
        if os.environ.get('BC_UPDATE_SNAPSHOTS'):
            os.makedirs(SNAPSHOTS, exist_ok=True)
            with open(path, 'w', encoding='utf-8', newline='') as f:
                f.write(text)
            return
        self.assertTrue(os.path.exists(path),
                        'no snapshot %s (BC_UPDATE_SNAPSHOTS=1 writes it; '
                        'read it before committing)' % path)
        with open(path, encoding='utf-8', newline='') as f:
            want = f.read()
        if want != text:
            diff = ''.join(difflib.unified_diff(
                want.splitlines(True), text.splitlines(True),
                'snapshots/' + name, 'server output'))
            self.fail('draft differs from snapshot %s:\n%s' % (name, diff))

    # ---- every kind, every format

    def check_draft(self, inc, label, kind, fmt):
        ctype, ext = FORMATS[fmt]
        s, h, b = self.draft(inc['id'], kind, fmt, self.regime_for(kind))
        self.assertEqual(h['content-type'], ctype)
        self.assertEqual(h['x-incident-version'], str(inc['version']))
        self.assertRegex(h['etag'], r'^"%d-[0-9a-f]{16}"$' % inc['version'])
        self.assertEqual(h['content-disposition'],
                         'inline; filename="%s-%s.%s"' % (inc['ref'], kind,
                                                          ext))
        text = b.decode('utf-8')
        if fmt == 'html':
            csp = h['content-security-policy']
            self.assertIn("default-src 'none'", csp)
            self.assertIn("style-src 'unsafe-inline'", csp)
            self.assertNotIn('script-src', csp)
            self.assertEqual(StrictHTML().check(text), [], kind)
            self.assertNotIn('<script', text.lower())
            self.assertNotIn('<b onclick', text)
        else:
            self.assertEqual(h['content-security-policy'],
                             "default-src 'none'; frame-ancestors 'none'")
        if fmt == 'markdown':
            # no link, image or raw HTML can come from a value
            self.assertNotIn('](', text)
            self.assertNotRegex(text, r'(?<!\\)[<\[]')
            self.assertNotRegex(text, r'(?m)^# not a heading')
        # values are not template text: the hostile description's
        # "{{incident.title}}" is never replaced by the title
        self.assertNotIn(inc['title'] + ' {{#a}}', text)
        self.snapshot('%s-%s.%s' % (label, kind, ext), text)
        return text

    def test_full_every_kind_and_format(self):
        for kind in KINDS:
            for fmt in FORMATS:
                with self.subTest(kind=kind, fmt=fmt):
                    text = self.check_draft(self.full, 'full', kind, fmt)
                    if kind != 'regulator_notice':
                        self.assertIn('Åsa Lindqvist', text)

    def test_processor_controller_notice(self):
        for fmt in FORMATS:
            with self.subTest(fmt=fmt):
                text = self.check_draft(self.processor, 'processor',
                                        'controller_notice', fmt)
                self.assertIn('Société Générale', text)
                self.assertIn('2025-01-08 00:00 UTC',  # 12:00 + 36 h
                              text.replace('\\-', '-'))

    def test_sparse_every_kind_and_format(self):
        for kind in KINDS:
            for fmt in FORMATS:
                with self.subTest(kind=kind, fmt=fmt):
                    text = self.check_draft(self.sparse, 'sparse', kind,
                                            fmt)
                    self.assertIn('Not yet known', text)

    def test_hostile_text_escaped(self):
        iid = self.full['id']
        t = self.draft(iid, 'ico_report', 'text')[2].decode()
        self.assertIn(HOSTILE, t)           # plain text: as written
        self.assertIn('{{incident.title}} {{#a}}x{{/a}}', t)
        h = self.draft(iid, 'ico_report', 'html')[2].decode()
        self.assertIn('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;',
                      h)
        self.assertIn('&lt;b onclick=&quot;x&quot;&gt;', h)
        m = self.draft(iid, 'ico_report', 'markdown')[2].decode()
        self.assertIn('\\[click me\\]\\(javascript:alert\\(1\\)\\)', m)
        self.assertIn('\\!\\[img\\]', m)
        self.assertIn('\\{\\{incident.title\\}\\}', m)
        self.assertIn('\\<script\\>', m)
        self.assertIn('\n\\# not a heading\nnot code\n1\\. not a list', m)

    def test_missing_facts_marked(self):
        t = self.draft(self.sparse['id'], 'ico_report', 'text')[2].decode()
        self.assertIn('Was this a cyber incident? Not yet known', t)
        self.assertIn('Approximate number of people affected: '
                      'Not yet known', t)
        self.assertIn('Not yet known: the time the organisation became '
                      'aware is not recorded.', t)
        h = self.draft(self.sparse['id'], 'ico_report', 'html')[2].decode()
        self.assertIn('<em class="unknown">Not yet known</em>', h)

    def test_ico_order(self):
        t = self.draft(self.full['id'], 'ico_report', 'text')[2].decode()
        order = ['Report type:', 'What happened:', 'cyber incident?',
                 'How did you find out', 'When did you discover',
                 'When did the breach happen?', 'Categories of personal data',
                 'Categories of data subjects', 'number of personal data '
                 'records', 'number of people affected', 'Likely '
                 'consequences', 'Measures taken', 'Measures proposed',
                 'told the people affected', 'told any other organisations',
                 'REASONS FOR DELAY', 'Data protection officer']
        pos = [t.index(o) for o in order]
        self.assertEqual(pos, sorted(pos))
        # the full incident's 72 hours are long gone: a reason is asked for
        self.assertIn('Reported more than 72 hours after becoming aware', t)

    # ---- errors and roles

    def test_bad_requests(self):
        iid = self.full['id']
        r = self.draft(iid, 'ico_report', 'pdf', expect=400)
        self.assertProblem(r, 400, 'invalid-query', field='format')
        r = self.draft(iid, 'no_such_kind', expect=404)
        self.assertProblem(r, 404, 'not-found')
        r = self.draft(iid, 'regulator_notice', expect=400)
        self.assertProblem(r, 400, 'invalid-query', field='regime_id')
        r = self.draft(iid, 'ico_report', regime=ICO, expect=400)
        self.assertProblem(r, 400, 'invalid-query', field='regime_id')
        r = self.draft(iid, 'regulator_notice', regime='no_such_regime',
                       expect=404)
        self.assertProblem(r, 404, 'not-found')
        r = self.draft(999999, 'ico_report', expect=404)
        self.assertProblem(r, 404, 'not-found')
        r = self.fx.as_('handler', 'GET', '/api/v1/incidents/%d/notices/'
                        'ico_report?colour=red' % iid)
        self.assertProblem(r, 400, 'invalid-query')
        r = self.fx.request('GET', '/api/v1/incidents/%d/notices/ico_report'
                            % iid)
        self.assertProblem(r, 401, 'unauthorized')

    def test_roles(self):
        mine = self.create(user='reporter', title='mine')
        self.draft(mine['id'], 'art34_letter', user='reporter')
        self.draft(mine['id'], 'art34_letter', user='viewer')
        self.draft(mine['id'], 'art34_letter', user='dpo')
        r = self.draft(mine['id'], 'art34_letter', user='reporter2',
                       expect=404)
        self.assertProblem(r, 404, 'not-found')
        r = self.draft(mine['id'], 'art34_letter', user='admin', expect=403)
        self.assertProblem(r, 403, 'forbidden')

    # ---- versions

    def test_version_and_etag_follow_the_incident(self):
        a = self.create(title='versioned')
        s1, h1, b1 = self.draft(a['id'], 'ico_report')
        _, h1b, b1b = self.draft(a['id'], 'ico_report')
        self.assertEqual((h1['etag'], b1), (h1b['etag'], b1b))
        self.patch(a['id'], {'description': 'more facts'})
        _, h2, b2 = self.draft(a['id'], 'ico_report')
        self.assertEqual(int(h2['x-incident-version']),
                         int(h1['x-incident-version']) + 1)
        self.assertNotEqual(h1['etag'], h2['etag'])
        self.assertIn(b'more facts', b2)
        # If-None-Match: 304 and no body while the draft is the same one
        path = '/api/v1/incidents/%d/notices/ico_report' % a['id']
        st, h3, b3 = self.fx.as_('handler', 'GET', path, headers={
            'If-None-Match': h2['etag']})
        self.assertEqual((st, b3, h3['etag']), (304, b'', h2['etag']))
        st, _, b4 = self.fx.as_('handler', 'GET', path, headers={
            'If-None-Match': h1['etag']})
        self.assertEqual((st, b4), (200, b2))

    # ---- recording what was sent

    def ico_obligation(self, iid):
        return self.obligations(iid)[ICO]

    def test_sent_notice_keeps_exact_text(self):
        a = self.create(title='sent', discovered_at=harness.ts(
            harness.now() - 3 * harness.HOUR), aware_at=harness.ts(
            harness.now() - 2 * harness.HOUR))
        _, h, b = self.draft(a['id'], 'ico_report')
        text = b.decode() + '\nEdited by hand before sending: Ünïcödé.\n'
        ob = self.ico_obligation(a['id'])
        path = '/api/v1/incidents/%d/obligations/%d/notifications' % (
            a['id'], ob['id'])
        # notice_kind and text go together; incident_version only with them
        for body, field in (
                ({'notice_kind': 'ico_report'}, 'text'),
                ({'text': 'x'}, 'notice_kind'),
                ({'notice_kind': 'letter', 'text': 'x'}, 'notice_kind'),
                ({'incident_version': 1}, 'incident_version'),
                ({'notice_kind': 'ico_report', 'text': 'x',
                  'incident_version': 0}, 'incident_version')):
            body['sent_at'] = harness.ts(harness.now())
            r = self.fx.as_('handler', 'POST', path, body=body)
            self.assertProblem(r, 400, 'invalid-field', field=field)
        r = self.fx.as_('handler', 'POST', path, body={
            'sent_at': harness.ts(harness.now()), 'notice_kind': 'ico_report',
            'text': text, 'incident_version': 99})
        self.assertProblem(r, 422, 'constraint-violation',
                           field='incident_version')
        r = self.fx.as_('handler', 'POST', path, body={
            'sent_at': harness.ts(harness.now()), 'reference': 'ICO/123',
            'notice_kind': 'ico_report', 'text': text,
            'incident_version': int(h['x-incident-version'])})
        self.assertStatus(r, 201)
        self.assertEqual(r[2]['notice'], {
            'kind': 'ico_report', 'text': text,
            'incident_version': int(h['x-incident-version'])})
        # the incident moves on; the record keeps what went out
        self.patch(a['id'], {'description': 'later facts'})
        got = self.obligation_get(a['id'], ob['id'])
        self.assertEqual(got['state'], 'met')
        self.assertEqual(got['notifications'][0]['notice']['text'], text)
        # a follow-up without a notice: notice is null
        r = self.fx.as_('handler', 'POST', path, body={
            'sent_at': harness.ts(harness.now()), 'follow_up': True})
        self.assertStatus(r, 201)
        self.assertIsNone(r[2]['notice'])
        # the draft is now a follow-up report with the case reference
        t = self.draft(a['id'], 'ico_report')[2].decode()
        self.assertIn('Report type: Follow-up report', t)
        self.assertIn('ICO case reference: ICO/123', t)
        # the audit event names the notice (not its whole text)
        ev = [e for e in self.events(a['id'])
              if e['action'] == 'notification.recorded'][0]
        self.assertEqual(ev['data']['notice']['kind'], 'ico_report')
        self.assertEqual(ev['data']['notice']['text_bytes'],
                         len(text.encode()))

    def obligation_get(self, iid, oid):
        r = self.fx.as_('handler', 'GET', '/api/v1/incidents/%d/obligations/'
                        '%d' % (iid, oid))
        self.assertStatus(r, 200)
        return r[2]

    # ---- Art. 34(3)

    def test_art34_exemption(self):
        a = self.create(title='exempt', discovered_at=harness.ts(
            harness.now() - 3 * harness.HOUR), aware_at=harness.ts(
            harness.now() - 2 * harness.HOUR),
            data_categories=['health'], encryption='key_safe')
        path = '/api/v1/incidents/%d/art34-exemption' % a['id']
        body = {'exemption': 'a', 'explanation': 'AES-256 full-disk '
                'encryption; the key stayed with <IT> in Zürich.'}
        # no Art. 34 obligation before a high-risk decision
        r = self.fx.as_('dpo', 'POST', path, body=body)
        self.assertProblem(r, 409, 'conflict')
        self.decide(a['id'], 'high')
        ob = self.obligations(a['id'])[ART34]
        self.assertEqual(ob['state'], 'pending')
        r = self.fx.as_('handler', 'POST', path, body=body)
        self.assertProblem(r, 403, 'forbidden')
        for bad, field in (({'exemption': 'd', 'explanation': 'x'},
                            'exemption'),
                           ({'exemption': 'a', 'explanation': '  '},
                            'explanation'),
                           ({'exemption': 'a'}, 'explanation'),
                           ({'exemption': 'a', 'explanation': 'x',
                             'extra': 1}, 'extra')):
            r = self.fx.as_('dpo', 'POST', path, body=bad)
            self.assertProblem(r, 400, 'invalid-field', field=field)
        r = self.fx.as_('dpo', 'POST', path, body=body)
        self.assertStatus(r, 201)
        self.assertEqual(r[2]['exemption'], 'a')
        self.assertEqual(r[2]['decided_by'], 'dpo')
        self.assertEqual(r[2]['obligation_id'], ob['id'])
        self.assertEqual(r[1]['location'], '/api/v1/incidents/%d/'
                         'obligations/%d' % (a['id'], ob['id']))
        ob = self.obligations(a['id'])[ART34]
        self.assertEqual(ob['state'], 'waived')
        self.assertEqual(ob['waive_reason'], 'Art. 34(3)(a): ' +
                         body['explanation'])
        r = self.fx.as_('dpo', 'POST', path, body=body)
        self.assertProblem(r, 409, 'conflict')
        self.assertIn('art34.exemption',
                      [e['action'] for e in self.events(a['id'])])
        # the letter becomes the record of the decision
        t = self.draft(a['id'], 'art34_letter')[2].decode()
        self.assertIn('RECORD OF A DECISION NOT TO TELL THE PEOPLE '
                      'AFFECTED', t)
        self.assertIn('Art. 34(3)(a): the controller had implemented', t)
        self.assertIn('the key stayed with <IT> in Zürich', t)
        self.assertNotIn('Hello,', t)
        h = self.draft(a['id'], 'art34_letter', 'html')[2].decode()
        self.assertEqual(StrictHTML().check(h), [])
        self.assertIn('with &lt;IT&gt; in Zürich', h)
        # and the ICO report says people were not told, and why
        t = self.draft(a['id'], 'ico_report')[2].decode()
        self.assertIn('No: Art. 34(3)(a): AES-256', t)

    def test_art34_exemption_eu_gdpr(self):
        """Art. 34(3) EU GDPR is the same text: the exemption waives the
        EU obligation too, alone or with the UK one, and each waiver has
        an event naming its regime."""
        body = {'exemption': 'b', 'explanation': 'Every account was '
                'locked within the hour.'}
        for where, regimes in ((['IE'], [EU_ART34]),
                               (['GB', 'IE'], [ART34, EU_ART34])):
            a = self.create(title='exempt ' + '+'.join(where),
                            discovered_at=harness.ts(
                                harness.now() - 3 * harness.HOUR),
                            aware_at=harness.ts(
                                harness.now() - 2 * harness.HOUR),
                            jurisdictions=where)
            self.decide(a['id'], 'high')
            obs = self.obligations(a['id'])
            self.assertEqual(sorted(k for k in obs if k in (ART34,
                             EU_ART34)), sorted(regimes))
            ids = {k: obs[k]['id'] for k in regimes}
            for k in regimes:
                self.assertEqual(obs[k]['state'], 'pending', k)
            r = self.fx.as_('dpo', 'POST', '/api/v1/incidents/%d/'
                            'art34-exemption' % a['id'], body=body)
            self.assertStatus(r, 201)
            self.assertEqual(r[2]['obligation_id'], ids[regimes[0]])
            obs = self.obligations(a['id'])
            for k in regimes:
                self.assertEqual(obs[k]['state'], 'waived', k)
                self.assertEqual(obs[k]['waive_reason'], 'Art. 34(3)(b): ' +
                                 body['explanation'])
            evs = [e['data'] for e in self.events(a['id'])
                   if e['action'] == 'art34.exemption']
            self.assertEqual(sorted((d['regime_id'], d['obligation_id'])
                                    for d in evs),
                             sorted((k, ids[k]) for k in regimes))
            for d in evs:
                self.assertEqual(d['exemption'], 'b')
                self.assertEqual(d['explanation'], body['explanation'])


    # ---- the law and the complaint route of the regime drafted for

    UK_ROUTE = "complain to the Information Commissioner's"
    EU_ROUTE = ('lodge a complaint with a data protection\nsupervisory '
                'authority, in particular in the Member State of your '
                'habitual\nresidence, your place of work or the place of '
                'the alleged infringement\n(GDPR Art. 77).')

    def high_risk(self, where, **fields):
        a = self.create(title='letter ' + '+'.join(where),
                        discovered_at=harness.ts(
                            harness.now() - 3 * harness.HOUR),
                        aware_at=harness.ts(harness.now() - 2 * harness.HOUR),
                        jurisdictions=where, **fields)
        self.decide(a['id'], 'high')
        return a

    def all_formats(self, iid, kind):
        """The draft in text, Markdown and HTML (the HTML checked and
        stripped of its tags and line breaks' <br>)."""
        out = {}
        for fmt in FORMATS:
            t = self.draft(iid, kind, fmt)[2].decode()
            if fmt == 'html':
                self.assertEqual(StrictHTML().check(t), [], kind)
                t = re.sub(r'<[^>]*>', '', t).replace('&#39;', "'")
            out[fmt] = t
        return out

    def test_art34_letter_names_its_regime(self):
        """The letter names the complaint route, and the Art. 34(3) record
        the law, of the Art. 34 duty the incident has: the ICO under UK
        GDPR, a supervisory authority (Art. 77) under EU GDPR, both when
        both apply; never the ICO for people in the EU alone."""
        body = {'exemption': 'a', 'explanation': 'Encrypted at rest.'}
        for where, regimes, cites in (
                (['DE'], [EU_ART34], '(GDPR Art. 34(3))'),
                (['GB'], [ART34], '(UK GDPR Art. 34(3))'),
                (['GB', 'DE'], [ART34, EU_ART34],
                 '(UK GDPR Art. 34(3), GDPR Art. 34(3))')):
            a = self.high_risk(where)
            obs = self.obligations(a['id'])
            self.assertEqual(sorted(k for k in obs if k in (ART34,
                             EU_ART34)), sorted(regimes))
            uk, eu = ART34 in regimes, EU_ART34 in regimes
            for fmt, t in self.all_formats(a['id'], 'art34_letter').items():
                ctx = (where, fmt)
                self.assertIn('Hello,', t, ctx)
                self.assertEqual(self.UK_ROUTE in t, uk, ctx)
                self.assertEqual('ico.org.uk' in t, uk, ctx)
                plain = t.replace('\\', '')   # Markdown escapes
                self.assertEqual(self.EU_ROUTE in plain, eu, ctx)
                if not uk:
                    self.assertNotIn('ICO', t, ctx)
                    self.assertNotIn('Information Commissioner', t, ctx)
                    self.assertNotIn('UK GDPR', t, ctx)
                self.assertNotIn('authority: Not yet known', plain, ctx)
            r = self.fx.as_('dpo', 'POST', '/api/v1/incidents/%d/'
                            'art34-exemption' % a['id'], body=body)
            self.assertStatus(r, 201)
            for fmt, t in self.all_formats(a['id'], 'art34_letter').items():
                ctx = (where, fmt)
                plain = t.replace('\\', '')
                self.assertIn('ecord of a decision not to tell the people '
                              'affected ' + cites if fmt != 'text' else
                              'RECORD OF A DECISION NOT TO TELL THE PEOPLE '
                              'AFFECTED ' + cites, plain, ctx)
                self.assertNotIn('Hello,', t, ctx)
                if not uk:
                    self.assertNotIn('UK GDPR', t, ctx)
                    self.assertNotIn('ICO', t, ctx)

    def test_art34_letter_before_the_duty(self):
        """Before a high-risk decision the letter follows where the people
        affected are; where that is not known, neither is the route."""
        a = self.create(title='not yet high', jurisdictions=['FR'])
        t = self.draft(a['id'], 'art34_letter')[2].decode()
        self.assertIn(self.EU_ROUTE, t)
        self.assertNotIn('ico.org.uk', t)
        a = self.create(title='nowhere yet')
        t = self.draft(a['id'], 'art34_letter')[2].decode()
        self.assertIn('supervisory\nauthority: Not yet known', t)
        self.assertNotIn('ico.org.uk', t)
        self.assertNotIn('Art. 77', t)

    def test_controller_notice_names_its_regime(self):
        """A processor's notice cites UK GDPR Art. 33(2) or GDPR Art. 33(2)
        after the processor duty it has, with that duty's due time."""
        for where, regime, cite in (
                (['DE'], 'eu_gdpr_art33_2_processor', '(GDPR Art. 33(2))'),
                (['GB'], 'uk_gdpr_art33_2_processor',
                 '(UK GDPR Art. 33(2))')):
            a = self.create(title='processor ' + where[0], role='processor',
                            controller_name='Controller Ltd',
                            controller_notice_hours=24,
                            aware_at=harness.ts(
                                harness.now() - harness.HOUR),
                            jurisdictions=where)
            self.assertIn(regime, self.obligations(a['id']))
            for fmt, t in self.all_formats(a['id'],
                                           'controller_notice').items():
                ctx = (where, fmt)
                self.assertIn(('controller ' + cite).lower(),
                              t.replace('\\', '').lower(), ctx)
                self.assertIn('otice due by', t, ctx)
                if where == ['DE']:
                    self.assertNotIn('UK GDPR', t, ctx)


if __name__ == '__main__':
    harness.main()
