"""
GET /api/v1/register: the breach register (UK GDPR Art. 33(5)) as JSON,
CSV and HTML.  Contents per incident, the period filter and its edges,
format negotiation, CSV per RFC 4180 with formula cells neutralised,
HTML escaping and its CSP, roles, bad query values, and a 20,000-incident
export that must stream in flat memory (VmHWM of the server) and parse.
"""

import base64
import csv
import datetime
import hashlib
import http.client
import io
import json
import os
import re
import socket
import sqlite3
import tempfile
import shutil
import time
import unittest

import harness
from harness import ApiCase

Z = datetime.timezone.utc
ICO = 'uk_gdpr_art33_ico'
COLUMNS = [
    'id', 'ref', 'title', 'status', 'cause', 'cyber_incident',
    'discovered_at', 'aware_at', 'occurred_from', 'occurred_to',
    'reported_at', 'description', 'how_discovered', 'role',
    'controller_name', 'jurisdictions', 'data_categories',
    'subject_categories', 'likely_consequences', 'subjects_count',
    'records_count', 'confidentiality_impact', 'integrity_impact',
    'availability_impact', 'encryption', 'risk', 'risk_rationale',
    'risk_decided_at', 'risk_decided_by', 'not_a_breach_reason',
    'obligations', 'measures_taken', 'measures_proposed']
HOSTILE = ['=1+2', '+SUM(A1:A9)', '-2+3', '@SUM(A1)',
           '=HYPERLINK("http://x.example/","click")']
FORMULA_START = ('=', '+', '-', '@', '\t', '\r')


def setUpModule():
    harness.setup_module()


def tearDownModule():
    harness.teardown_module()


def t(s):
    return datetime.datetime.strptime(s, '%Y-%m-%d %H:%M:%S').replace(
        tzinfo=Z)


def parse_csv(body):
    text = body.decode('utf-8')
    return list(csv.reader(io.StringIO(text, newline=''), strict=True))


class Register(ApiCase):

    @classmethod
    def setUpClass(cls):
        case = cls('setUp')
        cls.ids = case.seed()

    def setUp(self):
        pass

    def seed(self):
        ids = {}
        # A full one: facts, effects, decisions, remedial action, and an
        # ICO notice met late.
        full = self.create(
            title='Laptop with HR files stolen',
            discovered_at='2025-02-01T09:00:00Z', cause='lost_or_stolen_device',
            description='Taken from a car, "locked", overnight.\nSecond line',
            how_discovered='Reported by the employee',
            jurisdictions=['GB'], data_categories=['basic_identifiers',
                                                   'health'],
            subject_categories=['employees'], subjects_count=120,
            records_count=480, confidentiality_impact=True,
            encryption='none',
            likely_consequences='Distress; possible discrimination.',
            measures_taken='Remote wipe issued.',
            measures_proposed='Full-disk encryption on every laptop.')
        ids['full'] = full['id']
        self.patch(full['id'], {'status': 'investigating',
                                'aware_at': '2025-02-01T10:00:00Z'})
        self.decide(full['id'], 'risk', rationale='Health data, '
                    'but few people and a remote wipe.')
        ob = self.obligations(full['id'])[ICO]
        r = self.fx.as_('handler', 'POST', '/api/v1/incidents/%d/obligations'
                        '/%d/notifications' % (full['id'], ob['id']),
                        body={'sent_at': '2025-02-05T10:00:00Z',
                              'reference': 'IC-1-A',
                              'delay_reason': 'Waited for the wipe report.'})
        self.assertStatus(r, 201)
        self.walk(full['id'], 'confirmed')
        # Not a breach: still in the register, with the reason.
        nab = self.create(title='Email to the wrong colleague',
                          discovered_at='2025-02-02T09:00:00Z',
                          cause='misdirected_email',
                          not_a_breach_reason='Internal, deleted unread.')
        ids['nab'] = nab['id']
        self.walk(nab['id'], 'investigating', 'not_a_breach')
        # A missed ICO deadline, no decision.
        missed = self.create(title='Server left open',
                             discovered_at='2025-02-03T09:00:00Z')
        ids['missed'] = missed['id']
        self.patch(missed['id'], {'status': 'investigating',
                                  'aware_at': '2025-02-03T09:00:00Z'})
        # Hostile titles and text (formula starts, markup).
        ids['hostile'] = []
        for i, title in enumerate(HOSTILE):
            inc = self.create(title=title, discovered_at='2025-02-04T0%d:00:00Z'
                              % i, description='\t=cmd|" /C calc"!A0',
                              measures_taken='\r=1+1',
                              likely_consequences='-1')
            ids['hostile'].append(inc['id'])
        inc = self.create(title='<script>alert(1)</script> & "q" \'s',
                          discovered_at='2025-02-05T00:00:00Z',
                          description='<img src=x onerror=alert(2)>')
        ids['script'] = inc['id']
        # Period edges.
        ids['before'] = self.create(title='Edge before',
                                    discovered_at='2025-01-31T23:59:59Z')['id']
        ids['first'] = self.create(title='Edge first',
                                   discovered_at='2025-02-01T00:00:00Z')['id']
        ids['last'] = self.create(title='Edge last',
                                  discovered_at='2025-02-28T23:59:59Z')['id']
        ids['after'] = self.create(title='Edge after',
                                   discovered_at='2025-03-01T00:00:00Z')['id']
        return ids

    def reg(self, query='', user='viewer', headers=None):
        r = self.fx.as_(user, 'GET', '/api/v1/register' + query,
                        headers=headers)
        self.assertStatus(r, 200, query)
        return r

    def items(self, query=''):
        return self.reg(query + ('&' if '?' in query else '?') +
                        'format=json')[2]['items']

    # -- JSON contents

    def test_full_entry(self):
        items = {e['id']: e for e in self.items()}
        e = items[self.ids['full']]
        self.assertEqual(e['title'], 'Laptop with HR files stolen')
        self.assertEqual(e['status'], 'confirmed')
        self.assertEqual(e['cause'], 'lost_or_stolen_device')
        self.assertEqual(e['discovered_at'], '2025-02-01T09:00:00Z')
        self.assertEqual(e['aware_at'], '2025-02-01T10:00:00Z')
        self.assertEqual(e['data_categories'], ['basic_identifiers', 'health'])
        self.assertEqual(e['subjects_count'], 120)
        self.assertEqual(e['records_count'], 480)
        self.assertIs(e['confidentiality_impact'], True)
        self.assertEqual(e['likely_consequences'],
                         'Distress; possible discrimination.')
        self.assertEqual(e['risk'], 'risk')
        self.assertEqual(e['risk_rationale'],
                         'Health data, but few people and a remote wipe.')
        self.assertEqual(e['risk_decided_by'], 'dpo')
        self.assertTs(e['risk_decided_at'])
        self.assertEqual(e['obligations'], [{
            'regime_id': ICO, 'phase': 'notification',
            'recipient': "Information Commissioner's Office (ICO)",
            'due_at': '2025-02-04T10:00:00Z', 'state': 'met',
            'met_at': '2025-02-05T10:00:00Z', 'reference': 'IC-1-A'}])
        self.assertEqual(e['measures_taken'], 'Remote wipe issued.')
        self.assertEqual(e['measures_proposed'],
                         'Full-disk encryption on every laptop.')
        self.assertEqual(list(e), COLUMNS)

    def test_every_incident_notifiable_or_not(self):
        items = {e['id']: e for e in self.items()}
        nab = items[self.ids['nab']]
        self.assertEqual(nab['status'], 'not_a_breach')
        self.assertEqual(nab['not_a_breach_reason'],
                         'Internal, deleted unread.')
        self.assertEqual(nab['obligations'], [])
        self.assertIsNone(nab['risk'])
        missed = items[self.ids['missed']]
        self.assertEqual([o['state'] for o in missed['obligations']],
                         ['missed'])
        self.assertIsNone(missed['obligations'][0]['met_at'])
        self.assertIsNone(missed['cause'])

    def test_order_and_period(self):
        allids = [e['id'] for e in self.items()]
        disc = [e['discovered_at'] for e in self.items()]
        self.assertEqual(disc, sorted(disc))
        self.assertEqual(len(allids), 13)
        cases = [
            ('?from=2025-02-01&to=2025-02-28', {'first', 'last'},
             {'before', 'after'}),
            ('?from=2025-02-01T00:00:00Z&to=2025-02-28T23:59:59Z',
             {'first', 'last'}, {'before', 'after'}),
            ('?from=2025-02-01T00:00:01Z&to=2025-02-28T23:59:58Z', set(),
             {'before', 'first', 'last', 'after'}),
            ('?from=2025-01-31T23:59:59Z', {'before', 'after'}, set()),
            ('?to=2025-03-01T01:00:00%2B01:00', {'after', 'before'}, set()),
            ('?to=2025-03-01T00:59:59%2B01:00', {'last'}, {'after'}),
        ]
        for q, inside, outside in cases:
            with self.subTest(q=q):
                got = {e['id'] for e in self.items(q)}
                for name in inside:
                    self.assertIn(self.ids[name], got, name)
                for name in outside:
                    self.assertNotIn(self.ids[name], got, name)
        r = self.reg('?from=2025-02-01&to=2025-02-28&format=json')[2]
        self.assertEqual(r['from'], '2025-02-01T00:00:00Z')
        self.assertEqual(r['to'], '2025-02-28T23:59:59Z')
        self.assertEqual(len(r['items']), 11)
        self.assertEqual(self.reg('?from=2030-01-01&format=json')[2]['items'],
                         [])

    # -- CSV

    def test_csv_rfc4180_and_neutralised(self):
        r = self.reg('?format=csv')
        h, body = r[1], r[2]
        self.assertEqual(h['content-type'],
                         'text/csv; charset=utf-8; header=present')
        self.assertEqual(h['content-disposition'],
                         'attachment; filename="breach-register.csv"')
        self.assertTrue(body.startswith(','.join(COLUMNS).encode() +
                                        b'\r\n'))
        self.assertTrue(body.endswith(b'\r\n'))
        rows = parse_csv(body)
        self.assertEqual(rows[0], COLUMNS)
        self.assertEqual(len(rows), 1 + 13)
        for row in rows:
            self.assertEqual(len(row), len(COLUMNS))
            for cell in row:
                self.assertFalse(cell.startswith(FORMULA_START),
                                 'formula cell %r' % cell)
        byid = {int(row[0]): dict(zip(COLUMNS, row)) for row in rows[1:]}
        for iid, title in zip(self.ids['hostile'], HOSTILE):
            row = byid[iid]
            self.assertEqual(row['title'], "'" + title)
            self.assertEqual(row['description'], '\'\t=cmd|" /C calc"!A0')
            self.assertEqual(row['measures_taken'], "'\r=1+1")
            self.assertEqual(row['likely_consequences'], "'-1")
        full = byid[self.ids['full']]
        self.assertEqual(full['description'],
                         'Taken from a car, "locked", overnight.\nSecond line')
        self.assertEqual(full['data_categories'], 'basic_identifiers; health')
        self.assertEqual(full['subjects_count'], '120')
        self.assertEqual(full['confidentiality_impact'], 'true')
        self.assertEqual(full['integrity_impact'], 'false')
        self.assertEqual(full['obligations'], ICO + ' notification: met, due '
                         '2025-02-04T10:00:00Z, met 2025-02-05T10:00:00Z, '
                         'ref IC-1-A')
        self.assertEqual(full['controller_name'], '')
        # A quote inside a field is doubled, the field quoted.
        self.assertIn(b'"Taken from a car, ""locked"", overnight.\nSecond '
                      b'line"', body)

    def test_negotiation(self):
        cases = [
            ({}, 'application/json'),
            ({'Accept': '*/*'}, 'application/json'),
            ({'Accept': 'text/csv'}, 'text/csv'),
            ({'Accept': 'text/html,application/xhtml+xml,*/*;q=0.8'},
             'text/html'),
            ({'Accept': 'text/html;q=0, text/csv'}, 'text/csv'),
            ({'Accept': 'text/html ; q=0.0 , application/json'},
             'application/json'),
            ({'Accept': 'TEXT/CSV;q=0.5'}, 'text/csv'),
        ]
        for headers, ctype in cases:
            with self.subTest(headers=headers):
                r = self.reg('', headers=headers)
                self.assertEqual(r[1]['content-type'].split(';')[0], ctype)
        r = self.reg('?format=json', headers={'Accept': 'text/csv'})
        self.assertEqual(r[1]['content-type'], 'application/json')

    def test_streamed_chunked(self):
        r = self.reg('?format=csv')
        self.assertEqual(r[1].get('transfer-encoding'), 'chunked')
        self.assertNotIn('content-length', r[1])

    # -- HTML

    def test_html_escaped_no_script(self):
        r = self.reg('?format=html')
        h, body = r[1], r[2].decode('utf-8')
        self.assertEqual(h['content-type'], 'text/html; charset=utf-8')
        self.assertTrue(body.startswith('<!DOCTYPE html>'))
        self.assertTrue(body.rstrip().endswith('</html>'))
        self.assertNotIn('<script', body.lower())
        self.assertNotIn('<img', body.lower())
        self.assertIn('&lt;script&gt;alert(1)&lt;/script&gt; &amp; '
                      '&quot;q&quot; &#39;s', body)
        self.assertIn('&lt;img src=x onerror=alert(2)&gt;', body)
        self.assertIn('13 incidents.', body)
        self.assertIn('Internal, deleted unread.', body)
        for section in ('Facts', 'Effects', 'Decisions', 'Remedial action'):
            self.assertIn('<h3>%s</h3>' % section, body)
        # No inline style but the one <style>, allowed by its hash alone.
        styles = re.findall(r'<style>(.*?)</style>', body, re.S)
        self.assertEqual(len(styles), 1)
        self.assertNotIn(' style=', body)
        digest = base64.b64encode(hashlib.sha256(
            styles[0].encode()).digest()).decode()
        csp = [d.strip() for d in h['content-security-policy'].split(';')]
        self.assertIn("default-src 'none'", csp)
        self.assertIn("style-src 'sha256-%s'" % digest, csp)
        self.assertFalse([d for d in csp if d.startswith('script-src')])

    def test_empty_html(self):
        body = self.reg('?from=2030-01-01&format=html')[2].decode()
        self.assertIn('No incidents were discovered in this period.', body)
        self.assertIn('0 incidents.', body)

    # -- access and input

    def test_roles(self):
        for user in ('handler', 'dpo', 'viewer', 'admin'):
            with self.subTest(user=user):
                self.assertStatus(self.fx.as_(user, 'GET',
                                              '/api/v1/register?format=csv'),
                                  200)
        for user in ('reporter', 'notifier'):
            self.assertProblem(self.fx.as_(user, 'GET', '/api/v1/register'),
                               403, 'forbidden')
        self.assertProblem(self.fx.request('GET', '/api/v1/register'), 401,
                           'unauthorized')

    def test_bad_query(self):
        cases = [
            ('?format=xlsx', 'format'),
            ('?format=', 'format'),
            ('?format=CSV', 'format'),
            ('?from=2025-02-29', 'from'),
            ('?from=01/02/2025', 'from'),
            ('?to=2025-02-01T25:00:00Z', 'to'),
            ('?from=2025-03-01&to=2025-02-01', 'to'),
            ('?limit=5', 'limit'),
        ]
        for q, field in cases:
            with self.subTest(q=q):
                self.assertProblem(self.fx.as_('viewer', 'GET',
                                               '/api/v1/register' + q),
                                   400, 'invalid-query', field)


# ------------------------------------------------------------- big export

BIG = 20000
PEAK_GROWTH_MAX = 12 * 1024 * 1024
TEXT = 'Lorem ipsum dolor sit amet, "quoted", consectetur; ' * 20


def seed_big(db):
    """BIG closed incidents straight into the database (the API would take
    minutes), each with ~1 KiB of text, every 7th with an ICO obligation
    met, every 100th with a hostile title."""
    con = sqlite3.connect(db)
    try:
        uid = con.execute("SELECT id FROM users WHERE name = 'handler'"
                          ).fetchone()[0]
        base = int(t('2024-01-01 00:00:00').timestamp())
        rows = []
        for i in range(BIG):
            disc = base + i * 600
            title = (HOSTILE[i // 100 % len(HOSTILE)] if i % 100 == 0
                     else 'Bulk incident %d' % i)
            rows.append((
                'BR-2024-%05d' % (i + 1), uid, 'closed', 'risk', disc, disc,
                title, TEXT, disc, disc + 3600, 'controller', 24,
                '[]', '["health"]', '["customers"]', '[]', i, 1, 0, 0,
                'none', 'unknown', TEXT, 'phishing'))
        con.executemany(
            'INSERT INTO incidents (ref, reporter_id, status, risk, '
            'version, created_at, updated_at, title, description, '
            'discovered_at, aware_at, role, controller_notice_hours, '
            'jurisdictions, data_categories, subject_categories, '
            'sector_flags, subjects_count, confidentiality_impact, '
            'integrity_impact, availability_impact, encryption, backups, '
            'measures_taken, cause, cyber_incident) VALUES (?, ?, ?, ?, 1, '
            '?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '
            '\'no\')',
            rows)
        con.execute(
            "INSERT INTO obligations (incident_id, regime_id, phase, "
            "phase_name, recipient, starts_at, due_at, target, state, basis, "
            "met_at, reference, created_at, updated_at) "
            "SELECT id, 'uk_gdpr_art33_ico', 'notification', 'Notification', "
            "'ICO', aware_at, aware_at + 259200, 0, 'met', 'aware + 72 h', "
            "aware_at + 7200, 'IC-' || id, aware_at, aware_at "
            "FROM incidents WHERE id % 7 = 0")
        con.execute(
            "INSERT INTO risk_decisions (incident_id, level, rationale, "
            "decided_by, decided_at) SELECT id, 'risk', 'bulk', ?, aware_at "
            "FROM incidents", (uid,))
        con.commit()
    finally:
        con.close()


def vm_hwm(pid):
    """The peak resident set of a process, in KiB."""
    with open('/proc/%d/status' % pid) as f:
        for line in f:
            if line.startswith('VmHWM:'):
                return int(line.split()[1])
    raise AssertionError('no VmHWM')


class BigExport(unittest.TestCase):
    """A server of its own on a database with BIG incidents."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix='bc-register-')
        cls.db = os.path.join(cls.tmp, 'big.db')
        cls.tok = harness.make_db(cls.db)
        seed_big(cls.db)
        # Under AddressSanitizer (the CI's second run) freed memory waits
        # in a quarantine of up to 256 MiB, which would read as growth;
        # without it the sanitized server's peak is as flat as the plain
        # one's.  The plain build ignores the variable.
        asan = os.environ.get('ASAN_OPTIONS', '')
        env = {'ASAN_OPTIONS': (asan + ':' if asan else '') +
               'quarantine_size_mb=0:thread_local_quarantine_size_kb=0'}
        cls.server = harness.Server(cls.tmp, [
            '--db', cls.db, '--listen', '127.0.0.1:0', '--threads', '2',
            '--log-level', 'info'], env=env).start()

    @classmethod
    def tearDownClass(cls):
        rc = cls.server.stop()
        if rc == 0:
            shutil.rmtree(cls.tmp, ignore_errors=True)
        if rc != 0:
            raise AssertionError('server exit status %r; log in %s' % (
                rc, cls.tmp))

    def fetch(self, query):
        """GET the register without holding it twice: (headers, bytes)."""
        conn = http.client.HTTPConnection(self.server.host, self.server.port,
                                          timeout=120)
        try:
            conn.request('GET', '/api/v1/register' + query, headers={
                'Authorization': 'Bearer ' + self.tok['viewer']})
            resp = conn.getresponse()
            self.assertEqual(resp.status, 200)
            return dict((k.lower(), v) for k, v in resp.getheaders()), \
                resp.read()
        finally:
            conn.close()

    def test_flat_memory_and_parseable(self):
        pid = self.server.proc.pid
        # Warm up: the same code path on a small period.
        self.fetch('?format=csv&to=2024-01-02')
        before = vm_hwm(pid)
        h, body = self.fetch('?format=csv&to=2024-12-31')
        after = vm_hwm(pid)
        self.assertEqual(h.get('transfer-encoding'), 'chunked')
        rows = parse_csv(body)
        self.assertEqual(rows[0], COLUMNS)
        self.assertEqual(len(rows), BIG + 1)
        for row in rows[1:]:
            for cell in row:
                self.assertFalse(cell.startswith(FORMULA_START), cell)
        titles = [r[2] for r in rows[1:]]
        self.assertEqual(titles[0], "'" + HOSTILE[0])
        self.assertEqual(titles[100], "'" + HOSTILE[1])
        self.assertEqual(titles[1], 'Bulk incident 1')
        self.assertEqual(rows[7][COLUMNS.index('obligations')],
                         ICO + ' notification: met, due 2024-01-04T02:00:00Z,'
                         ' met 2024-01-01T04:00:00Z, ref IC-7')
        self.assertEqual(rows[BIG][COLUMNS.index('description')], TEXT)
        # The body is over 40 MiB; a server that held it would grow by at
        # least that much, a streaming one by its page cache and buffers.
        self.assertGreater(len(body), 40 * 1024 * 1024)
        growth = (after - before) * 1024
        self.assertLess(growth, PEAK_GROWTH_MAX,
                        'VmHWM grew by %d KiB for a %d KiB export' % (
                            after - before, len(body) // 1024))
        # JSON and HTML stream the same way (a part, to save time: 6 per
        # hour from 2024-01-01T00:00:00Z to 2024-01-21T23:59:59Z).
        h, body = self.fetch('?format=json&to=2024-01-21')
        self.assertEqual(len(json.loads(body)['items']), 6 * 24 * 21)
        h, body = self.fetch('?format=html&to=2024-01-21')
        self.assertIn(b'%d incidents.' % (6 * 24 * 21), body)
        self.assertLess((vm_hwm(pid) - before) * 1024, PEAK_GROWTH_MAX)
        # Every page was read on the thread that served its connection.
        with open(self.server.log_path) as f:
            self.assertNotIn('register stream read on another thread',
                             f.read())

    def test_client_gone_mid_stream(self):
        """A client that hangs up mid-export: the stream is freed, the
        server serves on and writes still work."""
        for _ in range(3):
            s = socket.create_connection((self.server.host, self.server.port),
                                         timeout=30)
            s.sendall(('GET /api/v1/register?format=html HTTP/1.1\r\n'
                       'Host: x\r\nAuthorization: Bearer %s\r\n\r\n'
                       % self.tok['viewer']).encode())
            got = b''
            while len(got) < 256 * 1024:
                chunk = s.recv(65536)
                self.assertTrue(chunk, 'server closed early')
                got += chunk
            s.close()
        self.assertIn(b' 200 ', got.split(b'\r\n', 1)[0])
        st, _, inc = self.server.request(
            'POST', '/api/v1/incidents', token=self.tok['handler'],
            body={'title': 'After a cut export',
                  'discovered_at': harness.ts(harness.now())})
        self.assertEqual(st, 201, inc)
        h, body = self.fetch('?format=json&from=%s' % harness.ts(
            harness.now() - datetime.timedelta(hours=1)))
        self.assertEqual([e['title'] for e in json.loads(body)['items']],
                         ['After a cut export'])


if __name__ == '__main__':
    harness.main()
