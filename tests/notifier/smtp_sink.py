"""
smtp_sink: a real SMTP server for the notifier tests (Debian's
python3-aiosmtpd), writing every message it accepts to a folder.

    sink = Sink(folder, port=0).start()      # 127.0.0.1:<sink.port>
    ...
    sink.stop(); sink.start()                # same port again
    sink.messages()                          # [Received], in arrival order

Each accepted message is one file <folder>/<seq>-<time>.json, written
atomically (write <folder>/tmp/NAME, fsync if asked, rename):

    {"seq": 7, "received_at": 1764230012.123456 (time.time() at acceptance),
     "peer": "127.0.0.1", "helo": "...", "tls": true|false,
     "mail_from": "...", "rcpt_tos": ["..."],
     "data_b64": "<the message bytes exactly as received, base64>"}

Options:
  tls_cert/tls_key   offer STARTTLS with this certificate (and then refuse
                     MAIL before STARTTLS: require_starttls)
  reject             {address: (code, text)}: answer DATA with code/text
                     (e.g. 451 transient, 550 permanent) when any envelope
                     recipient is listed; the key '*' matches everyone.
                     Mutable while running (set_reject / clear_reject).
  delay              seconds to sleep in DATA before answering (makes a
                     batch last long enough to interrupt it)

Every DATA that was refused is kept in sink.rejected (and counted) so a
test can check that a permanent failure was not retried.

Run standalone (the benchmarks do, to keep the sink off their GIL):
    /usr/bin/python3 smtp_sink.py --dir D --port P [--tls-cert C --tls-key K]
It prints "listening 127.0.0.1:P" once ready and stops on SIGTERM/SIGINT.
"""

import argparse
import asyncio
import base64
import email
import email.policy
import itertools
import json
import logging
import os
import signal
import socket
import ssl
import sys
import threading
import time

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP


def reserve_port(host):
    """(socket, port): a free port of host, held by a socket bound with
    SO_REUSEADDR and not listening.  While it is open no outgoing
    connection (the notifier's to the server, say) is given the port, so
    the sink can listen on it again after a stop(); asyncio's server sets
    SO_REUSEADDR too, so it can listen beside it."""
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((host, 0))
    return s, s.getsockname()[1]


class Received:
    """One accepted message, parsed with email (policy=default)."""

    def __init__(self, path, rec):
        self.path = path
        self.seq = rec['seq']
        self.received_at = rec['received_at']
        self.tls = rec['tls']
        self.mail_from = rec['mail_from']
        self.rcpt_tos = rec['rcpt_tos']
        self.raw = base64.b64decode(rec['data_b64'])
        self.msg = email.message_from_bytes(self.raw,
                                            policy=email.policy.default)

    @property
    def message_id(self):
        v = self.msg['Message-ID']
        return str(v).strip() if v is not None else None

    def __repr__(self):
        return '<Received #%d %s to %s>' % (self.seq, self.message_id,
                                            self.rcpt_tos)


def load_folder(folder):
    """Every message file in folder, in acceptance order."""
    out = []
    for name in os.listdir(folder):
        if not name.endswith('.json'):
            continue
        p = os.path.join(folder, name)
        with open(p, 'rb') as f:
            rec = json.load(f)
        out.append(Received(p, rec))
    out.sort(key=lambda r: (r.received_at, r.seq))
    return out


class _Handler:
    def __init__(self, sink):
        self.sink = sink

    async def handle_RCPT(self, server, session, envelope, address,
                          rcpt_options):
        envelope.rcpt_tos.append(address)
        return '250 OK'

    async def handle_DATA(self, server, session, envelope):
        sink = self.sink
        if sink.delay:
            await asyncio.sleep(sink.delay)
        with sink.lock:
            rules = dict(sink.reject)
        for rcpt in envelope.rcpt_tos:
            rule = rules.get(rcpt.lower()) or rules.get('*')
            if rule:
                code, text = rule
                with sink.lock:
                    sink.rejected.append({
                        'at': time.time(), 'code': code,
                        'rcpt_tos': list(envelope.rcpt_tos),
                        'raw': envelope.original_content or envelope.content})
                return '%d %s' % (code, text)
        seq = sink.store(session, envelope)
        return '250 2.0.0 Ok: queued as %d' % seq


class Sink:
    def __init__(self, folder, port=0, host='127.0.0.1', tls_cert=None,
                 tls_key=None, reject=None, delay=0.0, fsync=False):
        self.folder = folder
        self.tmp = os.path.join(folder, 'tmp')
        os.makedirs(self.tmp, exist_ok=True)
        self.host = host
        self._held = None
        if not port:
            self._held, port = reserve_port(host)
        self.port = port
        self.tls_cert = tls_cert
        self.tls_key = tls_key
        self.reject = {k.lower(): v for k, v in (reject or {}).items()}
        self.delay = delay
        self.fsync = fsync
        self.lock = threading.Lock()
        self.rejected = []
        self.accepted = 0
        self._seq = itertools.count(1)
        self.controller = None

    # -- control

    def set_reject(self, address, code, text=None):
        if text is None:
            text = ('4.3.0 Try again later (sink)' if code < 500 else
                    '5.1.1 Mailbox unavailable (sink)')
        with self.lock:
            self.reject[address.lower()] = (code, text)

    def clear_reject(self, address=None):
        with self.lock:
            if address is None:
                self.reject.clear()
            else:
                self.reject.pop(address.lower(), None)

    def start(self):
        kw = {}
        if self.tls_cert:
            ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            ctx.load_cert_chain(self.tls_cert, self.tls_key)
            kw = {'tls_context': ctx, 'require_starttls': True}
        self.controller = Controller(
            _Handler(self), hostname=self.host, port=self.port,
            server_hostname='localhost', ident='breachclock-test-sink',
            data_size_limit=10 * 1024 * 1024, **kw)
        # The controller's readiness probe opens a connection; retry the
        # bind briefly in case the port is still in TIME_WAIT after stop().
        deadline = time.monotonic() + 10
        while True:
            try:
                self.controller.start()
                break
            except Exception:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        return self

    def stop(self):
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    @property
    def running(self):
        return self.controller is not None

    # -- storage

    def store(self, session, envelope):
        seq = next(self._seq)
        now = time.time()
        ssl_obj = getattr(session, 'ssl', None)
        rec = {
            'seq': seq,
            'received_at': now,
            'peer': session.peer[0] if session.peer else None,
            'helo': session.host_name,
            'tls': ssl_obj is not None,
            'mail_from': envelope.mail_from,
            'rcpt_tos': list(envelope.rcpt_tos),
            'data_b64': base64.b64encode(
                envelope.original_content or envelope.content).decode(),
        }
        name = '%08d-%.6f.json' % (seq, now)
        tmp = os.path.join(self.tmp, name)
        with open(tmp, 'w') as f:
            json.dump(rec, f)
            if self.fsync:
                f.flush()
                os.fsync(f.fileno())
        os.rename(tmp, os.path.join(self.folder, name))
        with self.lock:
            self.accepted += 1
        return seq

    def messages(self):
        return load_folder(self.folder)

    def count(self):
        return sum(1 for n in os.listdir(self.folder) if n.endswith('.json'))


# The readiness probe of aiosmtpd's Controller speaks plain SMTP; with
# require_starttls that is still fine (it only reads the greeting).
SMTP.__ident__ = 'breachclock-test-sink'
# aiosmtpd logs every failed session (e.g. a refused TLS handshake, which
# some tests provoke on purpose) with a traceback; BC_SINK_LOG=1 keeps them.
if not os.environ.get('BC_SINK_LOG'):
    logging.getLogger('mail.log').setLevel(logging.CRITICAL)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[1])
    ap.add_argument('--dir', required=True)
    ap.add_argument('--port', type=int, default=0)
    ap.add_argument('--host', default='127.0.0.1')
    ap.add_argument('--tls-cert')
    ap.add_argument('--tls-key')
    ap.add_argument('--delay', type=float, default=0.0)
    ap.add_argument('--fsync', action='store_true')
    ap.add_argument('--reject', action='append', default=[],
                    metavar='ADDR=CODE', help="e.g. dpo@example.com=550")
    a = ap.parse_args(argv)
    reject = {}
    for r in a.reject:
        addr, code = r.rsplit('=', 1)
        code = int(code)
        reject[addr] = (code, '4.3.0 Try again later (sink)' if code < 500
                        else '5.1.1 Mailbox unavailable (sink)')
    sink = Sink(a.dir, port=a.port, host=a.host, tls_cert=a.tls_cert,
                tls_key=a.tls_key, reject=reject, delay=a.delay,
                fsync=a.fsync).start()
    stop = threading.Event()
    for s in (signal.SIGTERM, signal.SIGINT):
        signal.signal(s, lambda *_: stop.set())
    print('listening %s:%d' % (sink.host, sink.port), flush=True)
    stop.wait()
    sink.stop()
    return 0


if __name__ == '__main__':
    sys.exit(main())
