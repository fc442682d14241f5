"""
harness: black-box test helper for breachclockd.

A Fixture owns a temporary directory with a fresh, migrated database, one
user (and API token) per role, and a running server bound to 127.0.0.1:0.
The server's stderr is drained by a thread into <tmp>/server.log.

Each test module calls harness.setup_module() / harness.teardown_module()
(from setUpModule / tearDownModule) and its test classes derive from
harness.ApiCase, which reaches the fixture as self.fx.

Every response received through http_request() (and so through
Server.request, Fixture.request and Fixture.as_) is checked against
docs/openapi.yaml by openapi_check; a response the spec does not describe
raises openapi_check.SpecMismatch (an AssertionError), failing the test.

Apart from that check (PyYAML and jsonschema) only the Python standard
library is used.
"""

import datetime
import http.client
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import unittest

import openapi_check

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
BIN = os.environ.get('BREACHCLOCKD') or os.path.join(
    REPO, 'build', 'server', 'breachclockd')

PROBLEM_BASE = 'https://breachclock.dev/problems/'

# user name -> role
USERS = {
    'reporter': 'reporter',
    'reporter2': 'reporter',
    'handler': 'handler',
    'dpo': 'dpo',
    'viewer': 'viewer',
    'admin': 'admin',
    'notifier': 'notifier',
}

TOKEN_RE = re.compile(r'^bc_[A-Za-z0-9_-]{43}$')
TS_RE = re.compile(r'^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$')
LISTEN_RE = re.compile(r'url="?http://([0-9.]+):(\d+)')

HOUR = datetime.timedelta(hours=1)
MINUTE = datetime.timedelta(minutes=1)


# ---------------------------------------------------------------- time

def now():
    """The current instant, UTC, whole seconds."""
    return datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)


def ts(dt):
    """Format an aware datetime as the server's output form."""
    return dt.astimezone(datetime.timezone.utc).strftime('%Y-%m-%dT%H:%M:%SZ')


def parse_ts(s):
    """Parse the server's output form strictly; raise ValueError otherwise."""
    if not isinstance(s, str) or not TS_RE.match(s):
        raise ValueError('not a UTC RFC 3339 timestamp: %r' % (s,))
    return datetime.datetime.strptime(s, '%Y-%m-%dT%H:%M:%SZ').replace(
        tzinfo=datetime.timezone.utc)


# ---------------------------------------------------------------- CLI

def run_cli(*args, env=None, timeout=30, binary=None):
    """Run breachclockd with args; return CompletedProcess (text)."""
    e = dict(os.environ)
    for k in list(e):
        if k.startswith('BREACHCLOCK_'):
            del e[k]
    if env:
        e.update(env)
    return subprocess.run([binary or BIN] + [str(a) for a in args],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          text=True, env=e, timeout=timeout)


def cli_ok(*args, **kw):
    p = run_cli(*args, **kw)
    if p.returncode != 0:
        raise RuntimeError('breachclockd %s failed (%d): %s %s' % (
            ' '.join(map(str, args)), p.returncode, p.stdout, p.stderr))
    return p


def make_db(path, users=USERS):
    """Migrate a fresh database at path, add users; return {name: token}."""
    cli_ok('migrate', '--db', path)
    tokens = {}
    for name, role in users.items():
        cli_ok('user', 'add', '--db', path, '--name', name, '--role', role)
        p = cli_ok('token', 'create', '--db', path, '--user', name)
        tokens[name] = p.stdout.strip()
    return tokens


def free_port():
    s = socket.socket()
    s.bind(('127.0.0.1', 0))
    port = s.getsockname()[1]
    s.close()
    return port


def reserve_port():
    """(socket, port): a free port of 127.0.0.1, held by a socket bound
    with SO_REUSEADDR and not listening.  While it is open no outgoing
    connection is given the port, yet a server (which sets SO_REUSEADDR,
    as libmicrohttpd does) can listen on it.  Close the socket when done.
    (free_port() lets the port go: a busy machine's next client may take
    it before the server binds.)"""
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(('127.0.0.1', 0))
    return s, s.getsockname()[1]


# ---------------------------------------------------------------- HTTP

def http_request(host, port, method, path, token=None, body=None,
                 headers=None, raw=None, timeout=30):
    """
    Send one request on a new connection.  body is JSON-encoded (and sent
    as application/json) unless raw bytes are given.  headers override the
    defaults; a header whose value is None is not sent.
    Return (status, headers with lower-case names, parsed JSON or raw bytes).
    The response is checked against docs/openapi.yaml (see openapi_check);
    a mismatch raises openapi_check.SpecMismatch.
    """
    h = {}
    data = None
    if token is not None:
        h['Authorization'] = 'Bearer ' + token
    if raw is not None:
        data = raw.encode() if isinstance(raw, str) else raw
    elif body is not None:
        data = json.dumps(body).encode()
        h['Content-Type'] = 'application/json'
    if headers:
        h.update(headers)
    conn = http.client.HTTPConnection(host, port, timeout=timeout)
    try:
        conn.putrequest(method, path, skip_accept_encoding=True)
        for k, v in h.items():
            if v is not None:
                conn.putheader(k, v)
        if data is not None:
            conn.putheader('Content-Length', str(len(data)))
        conn.endheaders()
        if data:
            try:
                conn.send(data)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the server may answer (413) before reading it all
        resp = conn.getresponse()
        payload = resp.read()
        hdrs = {}
        for k, v in resp.getheaders():
            k = k.lower()
            hdrs[k] = hdrs[k] + ', ' + v if k in hdrs else v
        status = resp.status
    finally:
        conn.close()
    openapi_check.check(method, path, status, hdrs, payload)
    out = payload
    if payload and 'json' in hdrs.get('content-type', ''):
        try:
            out = json.loads(payload)
        except ValueError:
            out = payload
    return status, hdrs, out


# ---------------------------------------------------------------- server

class Server:
    """One breachclockd process."""

    def __init__(self, tmpdir, args, env=None, log_name='server.log',
                 prefix=(), preexec_fn=None):
        self.tmpdir = tmpdir
        self.args = [str(a) for a in args]
        # prefix: a command that runs the server (e.g. setpriv ...).
        self.prefix = [str(a) for a in prefix]
        self.preexec_fn = preexec_fn
        self.env = env
        self.log_path = os.path.join(tmpdir, log_name)
        self.proc = None
        self.host = None
        self.port = None
        self.returncode = None

    def start(self, timeout=10):
        e = dict(os.environ)
        for k in list(e):
            if k.startswith('BREACHCLOCK_'):
                del e[k]
        if self.env:
            e.update(self.env)
        self.log = open(self.log_path, 'ab')
        self.proc = subprocess.Popen(self.prefix + [BIN] + self.args,
                                     stdin=subprocess.DEVNULL,
                                     stdout=self.log,
                                     stderr=subprocess.PIPE, env=e,
                                     preexec_fn=self.preexec_fn)
        found = threading.Event()
        early = []

        def drain():
            for line in self.proc.stderr:
                self.log.write(line)
                self.log.flush()
                if not found.is_set():
                    early.append(line)
                    s = line.decode('utf-8', 'replace')
                    m = LISTEN_RE.search(s)
                    if 'msg=listening' in s and m:
                        self.host, self.port = m.group(1), int(m.group(2))
                        found.set()
            found.set()  # EOF: stop waiting

        self.reader = threading.Thread(target=drain, daemon=True)
        self.reader.start()
        deadline = time.monotonic() + timeout
        while not found.wait(0.05):
            if time.monotonic() > deadline:
                break
        if self.port is None:
            self.proc.kill()
            self.proc.wait()
            raise RuntimeError(
                'server did not log msg=listening within %ds (rc=%s); '
                'stderr:\n%s' % (timeout, self.proc.returncode,
                                 b''.join(early).decode('utf-8', 'replace')))
        return self

    def stop(self, sig=signal.SIGTERM, timeout=15):
        """Signal the server and return its exit code (idempotent)."""
        if self.returncode is not None:
            return self.returncode
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
        try:
            self.returncode = self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            self.returncode = 'timeout (killed)'
        self.reader.join(5)
        self.proc.stderr.close()
        self.log.close()
        return self.returncode

    def request(self, method, path, token=None, body=None, headers=None,
                raw=None, timeout=30):
        return http_request(self.host, self.port, method, path, token=token,
                            body=body, headers=headers, raw=raw,
                            timeout=timeout)


class Fixture:
    """A temp dir, a migrated database with users and tokens, a server."""

    def __init__(self, extra_args=()):
        self.tmpdir = tempfile.mkdtemp(prefix='bc-api-')
        self.db = os.path.join(self.tmpdir, 'breachclock.db')
        self.tok = make_db(self.db)
        self.server = Server(self.tmpdir, [
            '--db', self.db, '--listen', '127.0.0.1:0', '--log-level',
            'debug'] + list(extra_args)).start()

    def request(self, method, path, token=None, body=None, headers=None,
                raw=None):
        return self.server.request(method, path, token=token, body=body,
                                   headers=headers, raw=raw)

    def as_(self, user, method, path, body=None, headers=None, raw=None):
        """request() with the token of a named user."""
        return self.request(method, path, token=self.tok[user], body=body,
                            headers=headers, raw=raw)

    def stop(self):
        return self.server.stop()

    def cleanup(self, ok):
        if ok and not os.environ.get('BC_KEEP_TMP'):
            shutil.rmtree(self.tmpdir, ignore_errors=True)
        else:
            sys.stderr.write('harness: kept %s (server log: %s)\n' % (
                self.tmpdir, self.server.log_path))


FX = None


def setup_module(extra_args=()):
    global FX
    FX = Fixture(extra_args)
    return FX


def teardown_module():
    """Stop the server; fail unless SIGTERM made it exit with status 0."""
    global FX
    fx, FX = FX, None
    if fx is None:
        return
    rc = fx.stop()
    fx.cleanup(rc == 0)
    if rc != 0:
        raise AssertionError('server exit status on SIGTERM: %r (want 0); '
                             'log %s' % (rc, fx.server.log_path))


# ---------------------------------------------------------------- cases

class ApiCase(unittest.TestCase):
    maxDiff = None

    @property
    def fx(self):
        return FX

    # -- assertions

    def assertProblem(self, resp, status, slug=None, field=None, msg=None):
        """resp is (status, headers, body): a problem+json of this kind."""
        st, h, b = resp
        ctx = '%s: got %s %r' % (msg or '', st, b)
        self.assertEqual(st, status, ctx)
        self.assertTrue(h.get('content-type', '').startswith(
            'application/problem+json'), ctx + ' content-type %r' %
            h.get('content-type'))
        self.assertIsInstance(b, dict, ctx)
        for k in ('type', 'title', 'status', 'detail'):
            self.assertIn(k, b, ctx)
        self.assertEqual(b['status'], status, ctx)
        if slug is not None:
            slugs = slug if isinstance(slug, (tuple, list, set)) else (slug,)
            self.assertIn(b['type'], [PROBLEM_BASE + s for s in slugs], ctx)
        if field is not None:
            fields = field if isinstance(field, (tuple, list, set)) \
                else (field,)
            self.assertIn(b.get('field'), fields, ctx)

    def assertStatus(self, resp, status, msg=None):
        self.assertEqual(resp[0], status, '%s: got %s %r' % (
            msg or '', resp[0], resp[2]))

    def assertTs(self, s, msg=None):
        try:
            return parse_ts(s)
        except ValueError as e:
            self.fail('%s: %s' % (msg or '', e))

    # -- incident helpers

    def create(self, user='handler', **fields):
        body = {'title': 'incident', 'discovered_at': ts(now() - 2 * HOUR)}
        body.update(fields)
        r = self.fx.as_(user, 'POST', '/api/v1/incidents', body=body)
        self.assertStatus(r, 201, 'create %r' % (body,))
        return r[2]

    def get(self, iid, user='handler'):
        r = self.fx.as_(user, 'GET', '/api/v1/incidents/%d' % iid)
        self.assertStatus(r, 200, 'get incident %d' % iid)
        return r[2]

    def patch(self, iid, body, user='handler', expect=200, version=None):
        """PATCH with If-Match of the current (or given) version."""
        if version is None:
            version = self.get(iid)['version']
        r = self.fx.as_(user, 'PATCH', '/api/v1/incidents/%d' % iid,
                        body=body, headers={'If-Match': '"%d"' % version})
        if expect is not None:
            self.assertStatus(r, expect, 'patch %d %r' % (iid, body))
        return r

    def events(self, iid, user='handler'):
        r = self.fx.as_(user, 'GET', '/api/v1/incidents/%d/events' % iid)
        self.assertStatus(r, 200, 'events %d' % iid)
        return r[2]['items']

    def obligations(self, iid, user='handler'):
        """{regime_id: obligation}"""
        r = self.fx.as_(user, 'GET', '/api/v1/incidents/%d/obligations' % iid)
        self.assertStatus(r, 200, 'obligations %d' % iid)
        out = {}
        for o in r[2]['items']:
            self.assertNotIn(o['regime_id'], out, 'duplicate regime')
            out[o['regime_id']] = o
        return out

    def decide(self, iid, level, rationale='because', user='dpo'):
        r = self.fx.as_(user, 'POST',
                        '/api/v1/incidents/%d/risk-decisions' % iid,
                        body={'level': level, 'rationale': rationale})
        self.assertStatus(r, 201, 'risk decision %s' % level)
        return r[2]

    def walk(self, iid, *statuses, user='handler'):
        """Drive an incident through statuses, one PATCH each."""
        for s in statuses:
            self.patch(iid, {'status': s}, user=user)


def main():
    unittest.main(verbosity=2)
