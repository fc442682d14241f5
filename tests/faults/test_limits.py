"""Slow clients and oversized requests against the real server with its
default limits (server/http.c, README "Limits"):

* 1,000 idle connections (from four loopback addresses) do not stop
  service to others, and are closed once the request deadline (15 s) has
  passed without a request;
* a slowloris client trickling header bytes, and one trickling a body,
  are cut off at the deadline, while a long-poll answered after 20 s is
  not;
* more than 256 connections from one address are refused beyond the
  256th, and others are still served;
* request line and headers over 8 KiB get 431 (a problem document with
  the security headers); over libmicrohttpd's 64 KiB buffer it answers
  431 itself; a body over 1 MiB gets 413, with or without Content-Length.
"""

import os
import resource
import select
import socket
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), 'api'))
import harness  # noqa: E402
import leaks  # noqa: E402

IDLE = 1000
IDLE_FROM = ['127.0.0.%d' % i for i in (2, 3, 4, 5)]
PER_IP = 256
DEADLINE = 15
NOFILE = 4096


def setUpModule():
    # This process holds the idle connections; the server (a child)
    # inherits the limit and raises its own soft limit to the hard one.
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard != resource.RLIM_INFINITY and hard < NOFILE:
        hard = NOFILE          # raising the hard limit needs root, as in CI
    if soft != resource.RLIM_INFINITY and soft < NOFILE:
        soft = NOFILE
    resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))
    harness.setup_module()


def tearDownModule():
    harness.teardown_module()


def connect_from(addr, port):
    s = socket.socket()
    s.bind((addr, 0))
    s.connect(('127.0.0.1', port))
    return s


def closed_by_peer(s, timeout=0.0):
    """True once the server closed s (EOF or reset), False if it is open."""
    r, _, _ = select.select([s], [], [], timeout)
    if not r:
        return False
    try:
        return s.recv(1) == b''
    except (ConnectionResetError, BrokenPipeError):
        return True


def raw_request(port, data, timeout=10):
    """Send bytes, return everything read until the server closes or the
    timeout passes (bytes)."""
    s = socket.create_connection(('127.0.0.1', port), timeout=timeout)
    try:
        try:
            s.sendall(data)
        except (BrokenPipeError, ConnectionResetError):
            pass
        out = b''
        while True:
            try:
                d = s.recv(65536)
            except (ConnectionResetError, socket.timeout):
                break
            if not d:
                break
            out += d
        return out
    finally:
        s.close()


class Trickle(threading.Thread):
    """Sends head, then one byte of tail a second; records when the
    server closed the connection (seconds after connecting) and what it
    sent."""

    def __init__(self, port, head, tail):
        super().__init__(daemon=True)
        self.port, self.head, self.tail = port, head, tail
        self.closed_after = None
        self.got = b''

    def run(self):
        s = socket.create_connection(('127.0.0.1', self.port))
        t0 = time.monotonic()
        try:
            s.sendall(self.head)
            for b in self.tail:
                if closed_by_peer(s, 1.0):
                    break
                s.sendall(bytes([b]))
        except (BrokenPipeError, ConnectionResetError):
            pass
        # wait for the close (at most 40 s in all)
        while time.monotonic() - t0 < 40:
            r, _, _ = select.select([s], [], [], 0.5)
            if r:
                try:
                    d = s.recv(65536)
                except ConnectionResetError:
                    d = b''
                if not d:
                    break
                self.got += d
        else:
            s.close()
            return
        self.closed_after = time.monotonic() - t0
        s.close()


class Limits(harness.ApiCase):

    def assertSecurityHeaders(self, h, msg):
        self.assertEqual(h.get('x-content-type-options'), 'nosniff', msg)
        self.assertTrue(h.get('content-security-policy'), msg)
        self.assertEqual(h.get('x-frame-options'), 'DENY', msg)
        self.assertEqual(h.get('referrer-policy'), 'no-referrer', msg)

    def test_headers_too_large(self):
        big = 'a' * (16 * 1024)
        for method, path, user in (('GET', '/healthz', None),
                                   ('GET', '/api/v1/incidents', 'handler'),
                                   ('POST', '/api/v1/incidents', 'handler')):
            with self.subTest(method + ' ' + path):
                tok = self.fx.tok[user] if user else None
                r = self.fx.request(method, path, token=tok,
                                    body={} if method == 'POST' else None,
                                    headers={'X-Big': big})
                self.assertProblem(r, 431, 'headers-too-large')
                self.assertSecurityHeaders(r[1], path)
                self.assertEqual(leaks.leaks(r[2]), [])
        # many small headers add up the same way
        many = {'X-H%d' % i: 'v' * 100 for i in range(100)}
        r = self.fx.request('GET', '/healthz', headers=many)
        self.assertProblem(r, 431, 'headers-too-large')
        # a long request target too
        r = self.fx.request('GET', '/api/v1/incidents?q=' + 'x' * 9000,
                            token=self.fx.tok['handler'])
        self.assertProblem(r, 431, 'headers-too-large')
        # Beyond libmicrohttpd's buffer it answers 431 itself.
        out = raw_request(self.fx.server.port,
                          b'GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ' +
                          b'a' * (200 * 1024) + b'\r\n\r\n')
        self.assertTrue(out.startswith(b'HTTP/1.1 431 '), out[:200])
        # and the server is fine
        self.assertEqual(self.fx.request('GET', '/healthz')[0], 200)

    def test_body_too_large(self):
        body = b'{"title": "' + b'x' * (1024 * 1024) + b'"}'
        r = self.fx.as_('handler', 'POST', '/api/v1/incidents', raw=body,
                        headers={'Content-Type': 'application/json'})
        self.assertProblem(r, 413, 'payload-too-large')
        self.assertSecurityHeaders(r[1], '413')
        # chunked, so that no Content-Length warns the server
        chunks = b''
        for i in range(0, len(body), 65536):
            c = body[i:i + 65536]
            chunks += b'%x\r\n%s\r\n' % (len(c), c)
        chunks += b'0\r\n\r\n'
        out = raw_request(self.fx.server.port, (
            'POST /api/v1/incidents HTTP/1.1\r\nHost: x\r\n'
            'Authorization: Bearer %s\r\nContent-Type: application/json\r\n'
            'Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n' %
            self.fx.tok['handler']).encode() + chunks)
        self.assertTrue(out.startswith(b'HTTP/1.1 413 '), out[:200])
        self.assertIn(b'payload-too-large', out)
        self.assertIn(b'X-Content-Type-Options: nosniff', out)

    def test_per_ip_limit(self):
        port = self.fx.server.port
        socks = []
        try:
            for _ in range(PER_IP + 44):
                socks.append(connect_from('127.0.0.9', port))
            # Wait for the refusals (a loaded server may take a while to
            # accept and close them all), then a little longer, so that
            # one beyond the 44 would be counted too.
            deadline = time.monotonic() + 10
            refused = []
            while len(refused) < 44 and time.monotonic() < deadline:
                time.sleep(0.1)
                refused = [s for s in socks if closed_by_peer(s, 0)]
            time.sleep(0.5)
            refused = [s for s in socks if closed_by_peer(s, 0)]
            self.assertEqual(len(refused), 44)
            # others are served meanwhile
            for _ in range(5):
                self.assertEqual(self.fx.request('GET', '/healthz')[0], 200)
        finally:
            for s in socks:
                s.close()

    def test_slow_and_idle_clients(self):
        port = self.fx.server.port
        idle = []
        t0 = time.monotonic()
        try:
            for i in range(IDLE):
                idle.append(connect_from(IDLE_FROM[i % len(IDLE_FROM)],
                                         port))
            loris = Trickle(port, b'GET /healthz HTTP/1.1\r\nHost: x\r\n',
                            b'X-Slow: ' + b'a' * 60)
            slow_body = Trickle(port, (
                'POST /api/v1/incidents HTTP/1.1\r\nHost: x\r\n'
                'Authorization: Bearer %s\r\n'
                'Content-Type: application/json\r\n'
                'Content-Length: 60\r\n\r\n' % self.fx.tok['handler'])
                .encode(), b'{"title": "' + b'x' * 49)
            poll = {}

            def long_poll():
                t = time.monotonic()
                poll['r'] = self.fx.as_('notifier', 'GET',
                                        '/api/v1/notifier/alerts?wait=20')
                poll['after'] = time.monotonic() - t

            poller = threading.Thread(target=long_poll, daemon=True)
            loris.start()
            slow_body.start()
            poller.start()
            opened = time.monotonic() - t0
            self.assertLess(opened, DEADLINE - 5, 'opening took too long')
            t_last = t0 + opened   # the last idle connection is younger
            # Service to others while all that is going on.
            worst = 0
            for i in range(30):
                t = time.monotonic()
                r = self.fx.as_('viewer', 'GET', '/api/v1/incidents')
                self.assertEqual(r[0], 200)
                worst = max(worst, time.monotonic() - t)
            # Served, not held until the idle connections' 15 s deadline;
            # 3 s leaves a loaded ASan run its margin.
            self.assertLess(worst, 3.0, 'slowest request')
            sys.stderr.write('%d idle connections open; slowest of 30 '
                             'requests beside them: %.1f ms\n' % (
                                 IDLE, worst * 1000))
            still_open = sum(1 for s in idle if not closed_by_peer(s, 0))
            self.assertEqual(still_open, IDLE, 'idle connections refused')
            # After the deadline every idle connection is closed: the
            # deadline of each counts from its own start, so wait for the
            # last one's.
            wait = DEADLINE + 3 - (time.monotonic() - t_last)
            if wait > 0:
                time.sleep(wait)
            deadline = time.monotonic() + 5
            left = idle
            while left and time.monotonic() < deadline:
                left = [s for s in left if not closed_by_peer(s, 0)]
                time.sleep(0.1)
            self.assertEqual(len(left), 0, 'idle connections kept')
            loris.join(30)
            slow_body.join(30)
            for name, t in (('slowloris', loris), ('slow body', slow_body)):
                self.assertIsNotNone(t.closed_after, name + ' not cut off')
                self.assertGreaterEqual(t.closed_after, DEADLINE - 1, name)
                self.assertLess(t.closed_after, DEADLINE + 4, name)
                self.assertEqual(t.got, b'', name + ' got an answer')
            # The long-poll is answered when its wait ends, not cut off.
            poller.join(30)
            self.assertEqual(poll['r'][0], 200, poll['r'][2])
            self.assertGreaterEqual(poll['after'], 19)
            self.assertEqual(self.fx.request('GET', '/healthz')[0], 200)
        finally:
            for s in idle:
                s.close()


if __name__ == '__main__':
    harness.main()
