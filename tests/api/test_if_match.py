"""If-Match on the writes that take it (PATCH of an incident and of a
regime; server/req.c req_if_match, server/api.c api_if_match), as RFC 9110
13.1.1 has it:

* the comparison is strong: a weak tag (W/"3") never matches, not even
  the current version;
* the value is a list: it matches when any member is the current ETag;
* "*" matches any current version;
* no If-Match is 428 precondition-required; anything that does not match
  is 412 precondition-failed, and nothing changes.
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
import test_regimes  # noqa: E402


def setUpModule():
    harness.setup_module()


def tearDownModule():
    harness.teardown_module()


class IfMatch(harness.ApiCase):

    def check(self, path, user, field):
        """Drive PATCH path (a resource at version 1) through each kind of
        If-Match; field is a string member to change."""
        def patch(im, value):
            h = {} if im is None else {'If-Match': im}
            return self.fx.as_(user, 'PATCH', path, body={field: value},
                               headers=h)

        def state():
            st, h, b = self.fx.as_(user, 'GET', path)
            self.assertEqual(st, 200)
            return h['etag'], b['version'], b[field]

        first = state()
        self.assertEqual(first[:2], ('"1"', 1))
        self.assertNotEqual(first[2], 'no')
        self.assertProblem(patch(None, 'no'), 428, 'precondition-required')
        for im in ('W/"1"', ' W/"1" ', 'W/"0", W/"1"', 'W/"1", "2"', '"2"',
                   '"0", "2"', '"1', '1', '"1"x', '', ',', 'W/*', '"*"'):
            with self.subTest(im):
                self.assertProblem(patch(im, 'no'), 412,
                                   'precondition-failed')
        self.assertEqual(state(), first)
        # Any member of a list, with or without spaces and empty members.
        for i, im in enumerate(('"0", "1"', '"2",W/"9" , "3"',
                                ',"9",, "3" ,')):
            with self.subTest(im):
                st, h, b = patch(im, 'list %d' % i)
                self.assertEqual((st, h['etag'], b[field]),
                                 (200, '"%d"' % (i + 2), 'list %d' % i), b)
        st, h, b = patch('*', 'star')
        self.assertEqual((st, h['etag'], b[field]), (200, '"5"', 'star'), b)
        st, h, b = patch(' * ', 'star again')
        self.assertEqual((st, h['etag']), (200, '"6"'), b)
        # A weak tag of the current version still loses.
        self.assertProblem(patch('W/"6"', 'weak'), 412,
                           'precondition-failed')
        self.assertEqual(state(), ('"6"', 6, 'star again'))

    def test_incident(self):
        inc = self.create(title='if-match')
        self.check('/api/v1/incidents/%d' % inc['id'], 'handler', 'title')

    def test_regime(self):
        r = self.fx.as_('admin', 'POST', '/api/v1/regimes',
                        body=test_regimes.regime_body('t_ifmatch'))
        self.assertStatus(r, 201)
        self.check('/api/v1/regimes/t_ifmatch', 'admin', 'notes')


if __name__ == '__main__':
    harness.main()
