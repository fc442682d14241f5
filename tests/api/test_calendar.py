"""The calendar feed: GET /api/v1/calendar.ics (RFC 5545, parsed with
python3-icalendar) and the per-user feed token, POST/GET/DELETE
/api/v1/me/calendar-token."""

import datetime
import os
import re
import sys
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import HOUR, MINUTE, now, parse_ts, ts  # noqa: E402

import icalendar  # noqa: E402  (Debian: python3-icalendar)

FEED = '/api/v1/calendar.ics'
MINE = '/api/v1/me/calendar-token'
FEED_TOKEN_RE = re.compile(r'^bcf_[A-Za-z0-9_-]{43}$')
UID_RE = re.compile(r'^obligation-([0-9]+)@([0-9a-f]{16})\.breachclock$')

# Text that iCalendar must escape (RFC 5545 3.3.11) and that needs
# folding, with multi-byte UTF-8 so that a fold inside a character shows.
HOSTILE = ('Payroll, "HR"; backup\\share: \u00e9\u00e9\u00e9 '
           '\u20ac\u20ac \u2713 ' + '\u00fc' * 60)
HOSTILE_CONTROLLER = 'Acme, Ltd; "Data" \\ Processing \u00c5B'


def setUpModule():
    harness.setup_module()


def tearDownModule():
    harness.teardown_module()


def unfold(raw):
    """The logical lines of an iCalendar text, after strict checks of the
    physical ones: CRLF only, at most 75 octets, each valid UTF-8."""
    assert raw.endswith(b'\r\n'), 'must end with CRLF'
    phys = raw[:-2].split(b'\r\n')
    out = []
    for line in phys:
        assert b'\n' not in line and b'\r' not in line, 'bare CR or LF'
        assert len(line) <= 75, 'longer than 75 octets: %r' % line
        text = line.decode('utf-8')  # a fold inside a character fails
        if text.startswith(' '):
            out[-1] += text[1:]
        else:
            out.append(text)
    return out


class Feed(harness.ApiCase):

    # -- helpers

    def feed(self, user='dpo', token=None, server=None):
        """(calendar, raw bytes, logical lines) of the feed."""
        path = FEED
        if token is not None:
            path += '?token=' + urllib.parse.quote(token)
            r = (server or self.fx.server).request('GET', path)
        else:
            r = (server or self.fx.server).request(
                'GET', path, token=self.fx.tok[user])
        st, h, raw = r
        self.assertEqual(st, 200, raw)
        self.assertTrue(h['content-type'].startswith('text/calendar'), h)
        self.assertIsInstance(raw, bytes)
        lines = unfold(raw)
        cal = icalendar.Calendar.from_ical(raw)
        return cal, raw, lines

    def events(self, cal):
        """{obligation id: VEVENT}"""
        out = {}
        for ev in cal.walk('VEVENT'):
            m = UID_RE.match(str(ev['UID']))
            self.assertIsNotNone(m, ev['UID'])
            oid = int(m.group(1))
            self.assertNotIn(oid, out, 'duplicate UID')
            out[oid] = ev
        return out

    def processor(self, title='processor incident', notice_hours=48,
                  aware=None, discovered=None, **kw):
        """An open incident with one pending processor obligation."""
        aware = aware or now() - HOUR
        discovered = discovered or aware - HOUR
        inc = self.create(title=title, discovered_at=ts(discovered),
                          aware_at=ts(aware), role='processor',
                          controller_name=kw.pop('controller', 'Acme Ltd'),
                          controller_notice_hours=notice_hours, **kw)
        obs = self.obligations(inc['id'])
        pending = [o for o in obs.values() if o['state'] == 'pending']
        self.assertEqual(len(pending), 1, obs)
        return inc, pending[0]

    def new_token(self, user='dpo'):
        st, h, b = self.fx.as_(user, 'POST', MINE)
        self.assertEqual(st, 201, b)
        self.assertEqual(h['location'], MINE)
        self.assertTrue(FEED_TOKEN_RE.match(b['token']), b)
        return b

    # -- the feed

    def test_events_are_the_open_obligations(self):
        inc, ob = self.processor(title='Secret payroll of Jane Roe')
        cal, raw, lines = self.feed()
        self.assertEqual(str(cal['VERSION']), '2.0')
        self.assertIn('breachclock', str(cal['PRODID']))
        self.assertEqual(lines[0], 'BEGIN:VCALENDAR')
        evs = self.events(cal)
        self.assertIn(ob['id'], evs)
        ev = evs[ob['id']]
        self.assertEqual(ev['DTSTART'].dt, parse_ts(ob['due_at']))
        self.assertEqual(ev['DTSTART'].dt.utcoffset(),
                         datetime.timedelta(0))
        self.assertEqual(ev['DURATION'].dt, datetime.timedelta(minutes=15))
        self.assertEqual(int(ev['SEQUENCE']), 0)
        self.assertIsInstance(ev['DTSTAMP'].dt, datetime.datetime)
        summary = str(ev['SUMMARY'])
        self.assertTrue(summary.startswith(inc['ref'] + ': '), summary)
        self.assertIn(ob['phase_name'], summary)
        self.assertIn(ob['regime_name'], summary)
        desc = str(ev['DESCRIPTION']).split('\n')
        link = 'http://%s:%d/incident.html?id=%d' % (
            self.fx.server.host, self.fx.server.port, inc['id'])
        self.assertIn('Incident: ' + link, desc)
        self.assertIn('Tell: Acme Ltd', desc)
        self.assertIn('Deadline: %s (UTC), the organisation\'s target: the '
                      'law sets no fixed period' % ob['due_at'], desc)
        self.assertEqual(str(ev['URL']), link)
        triggers = sorted(a['TRIGGER'].dt for a in ev.walk('VALARM'))
        self.assertEqual(triggers, [-datetime.timedelta(hours=24),
                                    -datetime.timedelta(hours=1)])
        for a in ev.walk('VALARM'):
            self.assertEqual(str(a['ACTION']), 'DISPLAY')
        # The title is left out unless calendar-titles is set.
        self.assertNotIn(b'Jane Roe', raw)
        self.assertNotIn(b'payroll', raw.lower())

    def test_every_pending_obligation_and_no_other(self):
        a, oa = self.processor()
        b, ob = self.processor(notice_hours=5)
        # A met obligation leaves the feed.
        r = self.fx.as_('dpo', 'POST',
                        '/api/v1/incidents/%d/obligations/%d/notifications'
                        % (b['id'], ob['id']),
                        body={'sent_at': ts(now() - MINUTE)})
        self.assertStatus(r, 201)
        evs = self.events(self.feed()[0])
        self.assertIn(oa['id'], evs)
        self.assertNotIn(ob['id'], evs)
        # What the feed holds is exactly the pending ('missed' is pending
        # past due) obligations of the open incidents.
        want = set()
        st, _, lst = self.fx.as_('dpo', 'GET', '/api/v1/incidents?limit=200')
        self.assertEqual(st, 200)
        for inc in lst['items']:
            if inc['status'] in ('closed', 'not_a_breach'):
                continue
            for o in self.obligations(inc['id'], user='dpo').values():
                if o['state'] in ('pending', 'missed'):
                    want.add(o['id'])
        self.assertEqual(set(evs), want)

    def test_uid_stable_sequence_counts_deadline_moves(self):
        aware = now() - 2 * HOUR
        inc, ob = self.processor(aware=aware, discovered=aware - 10 * HOUR)
        ev = self.events(self.feed()[0])[ob['id']]
        uid = str(ev['UID'])
        self.assertEqual(int(ev['SEQUENCE']), 0)
        # A recompute that does not move the deadline changes nothing.
        self.patch(inc['id'], {'description': 'more facts'})
        ev = self.events(self.feed()[0])[ob['id']]
        self.assertEqual(str(ev['UID']), uid)
        self.assertEqual(int(ev['SEQUENCE']), 0)
        # Moving aware_at moves the deadline: same UID, SEQUENCE + 1.
        for n, back in ((1, 3), (2, 4)):
            self.patch(inc['id'], {'aware_at': ts(aware - back * HOUR)})
            o = self.obligations(inc['id'])[ob['regime_id']]
            self.assertEqual(o['id'], ob['id'])
            ev = self.events(self.feed()[0])[ob['id']]
            self.assertEqual(str(ev['UID']), uid)
            self.assertEqual(int(ev['SEQUENCE']), n)
            self.assertEqual(ev['DTSTART'].dt, parse_ts(o['due_at']))
            self.assertEqual(parse_ts(o['due_at']),
                             aware - back * HOUR + 48 * HOUR)
        # A changed notice period moves it too.
        self.patch(inc['id'], {'controller_notice_hours': 12})
        ev = self.events(self.feed()[0])[ob['id']]
        self.assertEqual(int(ev['SEQUENCE']), 3)
        self.assertEqual(str(ev['UID']), uid)

    def test_if_none_match(self):
        """A calendar app polling with If-None-Match gets 304 and no body
        until the feed changes; then the new feed and a new ETag."""
        inc, ob = self.processor(title='polled')

        def get(inm=None):
            return self.fx.as_('viewer', 'GET', FEED, headers=None if inm
                               is None else {'If-None-Match': inm})
        st, h, raw = get()
        self.assertEqual(st, 200)
        etag = h['etag']
        self.assertRegex(etag, r'^"[0-9a-f]{16}"$')
        self.assertEqual(get()[1]['etag'], etag, 'the same feed, same tag')
        for inm in (etag, 'W/' + etag, '"0000000000000000", ' + etag,
                    '*'):
            with self.subTest(inm):
                st, h2, body = get(inm)
                self.assertEqual((st, body), (304, b''))
                self.assertEqual(h2['etag'], etag)
        for inm in ('"0000000000000000"', etag[:-2] + '"', etag[1:-1], ''):
            with self.subTest(inm):
                st, _, body = get(inm)
                self.assertEqual((st, body), (200, raw))
        # a moved deadline is a new feed
        self.patch(inc['id'], {'controller_notice_hours': 12})
        st, h3, raw3 = get(etag)
        self.assertEqual(st, 200)
        self.assertNotEqual(h3['etag'], etag)
        self.assertNotEqual(raw3, raw)
        self.assertEqual(get(h3['etag'])[0], 304)

    def test_closed_and_not_a_breach_incidents_disappear(self):
        a, oa = self.processor()
        b, ob = self.processor()
        keep, ok = self.processor()
        evs = self.events(self.feed()[0])
        self.assertTrue({oa['id'], ob['id'], ok['id']} <= set(evs))
        self.walk(a['id'], 'investigating', 'confirmed', 'contained',
                  'closed')
        self.patch(b['id'], {'status': 'investigating'})
        self.patch(b['id'], {'status': 'not_a_breach',
                             'not_a_breach_reason': 'test data only'})
        evs = self.events(self.feed()[0])
        self.assertNotIn(oa['id'], evs)
        self.assertNotIn(ob['id'], evs)
        self.assertIn(ok['id'], evs)

    def test_hostile_text_is_escaped(self):
        inc, ob = self.processor(controller=HOSTILE_CONTROLLER)
        cal, raw, lines = self.feed()
        ev = self.events(cal)[ob['id']]
        desc = str(ev['DESCRIPTION']).split('\n')
        self.assertIn('Tell: ' + HOSTILE_CONTROLLER, desc)
        # On the wire: ',', ';' and '\' escaped, newlines as \n.
        wire = [x for x in lines if x.startswith('DESCRIPTION:') and
                'Processing' in x]
        self.assertEqual(len(wire), 1, lines)
        self.assertIn('\\nTell: Acme\\, Ltd\\; "Data" \\\\ Processing', wire[0])
        # A newline cannot reach the feed through a one-line field.
        r = self.fx.as_('handler', 'POST', '/api/v1/incidents', body={
            'title': 'x\r\nEND:VEVENT', 'discovered_at': ts(now() - HOUR)})
        self.assertProblem(r, 400, 'invalid-field', 'title')

    def test_roles(self):
        for user in ('handler', 'dpo', 'viewer', 'admin'):
            with self.subTest(user):
                self.feed(user)
        for user in ('reporter', 'notifier'):
            with self.subTest(user):
                self.assertProblem(self.fx.as_(user, 'GET', FEED), 403,
                                   'forbidden')
                self.assertProblem(self.fx.as_(user, 'POST', MINE), 403,
                                   'forbidden')
        self.assertProblem(self.fx.request('GET', FEED), 401,
                           'unauthorized')

    # -- feed tokens

    def test_token_opens_the_feed_and_nothing_else(self):
        b = self.new_token('viewer')
        url = urllib.parse.urlsplit(b['url'])
        self.assertEqual(url.scheme, 'http')
        self.assertEqual(url.netloc, '%s:%d' % (self.fx.server.host,
                                                self.fx.server.port))
        self.assertEqual(url.path, FEED)
        self.assertEqual(urllib.parse.parse_qs(url.query),
                         {'token': [b['token']]})
        self.assertTs(b['created_at'])
        st, _, info = self.fx.as_('viewer', 'GET', MINE)
        self.assertEqual(st, 200)
        self.assertEqual(info, {'created_at': b['created_at']})
        self.processor()
        # The URL as given, with no other credentials.
        st, h, raw = self.fx.request('GET', url.path + '?' + url.query)
        self.assertEqual(st, 200, raw)
        by_token = self.events(icalendar.Calendar.from_ical(raw))
        by_bearer = self.events(self.feed('viewer')[0])
        self.assertEqual(set(by_token), set(by_bearer))
        self.assertTrue(by_token)
        # Not a bearer token, and no query token anywhere else.
        self.assertProblem(self.fx.request('GET', '/api/v1/me',
                                           token=b['token']), 401)
        self.assertProblem(self.fx.request('GET', FEED, token=b['token']),
                           401)
        for method, path in (('GET', '/api/v1/me'),
                             ('GET', '/api/v1/incidents'),
                             ('GET', MINE), ('POST', MINE),
                             ('DELETE', MINE)):
            with self.subTest(method + ' ' + path):
                q = path + '?token=' + b['token']
                self.assertProblem(self.fx.request(method, q), 401,
                                   'unauthorized')
                self.assertProblem(self.fx.as_('viewer', method, q), 400,
                                   'invalid-query', 'token')
        self.assertStatus(self.fx.as_('viewer', 'GET', MINE), 200)

    def test_wrong_tokens(self):
        self.new_token('handler')
        api = self.fx.tok['handler']
        for bad in ('bcf_' + 'A' * 43, 'bcf_', '', 'nonsense', api,
                    'bcf_' + 'A' * 44, 'bcf_' + 'A' * 42 + '%00'):
            with self.subTest(bad):
                self.assertProblem(self.fx.request(
                    'GET', FEED + '?token=' + urllib.parse.quote(bad)), 401,
                    'unauthorized')
        # A wrong feed token fails even beside a good bearer token.
        self.assertProblem(self.fx.request(
            'GET', FEED + '?token=bcf_' + 'B' * 43, token=api), 401)

    def test_rotate_and_revoke(self):
        first = self.new_token('handler')
        self.feed(token=first['token'])
        second = self.new_token('handler')
        self.assertNotEqual(first['token'], second['token'])
        self.assertProblem(self.fx.request(
            'GET', FEED + '?token=' + first['token']), 401, 'unauthorized')
        self.feed(token=second['token'])
        # Another user's token is theirs alone.
        other = self.new_token('admin')
        self.feed(token=other['token'])
        st, h, b = self.fx.as_('handler', 'DELETE', MINE)
        self.assertEqual(st, 204, b)
        self.assertProblem(self.fx.request(
            'GET', FEED + '?token=' + second['token']), 401, 'unauthorized')
        self.assertProblem(self.fx.as_('handler', 'DELETE', MINE), 404,
                           'not-found')
        self.assertProblem(self.fx.as_('handler', 'GET', MINE), 404,
                           'not-found')
        self.feed(token=other['token'])

    def test_token_follows_its_user(self):
        # The feed token acts as its user at each request: a user made a
        # reporter loses the feed (403), a disabled one too (401).
        r = self.fx.as_('admin', 'POST', '/api/v1/users',
                        body={'name': 'feeder', 'role': 'handler'})
        self.assertStatus(r, 201)
        st, _, users = self.fx.as_('admin', 'GET', '/api/v1/users')
        uid = [u['id'] for u in users['items'] if u['name'] == 'feeder'][0]
        st, _, tok = self.fx.as_('admin', 'POST', '/api/v1/tokens',
                                 body={'user': 'feeder'})
        self.assertEqual(st, 201)
        st, _, b = self.fx.request('POST', MINE, token=tok['token'])
        self.assertEqual(st, 201, b)
        self.feed(token=b['token'])

        def set_user(body):
            self.assertStatus(self.fx.as_(
                'admin', 'PATCH', '/api/v1/users/%d' % uid, body=body), 200)
        set_user({'role': 'reporter'})
        self.assertProblem(self.fx.request(
            'GET', FEED + '?token=' + b['token']), 403, 'forbidden')
        set_user({'role': 'viewer'})
        self.feed(token=b['token'])
        set_user({'disabled': True})
        self.assertProblem(self.fx.request(
            'GET', FEED + '?token=' + b['token']), 401, 'unauthorized')
        set_user({'disabled': False})
        self.feed(token=b['token'])

    def test_post_takes_no_body(self):
        self.assertProblem(self.fx.as_('dpo', 'POST', MINE, body={}), 400,
                           'invalid-json')

    def test_token_changes_are_audited(self):
        self.new_token('dpo')
        self.assertStatus(self.fx.as_('dpo', 'DELETE', MINE), 204)
        st, _, v = self.fx.as_('dpo', 'GET', '/api/v1/audit/verify')
        self.assertEqual(st, 200)
        self.assertTrue(v['ok'], v)


class Titles(harness.ApiCase):
    """A second server on the same database with calendar-titles = true."""

    @classmethod
    def setUpClass(cls):
        cfg = os.path.join(harness.FX.tmpdir, 'titles.conf')
        with open(cfg, 'w') as f:
            f.write('calendar-titles = true\n')
        cls.server = harness.Server(harness.FX.tmpdir, [
            '--db', harness.FX.db, '--listen', '127.0.0.1:0',
            '--config', cfg], log_name='titles.log').start()

    @classmethod
    def tearDownClass(cls):
        rc = cls.server.stop()
        if rc != 0:
            raise AssertionError('titles server exit %r' % rc)

    def test_hostile_title_escaped_and_folded(self):
        inc = self.create(title=HOSTILE, discovered_at=ts(now() - 2 * HOUR),
                          aware_at=ts(now() - HOUR), role='processor',
                          controller_name=HOSTILE_CONTROLLER)
        ob = [o for o in self.obligations(inc['id']).values()
              if o['state'] == 'pending'][0]
        st, h, raw = self.server.request('GET', FEED,
                                         token=self.fx.tok['dpo'])
        self.assertEqual(st, 200)
        lines = unfold(raw)
        cal = icalendar.Calendar.from_ical(raw)
        evs = [e for e in cal.walk('VEVENT')
               if str(e['UID']).startswith('obligation-%d@' % ob['id'])]
        self.assertEqual(len(evs), 1)
        ev = evs[0]
        self.assertEqual(str(ev['SUMMARY']), '%s %s: %s - %s' % (
            inc['ref'], HOSTILE, ob['phase_name'], ob['regime_name']))
        desc = str(ev['DESCRIPTION']).split('\n')
        self.assertEqual(desc[0], 'Incident title: ' + HOSTILE)
        self.assertIn('Tell: ' + HOSTILE_CONTROLLER, desc)
        for a in ev.walk('VALARM'):
            self.assertEqual(str(a['DESCRIPTION']), str(ev['SUMMARY']))
        wire = [x for x in lines if x.startswith('SUMMARY:') and
                inc['ref'] in x]
        self.assertEqual(len(wire), 1)
        self.assertIn('Payroll\\, "HR"\\; backup\\\\share:', wire[0])
        # The long title was folded (and unfold() found every physical
        # line valid UTF-8, so no fold split a character).
        self.assertTrue(any(len(x.encode()) > 75 for x in lines))


if __name__ == '__main__':
    harness.main()
