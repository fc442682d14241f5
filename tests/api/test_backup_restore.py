"""breachclockd backup and restore: a consistent copy of a database that a
client is writing to, restored into a new place and served from there;
restore refuses a database in use, a damaged backup and one from a newer
program."""

import os
import shutil
import sqlite3
import sys
import tempfile
import threading
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import HOUR, now, ts  # noqa: E402

HAMMER_SECONDS = 30   # upper bound on the writing client's run


def setUpModule():
    harness.setup_module()


def tearDownModule():
    harness.teardown_module()


def read(path):
    with open(path, 'rb') as f:
        return f.read()


def count_incidents(db):
    con = sqlite3.connect('file:%s?mode=ro' % db, uri=True)
    try:
        return con.execute('SELECT count(*) FROM incidents').fetchone()[0]
    finally:
        con.close()


class Hammer(threading.Thread):
    """POST /api/v1/incidents as fast as one client can, until stopped."""

    def __init__(self, fx):
        super().__init__(daemon=True)
        self.fx = fx
        self.created = 0
        self.errors = []
        self.stop = threading.Event()

    def run(self):
        end = time.monotonic() + HAMMER_SECONDS
        while not self.stop.is_set() and time.monotonic() < end:
            st, _, b = self.fx.as_('handler', 'POST', '/api/v1/incidents',
                                   body={'title': 'hammer %d' % self.created,
                                         'description': 'x' * 2000,
                                         'discovered_at': ts(now() - HOUR)})
            if st != 201:
                self.errors.append((st, b))
                return
            self.created += 1


class BackupRestore(harness.ApiCase):

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix='bc-backup-')
        self.servers = []

    def tearDown(self):
        for s in self.servers:
            s.stop()
        shutil.rmtree(self.tmp, ignore_errors=True)

    def path(self, name):
        return os.path.join(self.tmp, name)

    def cli(self, *args):
        return harness.run_cli(*args, timeout=120)

    def serve(self, db):
        s = harness.Server(self.tmp, ['--db', db, '--listen', '127.0.0.1:0'],
                           log_name='server-%d.log' % len(self.servers))
        self.servers.append(s)
        return s.start()

    def test_backup_while_writing_then_restore_and_serve(self):
        for i in range(20):
            self.create(title='before %d' % i, description='y' * 4000)
        hammer = Hammer(self.fx)
        hammer.start()
        while hammer.created < 20 and hammer.is_alive():
            time.sleep(0.01)
        low = count_incidents(self.fx.db)
        out = self.path('backup.db')
        p = self.cli('backup', '--db', self.fx.db, '--to', out)
        hammer.stop.set()
        hammer.join()
        self.assertEqual(hammer.errors, [])
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertRegex(p.stdout, r'^ok pages=\d+ schema_version=\d+\n$')
        high = count_incidents(self.fx.db)
        self.assertGreater(high, low, 'the client wrote during the backup')
        # a single file, not a WAL database
        self.assertFalse(os.path.exists(out + '-wal'))
        got = count_incidents(out)
        self.assertGreaterEqual(got, low)
        self.assertLessEqual(got, high)

        # restore into a new path and serve it
        new = self.path('restored.db')
        p = self.cli('restore', '--db', new, '--from', out)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertRegex(p.stdout, r'^ok pages=\d+ schema_version=\d+ '
                         r'migrated=0 events=\d+\n$')
        con = sqlite3.connect(new)
        self.assertEqual(con.execute('PRAGMA integrity_check').fetchone(),
                         ('ok',))
        con.close()
        p = self.cli('audit', 'verify', '--db', new)
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        s = self.serve(new)
        st, _, v = s.request('GET', '/api/v1/audit/verify',
                             token=self.fx.tok['dpo'])
        self.assertEqual(st, 200, v)
        self.assertIs(v['ok'], True, v)
        ids, cursor = [], None
        while True:
            q = '/api/v1/incidents?limit=200' + (
                '&cursor=' + cursor if cursor else '')
            st, _, page = s.request('GET', q, token=self.fx.tok['handler'])
            self.assertEqual(st, 200, page)
            ids += [i['id'] for i in page['items']]
            cursor = page['next_cursor']
            if cursor is None:
                break
        self.assertEqual(len(ids), got)
        # the restored server takes writes
        st, _, inc = s.request('POST', '/api/v1/incidents',
                               token=self.fx.tok['handler'],
                               body={'title': 'after restore',
                                     'discovered_at': ts(now() - HOUR)})
        self.assertEqual(st, 201, inc)

        # while that server runs, its database cannot be restored over
        p = self.cli('restore', '--db', new, '--from', out)
        self.assertEqual(p.returncode, 1, p.stdout)
        self.assertIn('in use', p.stderr)
        self.assertEqual(count_incidents(new), got + 1)
        self.assertEqual(s.stop(), 0)

        # stopped, it can: the later incident is gone again
        p = self.cli('restore', '--db', new, '--from', out)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(count_incidents(new), got)
        self.assertFalse(os.path.exists(new + '-wal'))
        p = self.cli('audit', 'verify', '--db', new)
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)

    def test_idle_server_counts_as_in_use(self):
        db = self.path('idle.db')
        harness.make_db(db, {'admin': 'admin'})
        out = self.path('idle-backup.db')
        self.assertEqual(self.cli('backup', '--db', db, '--to',
                                  out).returncode, 0)
        s = self.serve(db)   # no request yet
        p = self.cli('restore', '--db', db, '--from', out)
        self.assertEqual(p.returncode, 1, p.stdout + p.stderr)
        self.assertIn('in use', p.stderr)
        self.assertEqual(s.stop(), 0)

    def test_restored_file_belongs_to_the_directory_owner(self):
        out = self.path('own.db')
        self.assertEqual(self.cli('backup', '--db', self.fx.db, '--to',
                                  out).returncode, 0)
        d = self.path('state')
        os.mkdir(d)
        # as root (CI), the directory of another user, as with systemd's
        # StateDirectory; otherwise our own
        uid = 65534 if os.geteuid() == 0 else os.geteuid()
        os.chown(d, uid, os.getegid())
        p = self.cli('restore', '--db', os.path.join(d, 'bc.db'), '--from',
                     out)
        self.assertEqual(p.returncode, 0, p.stderr)
        st = os.stat(os.path.join(d, 'bc.db'))
        self.assertEqual((st.st_uid, st.st_mode & 0o777), (uid, 0o600))

    def test_refusals(self):
        out = self.path('b.db')
        self.assertEqual(self.cli('backup', '--db', self.fx.db, '--to',
                                  out).returncode, 0)
        size = os.path.getsize(out)
        # never over an existing file
        p = self.cli('backup', '--db', self.fx.db, '--to', out)
        self.assertEqual(p.returncode, 2, p.stderr)
        self.assertEqual(os.path.getsize(out), size)
        # no database to copy: nothing is created
        p = self.cli('backup', '--db', self.path('none.db'), '--to',
                     self.path('c.db'))
        self.assertEqual(p.returncode, 1)
        self.assertFalse(os.path.exists(self.path('none.db')))
        self.assertFalse(os.path.exists(self.path('c.db')))
        # missing --to / --from
        self.assertEqual(self.cli('backup', '--db', self.fx.db).returncode, 2)
        self.assertEqual(self.cli('restore', '--db', self.fx.db).returncode,
                         2)

        target = self.path('target.db')
        harness.make_db(target, {'admin': 'admin'})
        before = read(target)

        def refused(backup, why):
            p = self.cli('restore', '--db', target, '--from', backup)
            self.assertEqual(p.returncode, 1, why)
            self.assertEqual(read(target), before, why)
            self.assertEqual([n for n in os.listdir(self.tmp)
                              if '.restore-' in n], [], why)

        # damaged: a page of garbage in the middle
        bad = self.path('damaged.db')
        shutil.copyfile(out, bad)
        with open(bad, 'r+b') as f:
            f.seek(size // 2)
            f.write(b'\xa5' * 8192)
        refused(bad, 'damaged')
        # not a database at all
        with open(self.path('text.db'), 'w') as f:
            f.write('not sqlite\n' * 100)
        refused(self.path('text.db'), 'not a database')
        # a schema newer than this program
        newer = self.path('newer.db')
        shutil.copyfile(out, newer)
        con = sqlite3.connect(newer)
        con.execute('PRAGMA user_version = 999')
        con.commit()
        con.close()
        refused(newer, 'newer schema')
        # another SQLite database
        other = self.path('other.db')
        con = sqlite3.connect(other)
        con.execute('CREATE TABLE t (x)')
        con.execute('PRAGMA user_version = 1')
        con.commit()
        con.close()
        refused(other, 'not breachclock')
        # a broken audit chain
        chain = self.path('chain.db')
        shutil.copyfile(out, chain)
        con = sqlite3.connect(chain)
        for (name,) in con.execute("SELECT name FROM sqlite_master WHERE "
                                   "type = 'trigger' AND "
                                   "tbl_name = 'events'").fetchall():
            con.execute('DROP TRIGGER "%s"' % name)
        con.execute("UPDATE events SET actor = 'mallory' WHERE id = 2")
        con.commit()
        con.close()
        refused(chain, 'broken chain')


if __name__ == '__main__':
    harness.main()
