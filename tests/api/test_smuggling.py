"""Requests whose framing or caller is ambiguous, sent over raw sockets
(server/http.c, on_request):

* two Content-Length lines (different or equal values), or Content-Length
  with Transfer-Encoding: libmicrohttpd reads the body by one of them, so
  whatever a proxy in front read by the other would be taken as a second
  request ("request smuggling").  RFC 9112 6.1 and 6.3: the server answers
  400 and closes the connection, so the bytes after the first request are
  never read, let alone answered;
* two Authorization lines: 400, not the first caller silently.

Each attack carries a complete GET /api/v1/me with the admin's token after
the first request's body; a control shows that a well-framed pipelined
pair on one connection is answered twice, so "one answer, then the
connection closed" is the server's doing.
"""

import json
import os
import socket
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
import openapi_check  # noqa: E402
from harness import HOUR, now, ts  # noqa: E402

WAIT = 5     # seconds to wait for a second answer that must not come


def setUpModule():
    harness.setup_module()


def tearDownModule():
    harness.teardown_module()


def exchange(port, data, timeout=WAIT):
    """Send data on a new connection; return (what the server sent,
    whether it closed the connection) once it closed or sent nothing
    for timeout seconds."""
    s = socket.create_connection(('127.0.0.1', port), timeout=timeout)
    out, closed = b'', False
    try:
        try:
            s.sendall(data)
        except (BrokenPipeError, ConnectionResetError):
            pass
        while True:
            try:
                d = s.recv(65536)
            except socket.timeout:
                break
            except ConnectionResetError:
                closed = True
                break
            if not d:
                closed = True
                break
            out += d
    finally:
        s.close()
    return out, closed


def responses(data):
    """Split the bytes of pipelined answers (each with Content-Length)
    into [(status, {lower-case name: value}, body)]."""
    out = []
    while data:
        head, sep, rest = data.partition(b'\r\n\r\n')
        if not sep:
            raise AssertionError('a partial answer: %r' % data[:300])
        lines = head.decode('latin-1').split('\r\n')
        status = int(lines[0].split(' ')[1])
        hdrs = {}
        for line in lines[1:]:
            k, _, v = line.partition(':')
            hdrs[k.strip().lower()] = v.strip()
        n = int(hdrs.get('content-length', '0'))
        out.append((status, hdrs, rest[:n]))
        data = rest[n:]
    return out


class Smuggling(harness.ApiCase):

    @classmethod
    def setUpClass(cls):
        r = harness.FX.as_('handler', 'POST', '/api/v1/incidents',
                           body={'title': 'smuggling',
                                 'discovered_at': ts(now() - HOUR)})
        assert r[0] == 201, r
        cls.notes = '/api/v1/incidents/%d/notes' % r[2]['id']

    def inner(self):
        """A complete request that must never be answered."""
        return ('GET /api/v1/me HTTP/1.1\r\nHost: x\r\nAuthorization: '
                'Bearer %s\r\n\r\n' % self.fx.tok['admin']).encode()

    def head(self, method, path, *lines, user='handler'):
        return ('%s %s HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\n'
                '%s\r\n' % (method, path, self.fx.tok[user],
                            ''.join(ln + '\r\n' for ln in lines))).encode()

    def assertRefused(self, data, field, method='POST', path=None):
        """One 400 invalid-field naming field, then the connection is
        closed: nothing after the first request is answered."""
        path = path or self.notes
        out, closed = exchange(self.fx.server.port, data)
        got = responses(out)
        self.assertEqual(len(got), 1, 'want exactly one answer, got %r'
                         % [(st, b[:100]) for st, _, b in got])
        st, hdrs, body = got[0]
        openapi_check.check(method, path, st, hdrs, body)
        self.assertProblem((st, hdrs, json.loads(body)), 400,
                           'invalid-field', field)
        self.assertIn(field, json.loads(body)['detail'])
        self.assertEqual(hdrs.get('connection', '').lower(), 'close')
        self.assertTrue(closed, 'the server left the connection open')

    def test_control_pipelined_requests_are_answered(self):
        body = b'{"text":"a note"}'
        data = self.head('POST', self.notes, 'Content-Type: application/json',
                         'Content-Length: %d' % len(body)) + body + \
            self.inner()
        out, _ = exchange(self.fx.server.port, data, timeout=2)
        got = responses(out)
        self.assertEqual([st for st, _, _ in got], [201, 200], got)
        self.assertEqual(json.loads(got[1][2])['name'], 'admin')

    def test_two_different_content_lengths(self):
        body = b'{}' + self.inner()
        self.assertRefused(self.head(
            'POST', self.notes, 'Content-Type: application/json',
            'Content-Length: 2', 'Content-Length: %d' % len(body)) + body,
            'Content-Length')

    def test_two_content_lengths_either_order(self):
        body = b'{}' + self.inner()
        self.assertRefused(self.head(
            'POST', self.notes, 'Content-Type: application/json',
            'Content-Length: %d' % len(body), 'content-length: 2') + body,
            'Content-Length')

    def test_two_equal_content_lengths(self):
        self.assertRefused(self.head(
            'POST', self.notes, 'Content-Type: application/json',
            'Content-Length: 2', 'Content-Length: 2') + b'{}' +
            self.inner(), 'Content-Length')

    def test_content_length_with_transfer_encoding(self):
        chunked = b'2\r\n{}\r\n0\r\n\r\n'
        for lines in (('Content-Length: %d' % len(chunked),
                       'Transfer-Encoding: chunked'),
                      ('Transfer-Encoding: chunked', 'Content-Length: 2')):
            with self.subTest(lines):
                self.assertRefused(self.head(
                    'POST', self.notes, 'Content-Type: application/json',
                    *lines) + chunked + self.inner(), 'Transfer-Encoding')

    def test_two_authorizations(self):
        for second in ('viewer', 'admin'):
            with self.subTest(second):
                self.assertRefused(self.head(
                    'GET', '/api/v1/me', 'Authorization: Bearer %s'
                    % self.fx.tok[second], user='viewer') + self.inner(),
                    'Authorization', 'GET', '/api/v1/me')

    def test_one_authorization_still_works(self):
        st, _, b = self.fx.as_('viewer', 'GET', '/api/v1/me')
        self.assertEqual((st, b['name']), (200, 'viewer'))


if __name__ == '__main__':
    harness.main()
