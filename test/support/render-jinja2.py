#!/usr/bin/env python3
"""Render a Jinja2 template with real Jinja2 (python3-jinja2), as postfix-tls-lint --vars renders it with nunjucks.

Usage: render-jinja2.py TEMPLATE VARS.yml  -> the rendering on stdout (bytes as latin-1 in, UTF-8 values).
Settings as Ansible's template module: trim_blocks on, the final newline kept. The few Ansible filters
templates use are defined the same way as in src/template/jinja-render.ts, so a difference is the engine's.
"""
import json
import re
import sys

import jinja2
import yaml


def to_bool(v):
    if isinstance(v, str):
        return v.lower() in ('yes', 'on', '1', 'true', 'y', 't')
    return v is True or v == 1


def comment(v):
    return '#\n# ' + '\n# '.join(str(v).split('\n')) + '\n#'


def mandatory(v):
    if isinstance(v, jinja2.Undefined):
        raise jinja2.UndefinedError('Mandatory variable not defined.')
    return v


env = jinja2.Environment(trim_blocks=True, keep_trailing_newline=True, autoescape=False)
env.filters.update({
    'bool': to_bool,
    'ternary': lambda v, a, b: a if v else b,
    'comment': comment,
    'mandatory': mandatory,
    'regex_replace': lambda v, r, b='': re.sub(r, b, str(v)),
    'to_json': json.dumps,
})
with open(sys.argv[1], encoding='latin-1') as f:
    source = f.read()
with open(sys.argv[2], encoding='utf-8') as f:
    values = yaml.safe_load(f) or {}
out = env.from_string(source).render(**values)
sys.stdout.buffer.write(out.encode('latin-1', errors='strict') if all(ord(c) < 256 for c in out) else out.encode('utf-8'))
