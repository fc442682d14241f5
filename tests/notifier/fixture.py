"""
fixture: the real parts for the notifier tests.

A World owns a temporary directory with
  * the real breachclockd (tests/api/harness.Server) on 127.0.0.1:0 with a
    fresh, migrated database;
  * users: admin (admin@example.com), handler (handler@example.com), dpo
    (dpo@example.com, tz America/New_York), and a notifier user "mailer"
    whose token is in <tmp>/notifier.token;
  * the escalation settings (PUT /api/v1/escalation) with a short ladder,
    security_team / leadership / admins lists;
  * a custom regime (POST /api/v1/regimes) that applies to jurisdiction
    AQ (which no shipped regime names), one phase of `hours` hours from
    aware_at, so its steps fall within seconds or minutes;
  * a real SMTP server (smtp_sink.Sink, Debian's python3-aiosmtpd);
  * any number of real breachclock-notifier processes (World.notifier()).

The HTTP calls to the notifier API and escalation/alert endpoints are made
here directly (docs/openapi.yaml does not describe them, so harness's
spec-checking request helper is not used for them).

Environment: BREACHCLOCKD (server binary), BC_NOTIFIER (notifier binary),
BC_KEEP_TMP=1 keeps the temporary directory.
"""

import datetime
import email.utils
import http.client
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
TESTS = os.path.dirname(HERE)
REPO = os.path.dirname(TESTS)
sys.path.insert(0, os.path.join(TESTS, 'api'))
sys.path.insert(0, HERE)

import harness  # noqa: E402  (tests/api/harness.py: Server, cli_ok)
import smtp_sink  # noqa: E402

NOTIFIER = os.environ.get('BC_NOTIFIER') or os.path.join(
    REPO, 'build', 'notifier', 'breachclock-notifier')

PLACE = 'AQ'                 # no shipped regime names Antarctica
REGIME = 't_notice'
PHASE_NAME = 'Test notice'
REGIME_RECIPIENT = 'Antarctic Commissioner'
FROM = 'breachclock@example.org'

EMAILS = {
    'admin': 'admin@example.com',
    'handler': 'handler@example.com',
    'dpo': 'dpo@example.com',
}
DPO_TZ = 'America/New_York'
SECURITY = ['security@example.com']
LEADERSHIP = ['leaders@example.com']
ADMINS = ['admins@example.com']

MID_RE = re.compile(r'^<alert-(\d+)\.(\d+)@[A-Za-z0-9.-]+>$')
ROOT_RE = re.compile(r'^<incident-(\d+)@[A-Za-z0-9.-]+>$')

now = harness.now
ts = harness.ts
parse_ts = harness.parse_ts


def epoch(s):
    return parse_ts(s).timestamp()


def clean_env(extra=None):
    e = {k: v for k, v in os.environ.items()
         if not k.startswith('BREACHCLOCK_')}
    if extra:
        e.update(extra)
    return e


class HttpError(AssertionError):
    pass


def call(host, port, method, path, token=None, body=None, timeout=70):
    """One HTTP request; (status, parsed JSON or bytes)."""
    conn = http.client.HTTPConnection(host, port, timeout=timeout)
    try:
        h = {}
        data = None
        if token:
            h['Authorization'] = 'Bearer ' + token
        if body is not None:
            data = json.dumps(body).encode()
            h['Content-Type'] = 'application/json'
        conn.request(method, path, body=data, headers=h)
        r = conn.getresponse()
        payload = r.read()
        ctype = r.getheader('Content-Type', '')
    finally:
        conn.close()
    if payload and 'json' in ctype:
        return r.status, json.loads(payload)
    return r.status, payload


# ---------------------------------------------------------------- notifier

class Notifier:
    """One breachclock-notifier process; stderr/stdout to a log file."""

    def __init__(self, world, name, args):
        self.world = world
        self.name = name
        self.args = [str(a) for a in args]
        self.log_path = os.path.join(world.tmp, 'notifier-%s.log' % name)
        self.proc = None
        self.returncode = None

    def start(self, env=None):
        if not os.access(NOTIFIER, os.X_OK):
            raise AssertionError(
                'breachclock-notifier is not built: %s does not exist '
                '(meson compile -C build)' % NOTIFIER)
        self.log = open(self.log_path, 'ab')
        self.log.write(('--- start %s %s\n' % (
            time.strftime('%H:%M:%S'), ' '.join(self.args))).encode())
        self.log.flush()
        e = clean_env({'HOME': self.world.tmp})
        if env:
            e.update(env)
        self.proc = subprocess.Popen([NOTIFIER] + self.args,
                                     stdin=subprocess.DEVNULL,
                                     stdout=self.log, stderr=self.log,
                                     env=e, cwd=self.world.tmp)
        self.returncode = None
        return self

    @property
    def pid(self):
        return self.proc.pid

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def send_signal(self, sig):
        if self.alive():
            self.proc.send_signal(sig)

    def wait(self, timeout):
        """Exit status, or None if still running after timeout."""
        try:
            self.returncode = self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            return None
        return self.returncode

    def stop(self, sig=signal.SIGTERM, timeout=15):
        """Signal, wait; kill if needed. Return the exit status or
        'timeout (killed)'."""
        if self.proc is None:
            return None
        if self.proc.poll() is not None:
            self.returncode = self.proc.returncode
        else:
            self.proc.send_signal(sig)
            try:
                self.returncode = self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
                self.returncode = 'timeout (killed)'
        if not self.log.closed:
            self.log.close()
        return self.returncode

    def log_text(self):
        try:
            with open(self.log_path, 'rb') as f:
                return f.read().decode('utf-8', 'replace')
        except OSError:
            return ''


# ---------------------------------------------------------------- world

DEFAULT_LADDER = ['applies', 't-1m', 'overdue']


class World:
    def __init__(self, ladder=None, hours=1, regimes=None, sink=True,
                 sink_kw=None, server_args=(), log_level='debug',
                 users=True, escalation_extra=None, dpo_email=True):
        self.tmp = tempfile.mkdtemp(prefix='bc-notifier-')
        self.db = os.path.join(self.tmp, 'breachclock.db')
        self.notifiers = []
        self.sink = None
        self.server = None
        self.ok = False
        try:
            self._setup(ladder or DEFAULT_LADDER, hours, regimes, sink,
                        sink_kw or {}, server_args, log_level,
                        escalation_extra, dpo_email)
        except BaseException:
            self.close()
            raise

    def _setup(self, ladder, hours, regimes, sink, sink_kw, server_args,
               log_level, escalation_extra, dpo_email):
        harness.cli_ok('migrate', '--db', self.db)
        harness.cli_ok('user', 'add', '--db', self.db, '--name', 'admin',
                       '--role', 'admin', '--email', EMAILS['admin'])
        harness.cli_ok('user', 'add', '--db', self.db, '--name', 'mailer',
                       '--role', 'notifier')
        self.tok = {}
        for u in ('admin', 'mailer'):
            self.tok[u] = harness.cli_ok('token', 'create', '--db', self.db,
                                         '--user', u).stdout.strip()
        self.token_file = os.path.join(self.tmp, 'notifier.token')
        with open(self.token_file, 'w') as f:
            f.write(self.tok['mailer'] + '\n')
        os.chmod(self.token_file, 0o600)
        self.server = harness.Server(self.tmp, [
            '--db', self.db, '--listen', '127.0.0.1:0',
            '--log-level', log_level] + list(server_args)).start()
        self.base = 'http://%s:%d' % (self.server.host, self.server.port)
        for name, role, tz in (('handler', 'handler', None),
                               ('dpo', 'dpo', DPO_TZ)):
            body = {'name': name, 'role': role}
            if name != 'dpo' or dpo_email:
                body['email'] = EMAILS[name]
            if tz:
                body['tz'] = tz
            self.ok_call('admin', 'POST', '/api/v1/users', body, 201)
            self.tok[name] = self.ok_call('admin', 'POST', '/api/v1/tokens',
                                          {'user': name}, 201)['token']
        self.escalation = {
            'ladder': ladder, 'overdue_every_hours': 24, 'regimes': {},
            'security_team': SECURITY, 'leadership': LEADERSHIP,
            'admins': ADMINS, 'untriaged_hours': 4, 'digest_hour_utc': 7,
            'webhooks': [], 'web_base_url': 'https://breachclock.example'}
        if escalation_extra:
            self.escalation.update(escalation_extra)
        self.ok_call('admin', 'PUT', '/api/v1/escalation', self.escalation,
                     200)
        for rid, h in (regimes or {REGIME: hours}).items():
            self.add_regime(rid, h)
        if sink:
            self.sink = smtp_sink.Sink(os.path.join(self.tmp, 'mail'),
                                       **sink_kw).start()

    # -- HTTP

    def call(self, user, method, path, body=None, timeout=70):
        return call(self.server.host, self.server.port, method, path,
                    token=self.tok[user], body=body, timeout=timeout)

    def ok_call(self, user, method, path, body=None, expect=200):
        st, b = self.call(user, method, path, body)
        if st != expect:
            raise HttpError('%s %s as %s: %s %r (want %s)' % (
                method, path, user, st, b, expect))
        return b

    def add_regime(self, rid, hours, name=None, phase_name=PHASE_NAME,
                   recipient=REGIME_RECIPIENT, place=PLACE):
        body = {
            'id': rid, 'name': name or 'Test regime %s' % rid,
            'jurisdiction': 'Antarctica', 'legal_source': 'Test Act s. 1',
            'notify': 'regulator', 'recipient': recipient,
            'clock_start': 'awareness', 'deadline': '%d hours' % hours,
            'citation_url': 'https://example.org/test-act',
            'rule': {'applies': {'jurisdictions': [place]},
                     'phases': [{'id': 'notification', 'name': phase_name,
                                 'start': 'aware_at', 'duration': hours,
                                 'unit': 'hours'}]}}
        return self.ok_call('admin', 'POST', '/api/v1/regimes', body, 201)

    def incident(self, aware_at, title='Backup tape lost', assignee='handler',
                 **kw):
        """Create an AQ incident as handler; return it."""
        body = {'title': title,
                'discovered_at': ts(aware_at - datetime.timedelta(
                    minutes=5)),
                'aware_at': ts(aware_at), 'jurisdictions': [PLACE]}
        if assignee:
            body['assignee'] = assignee
        body.update(kw)
        return self.ok_call('handler', 'POST', '/api/v1/incidents', body,
                            201)

    def obligations(self, iid):
        return self.ok_call('handler', 'GET',
                            '/api/v1/incidents/%d/obligations' % iid)['items']

    def alerts(self, state=None, incident_id=None):
        """Every alert of the outbox (all pages), oldest first."""
        out, cursor = [], None
        while True:
            q = {'limit': 500}
            if state:
                q['state'] = state
            if incident_id:
                q['incident_id'] = incident_id
            if cursor:
                q['cursor'] = cursor
            b = self.ok_call('admin', 'GET', '/api/v1/alerts?' +
                             urllib.parse.urlencode(q))
            out.extend(b['items'])
            cursor = b.get('next_cursor')
            if not cursor:
                break
        out.sort(key=lambda a: a['id'])
        return out

    # -- notifier

    def notifier(self, name='n1', smtp=True, tls=None, ca_file=None,
                 poll_wait=5, lease=None, extra=(), start=True, env=None,
                 spool=None, smtp_host='127.0.0.1'):
        args = ['--server', self.base, '--token-file', self.token_file,
                '--from', FROM, '--poll-wait', poll_wait,
                '--spool', spool or os.path.join(self.tmp, 'spool-' + name),
                '--log-level', 'debug']
        if smtp:
            args += ['--smtp-host', smtp_host, '--smtp-port',
                     self.sink.port, '--smtp-tls', tls or 'none']
        if ca_file:
            args += ['--smtp-ca-file', ca_file]
        if lease:
            args += ['--lease', lease]
        args += list(extra)
        n = Notifier(self, name, args)
        self.notifiers.append(n)
        if start:
            n.start(env=env)
        return n

    # -- waiting

    def wait_until(self, pred, timeout, step=0.5, what='condition'):
        deadline = time.monotonic() + timeout
        while True:
            v = pred()
            if v:
                return v
            if time.monotonic() > deadline:
                raise AssertionError('timed out after %ss waiting for %s%s'
                                     % (timeout, what, self.diag()))
            time.sleep(step)

    def wait_settled(self, timeout, incident_ids=None, what='all due '
                     'alerts sent'):
        """Wait until no alert that is due is queued or claimed."""
        def settled():
            t = time.time()
            for a in self.alerts():
                if incident_ids is not None and \
                        a['incident_id'] not in incident_ids:
                    continue
                if a['state'] == 'claimed':
                    return False
                if a['state'] == 'queued' and epoch(a['send_at']) <= t:
                    return False
            return True
        return self.wait_until(settled, timeout, step=1.0, what=what)

    def diag(self):
        try:
            states = {}
            for a in self.alerts():
                states[a['state']] = states.get(a['state'], 0) + 1
            s = '\n  outbox states: %r' % states
        except Exception as e:  # noqa: BLE001
            s = '\n  outbox unavailable: %s' % e
        for n in self.notifiers:
            s += '\n  notifier %s: %s, log %s\n%s' % (
                n.name, 'running' if n.alive() else
                'exited %r' % (n.proc.returncode if n.proc else None),
                n.log_path, '\n'.join(n.log_text().splitlines()[-15:]))
        return s

    # -- recipients as the server resolves them

    def expected_rcpts(self, alert, incident=None):
        out = set()
        for role in alert['audience']:
            if role == 'assignee':
                who = (incident or {}).get('assignee')
                if who in EMAILS:
                    out.add(EMAILS[who])
            elif role == 'dpo':
                out.add(EMAILS['dpo'])
            elif role == 'security':
                out.update(self.escalation['security_team'])
            elif role == 'leadership':
                out.update(self.escalation['leadership'])
            elif role == 'admins':
                out.update(self.escalation['admins'])
                out.add(EMAILS['admin'])
        return out

    # -- teardown

    def close(self, ok=None):
        for n in self.notifiers:
            try:
                n.stop(signal.SIGKILL, timeout=5)
            except Exception:  # noqa: BLE001
                pass
        if self.sink is not None:
            self.sink.stop()
        rc = self.server.stop() if self.server is not None else None
        if ok is None:
            ok = self.ok
        if ok and rc == 0 and not os.environ.get('BC_KEEP_TMP'):
            shutil.rmtree(self.tmp, ignore_errors=True)
        else:
            sys.stderr.write('fixture: kept %s\n' % self.tmp)
        return rc


# ---------------------------------------------------------------- checks

def addresses(msg, *headers):
    vals = []
    for h in headers:
        for v in msg.get_all(h) or []:
            vals.append(str(v))
    return {a.lower() for _, a in email.utils.getaddresses(vals) if a}


def alert_id_of(m):
    mm = MID_RE.match(m.message_id or '')
    return int(mm.group(1)) if mm else None


class NotifierCase(unittest.TestCase):
    """Base class: self.world, structure checks for received messages."""

    maxDiff = None
    world = None

    def tearDown(self):
        ok = getattr(getattr(self, '_outcome', None), 'success', True)
        if self.world is not None:
            rc = self.world.close(ok)
            self.world = None
            self.assertEqual(rc, 0, 'server exit status on SIGTERM')

    def new_world(self, **kw):
        self.world = World(**kw)
        return self.world

    # -- structure of one message

    def check_message(self, m, alert=None, incident=None):
        """A received message (smtp_sink.Received or a parsed .eml with
        .msg/.raw) is well formed: MIME structure, headers, threading."""
        msg, raw = m.msg, m.raw
        ctx = 'message %s' % (m.message_id,)
        head = raw.split(b'\r\n\r\n', 1)[0] if b'\r\n\r\n' in raw else \
            raw.split(b'\n\n', 1)[0]
        # headers are 7-bit (RFC 2047 for anything else), no bare CR / LF
        try:
            head.decode('ascii')
        except UnicodeDecodeError:
            self.fail('%s: non-ASCII bytes in the header section' % ctx)
        self.assertNotIn(b'\r\r', head, ctx)
        for line in head.split(b'\r\n') if b'\r\n' in head else \
                head.split(b'\n'):
            self.assertNotIn(b'\r', line, ctx + ': bare CR in a header')
            self.assertLessEqual(len(line), 998, ctx + ': header line '
                                 'longer than 998 octets')
        self.assertEqual(msg.defects, [], ctx + ': parser defects')
        for h in ('From', 'To', 'Subject', 'Date', 'Message-ID'):
            self.assertEqual(len(msg.get_all(h) or []), 1,
                             '%s: exactly one %s header' % (ctx, h))
        self.assertIsNone(msg['Bcc'], ctx + ': Bcc header')
        self.assertEqual(addresses(msg, 'From'), {FROM.lower()}, ctx)
        self.assertEqual(str(msg.get('Auto-Submitted', '')).strip().lower()
                         .split(';')[0], 'auto-generated', ctx)
        # Date
        d = msg['Date']
        self.assertIsNotNone(d.datetime, ctx + ': Date not parseable')
        dt = d.datetime
        if dt.tzinfo is None:   # "-0000": UTC, zone not told (RFC 5322)
            dt = dt.replace(tzinfo=datetime.timezone.utc)
        self.assertLess(abs(dt.timestamp() - time.time()), 3600 * 24,
                        ctx + ': Date far off')
        # Message-ID from the alert id
        mid = m.message_id
        mm = MID_RE.match(mid or '')
        self.assertIsNotNone(mm, '%s: Message-ID %r is not <alert-ID.N@...>'
                             % (ctx, mid))
        if alert is not None:
            self.assertEqual(int(mm.group(1)), alert['id'], ctx)
        # MIME: multipart/alternative, text/plain then text/html, UTF-8;
        # a ladder alert that carries a drafted notice wraps that in a
        # multipart/mixed followed by the notice as text/plain attachments
        # (notifier/render.h)
        alt = msg
        if msg.get_content_type() == 'multipart/mixed':
            outer = list(msg.iter_parts())
            self.assertTrue(outer, ctx + ': empty multipart/mixed')
            alt = outer[0]
            for p in outer[1:]:
                self.assertEqual(p.get_content_type(), 'text/plain', ctx)
                self.assertEqual(p.get_content_disposition(), 'attachment',
                                 ctx)
                self.assertEqual((p.get_content_charset() or '').lower(),
                                 'utf-8', ctx + ' attachment')
                p.get_content()     # decodes
        self.assertEqual(alt.get_content_type(), 'multipart/alternative',
                         ctx)
        self.assertTrue(alt.is_multipart(), ctx)
        parts = list(alt.iter_parts())
        types = [p.get_content_type() for p in parts]
        self.assertEqual(types, ['text/plain', 'text/html'], ctx)
        for p in parts:
            self.assertEqual((p.get_content_charset() or '').lower(),
                             'utf-8', ctx + ' ' + p.get_content_type())
            self.assertIn(p.get('Content-Transfer-Encoding', '7bit').lower(),
                          ('quoted-printable', 'base64', '7bit'), ctx)
            p.get_content()     # decodes
        subject = str(msg['Subject'])
        self.assertNotIn('\n', subject, ctx)
        self.assertNotIn('\r', subject, ctx)
        # Thread root
        if alert is not None and alert.get('incident_id'):
            root = '<incident-%d@' % alert['incident_id']
            refs = str(msg.get('References', ''))
            irt = str(msg.get('In-Reply-To', '')).strip()
            self.assertTrue(refs.strip().startswith(root),
                            '%s: References %r, want root %s...>'
                            % (ctx, refs, root))
            self.assertTrue(ROOT_RE.match(refs.split()[0]), ctx)
            self.assertTrue(irt.startswith('<incident-%d@'
                                           % alert['incident_id']) or
                            irt in refs.split(),
                            '%s: In-Reply-To %r' % (ctx, irt))
        if incident is not None:
            self.assertIn(incident['ref'], subject, ctx + ': subject has '
                          'no incident ref')
        return msg

    def text_of(self, m):
        plain = html = None
        for p in m.msg.walk():
            if p.is_multipart() or \
                    p.get_content_disposition() == 'attachment':
                continue
            if p.get_content_type() == 'text/plain':
                plain = p.get_content()
            elif p.get_content_type() == 'text/html':
                html = p.get_content()
        return plain, html

    # -- the whole mailbox against the outbox

    def check_delivery(self, msgs, alerts, incidents, exactly_once=True,
                       sent_only=True):
        """Every sent alert was received by each expected recipient, under
        the Message-IDs it was acknowledged with; nothing else arrived;
        with exactly_once nothing arrived twice.  Returns
        {alert_id: [Received]}."""
        by_alert = {}
        seen = {}
        for m in msgs:
            aid = alert_id_of(m)
            self.assertIsNotNone(aid, 'unexpected Message-ID %r'
                                 % m.message_id)
            by_alert.setdefault(aid, []).append(m)
            for r in m.rcpt_tos:
                seen.setdefault((m.message_id, r.lower()), []).append(m)
        dups = {k: v for k, v in seen.items() if len(v) > 1}
        if exactly_once:
            self.assertEqual(dups, {}, 'messages received more than once')
        amap = {a['id']: a for a in alerts}
        for aid, ms in by_alert.items():
            self.assertIn(aid, amap, 'a message for alert %d, which is not '
                          'in the outbox' % aid)
            a = amap[aid]
            inc = incidents.get(a['incident_id'])
            for m in ms:
                self.check_message(m, a, inc if a['kind'] != 'failure'
                                   else None)
        for a in alerts:
            if a['state'] != 'sent':
                if sent_only:
                    self.assertNotIn(a['id'], by_alert,
                                     'alert %d (%s) is %s but was received'
                                     % (a['id'], a['key'], a['state']))
                continue
            ms = by_alert.get(a['id'], [])
            self.assertTrue(ms, 'alert %d (%s) is sent but nothing arrived'
                            % (a['id'], a['key']))
            got = {r.lower() for m in ms for r in m.rcpt_tos}
            want = self.world.expected_rcpts(a, incidents.get(
                a['incident_id']))
            self.assertEqual(got, want, 'recipients of alert %d (%s)'
                             % (a['id'], a['key']))
            for m in ms:
                self.assertTrue(set(r.lower() for r in m.rcpt_tos) <=
                                addresses(m.msg, 'To', 'Cc'),
                                'envelope recipients not in To/Cc: %r'
                                % m)
            self.assertEqual(set(a['message_ids']),
                             {m.message_id for m in ms},
                             'alert %d acked with other Message-IDs than '
                             'the ones received' % a['id'])
        return by_alert, dups


def main():
    unittest.main(verbosity=2)
