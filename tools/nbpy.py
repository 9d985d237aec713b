#!/usr/bin/env python
"""Convert between notebooks and a plain-text cell format, for editing notebooks outside Jupyter.

    python tools/nbpy.py py2nb src.txt nbs/00_msgs.ipynb   # text -> notebook (atomic write)
    python tools/nbpy.py nb2py nbs/00_msgs.ipynb src.txt   # notebook -> text

Format: a cell starts with a line `#%%` (code) or `#%% md` (markdown); everything up to the next marker is the
cell's source, verbatim. Outputs of code cells whose source is unchanged are kept when converting back."""
import json, os, sys, tempfile
from pathlib import Path

def parse_cells(text):
    cells, cur = [], None
    for line in text.splitlines(keepends=True):
        s = line.rstrip('\n')
        if s in ('#%%', '#%% md'):
            cur = dict(cell_type='markdown' if s.endswith('md') else 'code', lines=[])
            cells.append(cur)
        elif cur is not None: cur['lines'].append(line)
    for c in cells:
        src = ''.join(c.pop('lines')).strip('\n')
        c['source'] = src
    return cells

def py2nb(src, dest):
    cells = parse_cells(Path(src).read_text())
    old = {}
    if Path(dest).exists():
        try:
            for c in json.loads(Path(dest).read_text())['cells']:
                if c['cell_type']=='code': old[''.join(c['source'])] = c
        except Exception: pass
    nbcells = []
    for c in cells:
        src_lines = c['source'].splitlines(keepends=True)
        if c['cell_type']=='code':
            prev = old.get(c['source'])
            nbcells.append(dict(cell_type='code', execution_count=None, metadata={},
                                outputs=prev['outputs'] if prev else [], source=src_lines))
        else: nbcells.append(dict(cell_type='markdown', metadata={}, source=src_lines))
    nb = dict(cells=nbcells, metadata=dict(kernelspec=dict(display_name='python3', language='python', name='python3')),
              nbformat=4, nbformat_minor=5)
    d = Path(dest).parent
    fd, tmp = tempfile.mkstemp(dir=d, suffix='.tmp')
    with os.fdopen(fd, 'w') as f: json.dump(nb, f, indent=1, ensure_ascii=False); f.write('\n')
    os.replace(tmp, dest)

def nb2py(src, dest):
    nb = json.loads(Path(src).read_text())
    out = []
    for c in nb['cells']:
        out.append('#%% md' if c['cell_type']=='markdown' else '#%%')
        out.append(''.join(c['source']))
    Path(dest).write_text('\n'.join(out)+'\n')

if __name__=='__main__':
    cmd, a, b = sys.argv[1:4]
    {'py2nb': py2nb, 'nb2py': nb2py}[cmd](a, b)
