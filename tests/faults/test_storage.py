"""The database's storage fails under a running server: the disk fills up,
the file is read-only, another process holds the write lock.

Each must give 503 `unavailable` with Retry-After (never 500), leave the
database uncorrupted (PRAGMA integrity_check, the audit chain) and keep
reads working.  Once space returns or the lock is released, the same
server process takes writes again.  A database that was read-only when the
server started stays read-only for that process (SQLite shares one
read-only WAL index among the process's connections), so that case is
checked across a restart.

Disk full is a real full file system: a 2 MiB tmpfs mounted for the test
(this needs root, as in CI; run as another user, the test says so and uses
RLIMIT_FSIZE instead).  test_file_size_limit always uses RLIMIT_FSIZE (an
operator's `ulimit -f`), which fails writes with EFBIG rather than ENOSPC.
The read-only database runs the server as the unprivileged user nobody when
the test runs as root, since root may write to a file whatever its mode.
"""

import errno
import os
import resource
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), 'api'))
import harness  # noqa: E402
import leaks  # noqa: E402
from harness import HOUR, now, ts  # noqa: E402

ROOT = os.geteuid() == 0
NOBODY = 65534
TMPFS_SIZE = '2m'


class Rig:
    """A temp dir (optionally a fresh tmpfs), a database and a server."""

    def __init__(self, tmpfs=False, as_nobody=False, preexec_fn=None):
        self.base = tempfile.mkdtemp(prefix='bc-faults-')
        self.dir = os.path.join(self.base, 'data')
        os.mkdir(self.dir)
        self.mounted = False
        if tmpfs:
            subprocess.run(['mount', '-t', 'tmpfs', '-o',
                            'size=%s,mode=0755' % TMPFS_SIZE, 'tmpfs',
                            self.dir], check=True)
            self.mounted = True
        self.db = os.path.join(self.dir, 'breachclock.db')
        self.tok = harness.make_db(self.db)
        prefix = ()
        if as_nobody:
            os.chmod(self.base, 0o755)
            for p in [self.dir] + [os.path.join(self.dir, f)
                                   for f in os.listdir(self.dir)]:
                os.chown(p, NOBODY, NOBODY)
            prefix = ('setpriv', '--reuid=%d' % NOBODY,
                      '--regid=%d' % NOBODY, '--clear-groups')
        self.server = harness.Server(
            self.base, ['--db', self.db, '--listen', '127.0.0.1:0',
                        '--log-level', 'debug'],
            prefix=prefix, preexec_fn=preexec_fn)

    def start(self):
        self.server.start()
        return self

    def restart(self):
        self.assertStopped()
        s = self.server
        self.restarts = getattr(self, 'restarts', 0) + 1
        self.server = harness.Server(self.base, s.args,
                                     log_name='server-%d.log' %
                                     (self.restarts + 1),
                                     prefix=s.prefix,
                                     preexec_fn=s.preexec_fn)
        return self.start()

    def assertStopped(self):
        rc = self.server.stop()
        if rc != 0:
            raise AssertionError('server exit status %r; log %s' % (
                rc, self.server.log_path))

    def as_(self, user, method, path, body=None, headers=None):
        return self.server.request(method, path, token=self.tok[user],
                                   body=body, headers=headers)

    def cleanup(self, ok):
        try:
            if self.server.proc is not None and \
                    self.server.returncode is None:
                self.server.stop()
        finally:
            if self.mounted:
                subprocess.run(['umount', self.dir], check=False)
            if ok and not os.environ.get('BC_KEEP_TMP'):
                shutil.rmtree(self.base, ignore_errors=True)
            else:
                sys.stderr.write('kept %s\n' % self.base)


def read_file(path):
    with open(path, 'rb') as f:
        return f.read()


def incident_body(title):
    return {'title': title, 'discovered_at': ts(now() - HOUR),
            'jurisdictions': ['GB'], 'data_categories': ['basic_identifiers'],
            'description': 'x' * 2000}


class StorageCase(harness.ApiCase):

    def setUp(self):
        self.rigs = []

    def tearDown(self):
        ok = getattr(self._outcome, 'success', True)
        for r in self.rigs:
            r.cleanup(ok)

    def rig(self, **kw):
        r = Rig(**kw)
        self.rigs.append(r)
        return r

    def assertUnavailable(self, resp, msg=None, retry=None):
        self.assertProblem(resp, 503, 'unavailable', msg=msg)
        ra = resp[1].get('retry-after', '')
        self.assertRegex(ra, r'^[1-9][0-9]*$', '%s: Retry-After' % msg)
        if retry is not None:
            self.assertEqual(int(ra), retry, msg)
        self.assertEqual(leaks.leaks(resp[2]), [], msg)

    def assertSound(self, rig, incidents):
        """The server is stopped: the file, the chain and the rows."""
        con = sqlite3.connect(rig.db, timeout=10)
        try:
            self.assertEqual(con.execute('PRAGMA integrity_check')
                             .fetchall(), [('ok',)])
            titles = sorted(r[0] for r in con.execute(
                'SELECT title FROM incidents'))
        finally:
            con.close()
        self.assertEqual(titles, sorted(incidents))
        p = harness.run_cli('audit', 'verify', '--db', rig.db)
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)

    def writes_refused(self, rig, made, what):
        """While the cause lasts: every kind of write 503, reads 200."""
        first = made[0][0]
        r = rig.as_('handler', 'POST', '/api/v1/incidents',
                    body=incident_body(what + ' refused'))
        self.assertUnavailable(r, what + ': create')
        r = rig.as_('handler', 'PATCH', '/api/v1/incidents/%d' % first,
                    body={'title': 'changed'},
                    headers={'If-Match': '"%d"' % made[0][1]})
        self.assertUnavailable(r, what + ': patch')
        r = rig.as_('handler', 'POST', '/api/v1/incidents/%d/notes' % first,
                    body={'text': 'a note'})
        self.assertUnavailable(r, what + ': note')
        r = rig.as_('admin', 'POST', '/api/v1/users',
                    body={'name': 'newuser', 'role': 'viewer'})
        self.assertUnavailable(r, what + ': user')
        st, _, inc = rig.as_('viewer', 'GET', '/api/v1/incidents/%d' % first)
        self.assertEqual((st, inc.get('title')), (200, made[0][2]), inc)
        st, _, lst = rig.as_('viewer', 'GET', '/api/v1/incidents')
        self.assertEqual(st, 200, lst)
        self.assertEqual(len(lst['items']), min(len(made), 50))

    def create_until_refused(self, rig, made, what, limit=400):
        """Create incidents until the storage refuses; each answer is 201
        or 503, never anything else; then it keeps refusing."""
        for i in range(limit):
            title = '%s %d' % (what, i)
            r = rig.as_('handler', 'POST', '/api/v1/incidents',
                        body=incident_body(title))
            if r[0] == 201:
                made.append((r[2]['id'], r[2]['version'], title))
                continue
            self.assertUnavailable(r, '%s: create %d' % (what, i))
            break
        else:
            self.fail('%s: %d creates and no 503' % (what, limit))
        for i in range(3):
            r = rig.as_('handler', 'POST', '/api/v1/incidents',
                        body=incident_body('%s again %d' % (what, i)))
            self.assertUnavailable(r, '%s: again %d' % (what, i))

    def recovers(self, rig, made, what):
        """A create works again within a few seconds, same process."""
        pid = rig.server.proc.pid
        deadline = time.monotonic() + 5
        while True:
            title = what + ' recovered'
            r = rig.as_('handler', 'POST', '/api/v1/incidents',
                        body=incident_body(title))
            if r[0] == 201:
                made.append((r[2]['id'], r[2]['version'], title))
                break
            self.assertUnavailable(r, what + ': while recovering')
            self.assertLess(time.monotonic(), deadline,
                            what + ': no recovery within 5 s')
            time.sleep(0.2)
        self.assertEqual(rig.server.proc.pid, pid)
        self.assertIsNone(rig.server.proc.poll())
        r = rig.as_('handler', 'PATCH', '/api/v1/incidents/%d' % made[0][0],
                    body={'title': 'changed'},
                    headers={'If-Match': '"%d"' % made[0][1]})
        self.assertEqual(r[0], 200, r[2])
        made[0] = (made[0][0], r[2]['version'], 'changed')

    # ------------------------------------------------------------ tests

    def disk_full(self, tmpfs):
        what = 'disk full' if tmpfs else 'file size limit'

        def xfsz_default():
            # Python ignores SIGXFSZ; the server must ignore it itself, so
            # that writes past the limit fail with EFBIG instead of the
            # signal killing it.
            signal.signal(signal.SIGXFSZ, signal.SIG_DFL)

        rig = self.rig(tmpfs=tmpfs,
                       preexec_fn=None if tmpfs else xfsz_default).start()
        made = []
        filler = os.path.join(rig.dir, 'filler')
        for i in range(3):
            title = 'before %d' % i
            r = rig.as_('handler', 'POST', '/api/v1/incidents',
                        body=incident_body(title))
            self.assertEqual(r[0], 201, r[2])
            made.append((r[2]['id'], r[2]['version'], title))
        if not tmpfs:
            # The WAL may not grow now (it only grows until a checkpoint,
            # far off with these few writes; the database file grows only
            # in a checkpoint).
            size = os.path.getsize(rig.db + '-wal')
            self.assertGreater(size, 0)
            resource.prlimit(rig.server.proc.pid, resource.RLIMIT_FSIZE,
                             (size, resource.RLIM_INFINITY))
        else:
            # Fill the file system to the last byte.
            fd = os.open(filler, os.O_WRONLY | os.O_CREAT, 0o600)
            try:
                for chunk in (65536, 1):
                    try:
                        while True:
                            os.write(fd, b'\0' * chunk)
                    except OSError as e:
                        self.assertEqual(e.errno, errno.ENOSPC)
            finally:
                os.close(fd)
        self.create_until_refused(rig, made, what)
        self.writes_refused(rig, made, what)
        # Space returns.
        if tmpfs:
            os.unlink(filler)
        else:
            resource.prlimit(rig.server.proc.pid, resource.RLIMIT_FSIZE,
                             (resource.RLIM_INFINITY, resource.RLIM_INFINITY))
        self.recovers(rig, made, what)
        rig.assertStopped()
        self.assertSound(rig, [m[2] for m in made])

    def test_disk_full(self):
        if not ROOT:
            sys.stderr.write('not root: cannot mount a tmpfs, so a file '
                             'size limit (RLIMIT_FSIZE) fills the disk\n')
        self.disk_full(tmpfs=ROOT)

    def test_file_size_limit(self):
        self.disk_full(tmpfs=False)

    def test_read_only_database(self):
        rig = self.rig(as_nobody=ROOT).start()
        made = []
        for i in range(2):
            title = 'writable %d' % i
            r = rig.as_('handler', 'POST', '/api/v1/incidents',
                        body=incident_body(title))
            self.assertEqual(r[0], 201, r[2])
            made.append((r[2]['id'], r[2]['version'], title))
        rig.assertStopped()
        files = [rig.db, rig.db + '-wal', rig.db + '-shm']
        for f in files:
            if os.path.exists(f):
                os.chmod(f, 0o444)
        rig.restart()
        self.writes_refused(rig, made, 'read-only')
        rig.assertStopped()
        with open(rig.server.log_path, encoding='utf-8') as f:
            self.assertIn('msg="database is read-only: reads only', f.read())
        self.assertSound(rig, [m[2] for m in made])
        # The operator makes it writable again (SQLite made the -wal and
        # -shm files with the database file's mode) and restarts it.
        for f in files:
            if os.path.exists(f):
                os.chmod(f, 0o644)
        rig.restart()
        self.recovers(rig, made, 'read-only')
        rig.assertStopped()
        self.assertSound(rig, [m[2] for m in made])

    def test_read_only_directory(self):
        """A database in a read-only directory: the server refuses to
        start, says why, and leaves the file as it was."""
        rig = self.rig(as_nobody=ROOT)
        os.chmod(rig.db, 0o444)
        os.chmod(rig.dir, 0o555)
        before = read_file(rig.db)
        try:
            p = subprocess.run(list(rig.server.prefix) + [
                harness.BIN, '--db', rig.db, '--listen', '127.0.0.1:0'],
                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                timeout=20)
        finally:
            os.chmod(rig.dir, 0o755)
            os.chmod(rig.db, 0o644)
        self.assertNotEqual(p.returncode, 0, p.stderr)
        self.assertGreater(p.returncode, 0, 'killed by a signal: %s'
                           % p.stderr)
        self.assertIn('level=error', p.stderr)
        self.assertIn('readonly', p.stderr)
        self.assertEqual(read_file(rig.db), before)
        self.assertSound(rig, [])

    def test_locked_database(self):
        """Another process holds the write lock past the busy timeout."""
        rig = self.rig().start()
        made = []
        r = rig.as_('handler', 'POST', '/api/v1/incidents',
                    body=incident_body('unlocked'))
        self.assertEqual(r[0], 201, r[2])
        made.append((r[2]['id'], r[2]['version'], 'unlocked'))
        con = sqlite3.connect(rig.db, timeout=1, isolation_level=None)
        con.execute('BEGIN IMMEDIATE')
        try:
            got = {}

            def write():
                got['r'] = rig.as_('handler', 'POST', '/api/v1/incidents',
                                   body=incident_body('locked'))

            t = threading.Thread(target=write)
            t0 = time.monotonic()
            t.start()
            # Reads go on while the writer waits for the lock.
            time.sleep(0.5)
            st, _, _ = rig.as_('viewer', 'GET',
                               '/api/v1/incidents/%d' % made[0][0])
            self.assertEqual(st, 200)
            self.assertLess(time.monotonic() - t0, 5)
            t.join(30)
            self.assertFalse(t.is_alive())
            self.assertGreaterEqual(time.monotonic() - t0, 9)
            self.assertUnavailable(got['r'], 'locked', retry=1)
        finally:
            con.execute('ROLLBACK')
            con.close()
        self.recovers(rig, made, 'locked')
        rig.assertStopped()
        self.assertSound(rig, [m[2] for m in made])


if __name__ == '__main__':
    unittest.main(verbosity=2)
