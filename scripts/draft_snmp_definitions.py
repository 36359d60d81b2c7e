#!/usr/bin/env python3
"""Drafts share/snmp/definitions/*.textproto from a corpus of recordings.

For each family (NAME.snmprec + NAME.json with the family's expected
hardware/serial/version), finds which vendor MIB object or which part of
sysDescr holds each value, and writes a definition that matches the family by
sysObjectID prefix (the enterprise, or the shortest prefix that tells it apart
from the other families of the same enterprise) and reads the value from that
object or with a sysDescr regex generalised from the value's context. The
result is a draft to review: the facts (which OID holds the serial) are the
device's, the files are Estate's. Hand-written files (marked "# curated") are
never overwritten.

usage: draft_snmp_definitions.py CORPUS_DIR OUT_DIR
"""
import glob
import json
import os
import re
import sys

SKIP_STD = ('1.3.6.1.2.1.1.', '1.3.6.1.2.1.2.', '1.3.6.1.2.1.31.', '1.3.6.1.2.1.25.4.',
            '1.3.6.1.2.1.25.6.', '1.3.6.1.2.1.4.', '1.3.6.1.2.1.17.', '1.0.8802.',
            '1.3.6.1.2.1.10.', '1.3.6.1.6.', '1.3.6.1.2.1.3.', '1.3.6.1.2.1.16.',
            '1.3.6.1.2.1.25.2.', '1.3.6.1.2.1.43.11.', '1.3.6.1.2.1.47.1.1.1.1.', '1.3.6.1.2.1.25.3.')
PLACEHOLDERS = {'', '0', 'n/a', 'unknown', 'none', 'generic x86 64-bit', 'generic mips',
                'modelnumber', 'serialnumber', '888888', '9999999999', 'amd64'}


def value(tag, v):
    if tag.endswith('x'):
        try:
            return bytes.fromhex(v).decode('utf-8', 'replace')
        except ValueError:
            return v
    return v


def load(path):
    rec = {}
    for line in open(path, encoding='utf-8', errors='replace'):
        p = line.rstrip('\n').split('|', 2)
        if len(p) == 3:
            x = value(p[1], p[2]).strip().strip('\x00').strip()
            if len(x) >= 2 and x[0] == x[-1] == '"':
                x = x[1:-1]
            rec[p[0]] = (p[1], x)
    return rec


def key(o):
    return [int(x) for x in o.split('.') if x.isdigit()]


def gen_digits(s):
    return re.sub(r'(\\?\d)+', r'\\d+', re.escape(s))


def shape(token):
    """A token as a regex: words stay literal, anything with digits is \S+."""
    if re.fullmatch(r'[A-Za-z][A-Za-z_-]*[:=#]?', token):
        return re.escape(token)
    return r'\S+'


def pre_candidates(pre):
    if pre.strip() == '':
        yield '^' + (r'\s*' if pre else '')
        return
    m = re.search(r'(?:^|(?<=[\s,;(]))((?:[A-Za-z][A-Za-z/_-]*[:=#]?\s*){1,2})$', pre)
    if m and m.group(1).strip():
        yield re.sub(r'(\\ )+', r'\\s+', re.escape(m.group(1)))
    m2 = re.search(r'(?:^|(?<=[\s,;(]))([A-Za-z][A-Za-z_-]*\s*[:=(,;/]\s*)$', pre)
    if m2:
        yield re.sub(r'(\\ )+', r'\\s*', re.escape(m2.group(1)))
    # Positional: the words before it by shape ("^SiteBoss\s+\S+\s+").
    toks = re.findall(r'\S+|\s+', pre)
    if len(toks) <= 8 and pre[-1:].isspace():
        out = '^'
        for t in toks:
            out += r'\s+' if t.isspace() else shape(t)
        yield out


def post_candidates(v, post):
    if re.search(r'\s', v):
        if not post:
            yield r'(.+?)\s*$'
            return
        yield r'(\S+' + r'(?:\s+\S+)' * len(v.split()[1:]) + ')'
        m = re.match(r'(\s*)([^\sA-Za-z0-9]*)(\s*)(\S)?', post)
        sep = re.escape(m.group(1) + m.group(2) + m.group(3)).replace('\\ ', r'\s')
        nxt = m.group(4) or ''
        cls = r'\d' if nxt.isdigit() else ('[A-Za-z]' if nxt.isalpha() else re.escape(nxt))
        yield '(.+?)' + sep + cls
        yield '(.+?)' + sep
        return
    if post and post[0].isalnum():
        return
    yield r'([^\s,;]+)' if not re.search(r'[,;]', v) else r'(\S+)'
    if post and post[0] in ')]':
        yield r'([^\s,;()\[\]]+)'


def context_regex(text, v):
    """A regex capturing v in text from its context, generalised; None if fragile."""
    i = text.find(v)
    if i < 0:
        return None
    pre, post = text[:i], text[i + len(v):]
    for pre_re in pre_candidates(pre):
        if re.fullmatch(r'\^?(Linux|FreeBSD|Darwin|SunOS|NetBSD|OpenBSD)\\s\+', pre_re):
            continue  # the next word is the host name
        if pre_re.startswith('^Linux') or pre_re.startswith('^FreeBSD'):
            continue
        for cap in post_candidates(v, post):
            rx = (pre_re + cap).replace('\\ ', ' ')
            try:
                m = re.search(rx, text, re.I)
            except re.error:
                continue
            if m and m.group(1).strip() == v.strip():
                return rx
    return None


def first_row(rec, oid):
    parent = oid.rsplit('.', 1)[0]
    rows = sorted((o for o in rec if o.startswith(parent + '.') and o.count('.') == oid.count('.')),
                  key=key)
    for o in rows:
        if rec[o][1]:
            return o == oid, parent
    return False, parent


def sources(rec, descr, v, enterprise):
    """Candidate sources for value v, best first."""
    out = []
    if not v or v.strip().lower() in PLACEHOLDERS:
        return out
    v = v.strip()
    cands = []
    for o, (tag, x) in rec.items():
        if o.startswith(SKIP_STD) and not o.startswith('1.3.6.1.2.1.47.1.1.1.1.') \
                and not o.startswith('1.3.6.1.2.1.25.3.2.1.3.'):
            continue
        if o.startswith('1.3.6.1.2.1.1.'):
            continue
        if not x or len(x) > 400:
            continue
        exact = x == v
        if not exact and v not in x:
            continue
        rank = 0 if o.startswith('1.3.6.1.4.1.%s.' % enterprise) else (1 if o.startswith('1.3.6.1.4.1.') else 2)
        cands.append((0 if exact else 1, rank, o.count('.'), o, x, exact))
    cands.sort(key=lambda c: c[:3])
    for _, _, _, o, x, exact in cands[:6]:
        if o.startswith('1.3.6.1.4.1.8072.1.3.2.'):
            src = {'get': o}  # nsExtend output, named rows: the name is the convention
        elif o.endswith('.0'):
            src = {'get': o}
        else:
            is_first, parent = first_row(rec, o)
            if is_first:
                src = {'first': parent}
            elif int(o.rsplit('.', 1)[1]) <= 4:
                src = {'get': o}
            else:
                continue
        if not exact:
            rx = context_regex(x, v)
            if not rx:
                continue
            src['regex'] = rx
        if src not in out:
            out.append(src)
        if len(out) >= 2:
            break
    if descr and v in descr and len(out) < 2:
        rx = context_regex(descr, v)
        if rx:
            out.append({'sys_descr': True, 'regex': rx})
    return out


def estate_type(t, os_name, rec):
    n = os_name.lower()
    if t == 'network':
        return 'network'
    if t == 'wireless':
        if re.search(r'wlc|controller|sz|mobility|mss|wism|instant|unleashed|vsz', n):
            return 'wireless_controller'
        return 'access_point'
    if t == 'power':
        if 'pdu' in n or 'sentry' in n or 'rpdu' in n or 'ipoman' in n or 'webpower' in n or 'gude' in n:
            return 'pdu'
        if 'ups' in n or any(o.startswith('1.3.6.1.2.1.33.1.1.') for o in rec):
            return 'ups'
        return 'power'
    if t == 'management':
        if re.search(r'ilo|drac|imm|irmc|cimc|bmc|xclarity', n):
            return 'bmc'
        return 'management'
    return {'loadbalancer': 'load_balancer', 'collaboration': 'phone'}.get(t, t)


def quote(s):
    out = []
    for ch in s:
        if ch == '\\':
            out.append('\\\\')
        elif ch == '"':
            out.append('\\"')
        elif ch == '\n':
            out.append('\\n')
        elif ch == '\r':
            out.append('\\r')
        elif ch == '\t':
            out.append('\\t')
        elif ord(ch) < 32:
            out.append('\\%03o' % ord(ch))
        else:
            out.append(ch)
    return '"' + ''.join(out) + '"'


def brand_table(path):
    table, name = {}, None
    for line in open(path):
        m = re.match(r'\s*name: "(.*)"', line)
        if m:
            name = m.group(1)
        m = re.match(r'\s*enterprise: (\d+)', line)
        if m:
            table[m.group(1)] = name
    return table


def main():
    corpus, out_dir = sys.argv[1], sys.argv[2]
    brands = brand_table(os.path.join(out_dir, '..', 'brands.textproto'))
    fams = []
    for j in sorted(glob.glob(os.path.join(corpus, '*.json'))):
        name = os.path.basename(j)[:-5]
        try:
            dev = json.load(open(j))['os']['discovery']['devices'][0]
        except (KeyError, IndexError, TypeError, ValueError):
            continue
        rec = load(os.path.join(corpus, name + '.snmprec'))
        oid = (rec.get('1.3.6.1.2.1.1.2.0', ('', ''))[1] or dev.get('sysObjectID') or '').lstrip('.')
        descr = rec.get('1.3.6.1.2.1.1.1.0', ('', ''))[1]
        if len(descr) >= 2 and descr[0] == descr[-1] == '"':
            descr = descr[1:-1]  # quotes some agents send around it
        fams.append((dev.get('os') or name, dev, rec, oid, descr))
    by_ent = {}
    for f in fams:
        a = f[3].split('.')
        if a[:6] == ['1', '3', '6', '1', '4', '1'] and len(a) > 6:
            by_ent.setdefault(a[6], []).append(f)
    written = 0
    for os_name, dev, rec, oid, descr in fams:
        path = os.path.join(out_dir, re.sub(r'[^a-z0-9_-]', '_', os_name.lower()) + '.textproto')
        if os.path.exists(path) and '# curated' in open(path).read():
            continue
        a = oid.split('.')
        lines = ['# %s: drafted from a recording of one device of the family, reviewed.' % os_name]
        matchers = []
        ent = a[6] if a[:6] == ['1', '3', '6', '1', '4', '1'] and len(a) > 6 else None
        generic = ent in ('8072', '2021') or ent is None
        has_oid = None
        if not generic:
            others = [f[3] for f in by_ent.get(ent, []) if f[3] != oid]
            prefix = None
            for n in range(7, len(a) + 1):
                p = '.'.join(a[:n])
                if not any(o == p or o.startswith(p + '.') for o in others):
                    prefix = p
                    break
            if prefix is None or prefix.count('.') + 1 >= len(a):
                prefix = '.'.join(a[:min(len(a), 8)]) if others else '.'.join(a[:7])
            matchers.append('sys_object_id: %s' % quote(prefix))
        else:
            # A shared agent OID: the family answers its own enterprise MIB.
            ents = {}
            for o in rec:
                b = o.split('.')
                if b[:6] == ['1', '3', '6', '1', '4', '1'] and len(b) > 7 and b[6] not in ('8072', '2021', '4413'):
                    ents[b[6]] = ents.get(b[6], 0) + 1
            if ents and oid:
                e = max(ents, key=ents.get)
                has_oid = '1.3.6.1.4.1.' + e
                if e in brands:
                    lines.append('brand: %s' % quote(brands[e]))
                matchers.append('sys_object_id: %s' % quote('.'.join(a[:7]) if a[:6] == ['1','3','6','1','4','1'] else '.'.join(a[:len(a)])))
                matchers.append('has_oid: %s' % quote(has_oid))
            else:
                # Only sysDescr tells it apart: its first word, when that is a
                # product name rather than an OS followed by a host name.
                w = re.match(r'([A-Za-z][A-Za-z0-9_-]{2,})\b', descr or '')
                if not w or w.group(1).lower() in ('linux', 'freebsd', 'sunos', 'darwin', 'netbsd',
                                                   'openbsd', 'hardware', 'software', 'snmp'):
                    continue
                if oid:
                    # The whole shared agent OID: as specific as the generic OS family.
                    matchers.append('sys_object_id: %s' % quote(oid))
                matchers.append('sys_descr: %s' % quote('^' + re.escape(w.group(1)) + r'\b'))
        fields = {}
        for field, k in (('model', 'hardware'), ('serial', 'serial'), ('firmware', 'version')):
            fields[field] = sources(rec, descr, (dev.get(k) or ''), ent or '')
        t = estate_type(dev.get('type') or '', os_name, rec)
        if t:
            lines.append('type: %s' % quote(t))
        lines += matchers
        for field in ('model', 'serial', 'firmware'):
            for s in fields[field]:
                parts = []
                for k2 in ('get', 'first'):
                    if k2 in s:
                        parts.append('%s: %s' % (k2, quote(s[k2])))
                if s.get('sys_descr'):
                    parts.append('sys_descr: true')
                if 'regex' in s:
                    parts.append('regex: %s' % quote(s['regex']))
                lines.append('%s { %s }' % (field, ' '.join(parts)))
        open(path, 'w').write('\n'.join(lines) + '\n')
        written += 1
    print('wrote', written, 'definitions')


if __name__ == '__main__':
    main()
