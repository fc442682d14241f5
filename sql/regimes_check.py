#!/usr/bin/env python3
"""Validate the regime rules shipped by the migrations.

usage: regimes_check.py [REGIMES_JSON]

Applies sql/001_init.sql and sql/002_regimes.sql to an in-memory SQLite
database, reads every regime's `rule` JSON and checks it against the
regime-rule spec: known keys only, applicability members, calendar (IANA
zone present under /usr/share/zoneinfo, known holiday set), effective
dates, and phases (ids, starts, units, caps, targets).  Then checks that
every regime id of the reference data (default:
../shared/reference/regimes.json next to the repository) is present; that
one check is skipped with a note when the file does not exist.

Exits 1 with a message naming the regime and the problem on the first
problem found; prints "N regimes ok" otherwise.  Standard library only.
"""
import datetime
import json
import os
import re
import sqlite3
import sys

SQL_DIR = os.path.dirname(os.path.abspath(__file__))
MIGRATIONS = ('001_init.sql', '002_regimes.sql')
DEFAULT_REFERENCE = os.path.join(SQL_DIR, '..', '..', 'shared', 'reference',
                                 'regimes.json')
ZONEINFO = '/usr/share/zoneinfo'

RULE_KEYS = {'applies', 'effective_from', 'effective_to', 'calendar', 'phases'}
APPLIES_KEYS = {'jurisdictions', 'sectors_any', 'sectors_none', 'role',
                'min_risk', 'subjects_min', 'subjects_below', 'count_in',
                'encryption_safe_harbor', 'determination'}
CALENDAR_KEYS = {'tz', 'holidays'}
PHASE_KEYS = {'id', 'name', 'start', 'duration', 'unit', 'target_hours',
              'cap', 'required_when'}
CAP_KEYS = {'start', 'duration', 'unit'}

# The sector flags and determination kinds the engine supports.  A rule
# that names another one is a mistake (or needs the engine changed first).
SECTOR_FLAGS = {'pecr_provider', 'nis_entity', 'nis2_entity',
                'dora_financial_entity', 'hipaa_covered_entity',
                'hipaa_business_associate', 'sec_registrant',
                'lgpd_small_agent', 'trust_service_provider',
                'ny_dfs_covered_entity', 'ftc_financial_institution',
                'circia_covered_entity'}
DETERMINATIONS = {'sec_material', 'dora_major', 'sg_notifiable',
                  'ny_dfs_reportable'}
HOLIDAY_SETS = {'gb-eaw', 'gb-sct', 'gb-ni', 'br', 'us', None}
UNITS = {'hours', 'calendar_days', 'business_days', 'months', 'none'}
DAY_UNITS = {'calendar_days', 'business_days', 'months'}
STATUSES = {'verified', 'verified_secondary', 'partially_verified',
            'unverified'}

ID_RE = re.compile(r'^[a-z0-9_]{1,64}$')
PHASE_ID_RE = re.compile(r'^[a-z0-9_]{1,32}$')
JURISDICTION_RE = re.compile(r'^([A-Z]{2}(-[A-Z0-9]{1,3})?|EU|EEA)$')
DATE_RE = re.compile(r'^\d{4}-\d{2}-\d{2}$')
TZ_RE = re.compile(r'^[A-Za-z0-9_+-]+(/[A-Za-z0-9_+-]+)*$')


class Invalid(Exception):
    pass


def is_int(v):
    return isinstance(v, int) and not isinstance(v, bool)


def check_keys(obj, allowed, what):
    if not isinstance(obj, dict):
        raise Invalid('%s: not a JSON object' % what)
    unknown = sorted(set(obj) - allowed)
    if unknown:
        raise Invalid('%s: unknown key(s) %s' % (what, ', '.join(unknown)))


def check_flags(v, what):
    if not isinstance(v, list) or not v:
        raise Invalid('%s: must be a non-empty array' % what)
    for f in v:
        if f not in SECTOR_FLAGS:
            raise Invalid('%s: unknown sector flag %r' % (what, f))
    if len(set(v)) != len(v):
        raise Invalid('%s: duplicate flag' % what)


def check_applies(a, what):
    """Check an `applies` or `required_when` object."""
    check_keys(a, APPLIES_KEYS, what)
    if 'jurisdictions' in a:
        j = a['jurisdictions']
        if not isinstance(j, list) or not j:
            raise Invalid('%s.jurisdictions: must be a non-empty array' % what)
        for code in j:
            if not isinstance(code, str) or not JURISDICTION_RE.match(code):
                raise Invalid('%s.jurisdictions: bad code %r' % (what, code))
            if code == 'UK' or code.startswith('UK-'):
                raise Invalid('%s.jurisdictions: %r is not ISO 3166 (the '
                              'United Kingdom is GB)' % (what, code))
        if len(set(j)) != len(j):
            raise Invalid('%s.jurisdictions: duplicate code' % what)
    for k in ('sectors_any', 'sectors_none'):
        if k in a:
            check_flags(a[k], '%s.%s' % (what, k))
    if set(a.get('sectors_any', ())) & set(a.get('sectors_none', ())):
        raise Invalid('%s: a flag is in both sectors_any and sectors_none'
                      % what)
    if 'role' in a and a['role'] not in ('controller', 'processor'):
        raise Invalid('%s.role: %r is not controller or processor'
                      % (what, a['role']))
    if 'min_risk' in a and a['min_risk'] not in ('risk', 'high'):
        raise Invalid('%s.min_risk: %r is not risk or high'
                      % (what, a['min_risk']))
    for k in ('subjects_min', 'subjects_below'):
        if k in a and (not is_int(a[k]) or a[k] < 1):
            raise Invalid('%s.%s: must be an integer >= 1' % (what, k))
    if 'count_in' in a:
        if a['count_in'] not in ('total', 'jurisdiction'):
            raise Invalid('%s.count_in: %r is not total or jurisdiction'
                          % (what, a['count_in']))
        if 'subjects_min' not in a and 'subjects_below' not in a:
            raise Invalid('%s.count_in: without a subjects threshold' % what)
    if ('subjects_min' in a and 'subjects_below' in a and
            a['subjects_min'] >= a['subjects_below']):
        raise Invalid('%s: subjects_min >= subjects_below never applies'
                      % what)
    if ('encryption_safe_harbor' in a and
            not isinstance(a['encryption_safe_harbor'], bool)):
        raise Invalid('%s.encryption_safe_harbor: must be true or false'
                      % what)
    if 'determination' in a and a['determination'] not in DETERMINATIONS:
        raise Invalid('%s.determination: unknown kind %r (known: %s)'
                      % (what, a['determination'],
                         ', '.join(sorted(DETERMINATIONS))))


def check_date(v, what):
    if not isinstance(v, str) or not DATE_RE.match(v):
        raise Invalid('%s: %r is not YYYY-MM-DD' % (what, v))
    try:
        return datetime.date.fromisoformat(v)
    except ValueError:
        raise Invalid('%s: %r is not a valid date' % (what, v)) from None


def check_calendar(c):
    check_keys(c, CALENDAR_KEYS, 'calendar')
    if 'tz' not in c or 'holidays' not in c:
        raise Invalid('calendar: needs both tz and holidays (null for none)')
    tz = c['tz']
    if (not isinstance(tz, str) or not TZ_RE.match(tz) or
            not os.path.isfile(os.path.join(ZONEINFO, tz))):
        raise Invalid('calendar.tz: %r is not a zone under %s'
                      % (tz, ZONEINFO))
    if c['holidays'] not in HOLIDAY_SETS:
        raise Invalid('calendar.holidays: %r is not one of gb-eaw, gb-sct, '
                      'gb-ni, br, us or null' % (c['holidays'],))


def check_start(start, earlier, what, has_determination, has_min_risk):
    if not isinstance(start, str):
        raise Invalid('%s: start must be a string' % what)
    if start in ('aware_at', 'discovered_at', 'year_end:discovered_at'):
        return
    if start == 'decision':
        if not has_min_risk:
            raise Invalid('%s: start "decision" without a min_risk' % what)
        return
    if start == 'determination':
        if not has_determination:
            raise Invalid('%s: start "determination" without '
                          'applies.determination' % what)
        return
    if start.startswith('phase:'):
        ref = start[len('phase:'):]
        if ref not in earlier:
            raise Invalid('%s: start %r does not name an earlier phase'
                          % (what, start))
        return
    raise Invalid('%s: unknown start %r' % (what, start))


def check_duration(obj, what):
    d = obj.get('duration')
    if not is_int(d) or d < 0:
        raise Invalid('%s: duration must be an integer >= 0' % what)


def check_rule(rule):
    check_keys(rule, RULE_KEYS, 'rule')
    applies = rule.get('applies', {})
    check_applies(applies, 'applies')

    cal = rule.get('calendar')
    if cal is not None:
        check_calendar(cal)

    start_d = end_d = None
    if 'effective_from' in rule:
        start_d = check_date(rule['effective_from'], 'effective_from')
    if 'effective_to' in rule:
        end_d = check_date(rule['effective_to'], 'effective_to')
    if start_d and end_d and start_d > end_d:
        raise Invalid('effective_from is after effective_to')
    if (start_d or end_d) and cal is None:
        raise Invalid('effective dates need a calendar (their zone)')

    phases = rule.get('phases')
    if not isinstance(phases, list) or not phases:
        raise Invalid('phases: must be a non-empty array')
    seen = []
    for i, p in enumerate(phases):
        what = 'phases[%d]' % i
        check_keys(p, PHASE_KEYS, what)
        pid = p.get('id')
        if not isinstance(pid, str) or not PHASE_ID_RE.match(pid):
            raise Invalid('%s: id %r does not match ^[a-z0-9_]{1,32}$'
                          % (what, pid))
        what = 'phase %s' % pid
        if pid in seen:
            raise Invalid('%s: duplicate phase id' % what)
        if not isinstance(p.get('name'), str) or not p['name'].strip():
            raise Invalid('%s: name must be a non-empty string' % what)

        rw = p.get('required_when')
        if rw is not None:
            check_applies(rw, '%s.required_when' % what)
            if 'determination' in rw:
                raise Invalid('%s.required_when: determination belongs in '
                              'applies' % what)
        has_min_risk = 'min_risk' in applies or (rw and 'min_risk' in rw)
        has_det = 'determination' in applies
        if 'start' not in p:
            raise Invalid('%s: no start' % what)
        check_start(p['start'], seen, what, has_det, has_min_risk)

        unit = p.get('unit')
        if unit not in UNITS:
            raise Invalid('%s: unit %r is not one of %s'
                          % (what, unit, ', '.join(sorted(UNITS))))
        if unit == 'none':
            if 'duration' in p:
                raise Invalid('%s: unit none takes no duration' % what)
            if 'cap' in p:
                raise Invalid('%s: unit none takes no cap' % what)
            if 'target_hours' in p:
                t = p['target_hours']
                if t != 'controller_notice_hours' and (not is_int(t) or t < 1):
                    raise Invalid('%s: target_hours must be an integer >= 1 '
                                  'or "controller_notice_hours"' % what)
        else:
            check_duration(p, what)
            if 'target_hours' in p:
                raise Invalid('%s: target_hours only with unit none' % what)
            if unit in DAY_UNITS and cal is None:
                raise Invalid('%s: unit %s needs a calendar' % (what, unit))

        if 'cap' in p:
            cap = p['cap']
            check_keys(cap, CAP_KEYS, '%s.cap' % what)
            if 'start' not in cap:
                raise Invalid('%s.cap: no start' % what)
            check_start(cap['start'], seen, '%s.cap' % what, has_det,
                        has_min_risk)
            if cap.get('unit') not in UNITS - {'none'}:
                raise Invalid('%s.cap: unit %r is not hours, calendar_days, '
                              'business_days or months'
                              % (what, cap.get('unit')))
            check_duration(cap, '%s.cap' % what)
            if cap['unit'] in DAY_UNITS and cal is None:
                raise Invalid('%s.cap: unit %s needs a calendar'
                              % (what, cap['unit']))
        seen.append(pid)


def load_rows():
    db = sqlite3.connect(':memory:')
    try:
        for name in MIGRATIONS:
            path = os.path.join(SQL_DIR, name)
            with open(path, encoding='utf-8') as f:
                sql = f.read()
            try:
                db.executescript(sql)
            except sqlite3.Error as e:
                raise Invalid('%s: %s' % (name, e)) from None
        return db.execute('SELECT id, rule, status FROM regimes '
                          'ORDER BY rowid').fetchall()
    finally:
        db.close()


def main():
    if len(sys.argv) > 2:
        sys.exit('usage: regimes_check.py [REGIMES_JSON]')
    reference = sys.argv[1] if len(sys.argv) == 2 else DEFAULT_REFERENCE
    if not os.path.isdir(ZONEINFO):
        sys.exit('regimes_check: %s not found (install tzdata)' % ZONEINFO)
    try:
        rows = load_rows()
        if not rows:
            raise Invalid('no regimes')
        for rid, text, status in rows:
            try:
                if not ID_RE.match(rid):
                    raise Invalid('id does not match ^[a-z0-9_]{1,64}$')
                if status not in STATUSES:
                    raise Invalid('status %r is not one of %s'
                                  % (status, ', '.join(sorted(STATUSES))))
                try:
                    rule = json.loads(text)
                except ValueError as e:
                    raise Invalid('rule is not JSON: %s' % e) from None
                check_rule(rule)
            except Invalid as e:
                raise Invalid('regime %s: %s' % (rid, e)) from None
    except Invalid as e:
        sys.exit('regimes_check: %s' % e)

    ids = {r[0] for r in rows}
    if os.path.exists(reference):
        with open(reference, encoding='utf-8') as f:
            ref = json.load(f)
        for r in ref:
            if r['id'] not in ids:
                sys.exit('regimes_check: regime %s of %s is missing from '
                         'the migrations' % (r['id'], reference))
    else:
        print('note: %s not found; not checking that every reference '
              'regime is present' % reference)
    print('%d regimes ok' % len(rows))


if __name__ == '__main__':
    main()
