#!/usr/bin/env python
"""Convert between notebooks and a plain-text cell format, for editing notebooks outside Jupyter.

    python tools/nbpy.py py2nb src.txt nbs/00_msgs.ipynb   # text -> notebook (atomic write)
    python tools/nbpy.py nb2py nbs/00_msgs.ipynb src.txt   # notebook -> text

Format: a cell starts with a line `#%%` (code) or `#%% md` (markdown); everything up to the next marker is the
cell's source, verbatim. Converting back keeps the cell ids of unchanged and edited cells (so diffs and merges stay small)
and the outputs of code cells whose source is unchanged."""
import difflib, json, os, sys, tempfile
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

def _old_cells(dest):
    "The cells of notebook `dest` as it is now ([] if there is none or it can't be read)"
    try: return json.loads(Path(dest).read_text())['cells']
    except Exception: return []

def _keep_ids(cells, old):
    "Give each new cell the id of the old cell it continues: the same source, or an edited cell in the same place of a changed run"
    src = lambda c: (c['cell_type'], ''.join(c['source']) if isinstance(c['source'], list) else c['source'])
    sm = difflib.SequenceMatcher(None, [src(c) for c in old], [src(c) for c in cells], autojunk=False)
    for op, i1, i2, j1, j2 in sm.get_opcodes():
        if op not in ('equal', 'replace'): continue
        for o, c in zip(old[i1:i2], cells[j1:j2]):
            if 'id' in o: c['id'] = o['id']
            if op == 'equal' and c['cell_type'] == 'code': c['outputs'] = o.get('outputs', [])

def py2nb(src, dest):
    cells, nbcells = parse_cells(Path(src).read_text()), []
    for c in cells:
        src_lines = c['source'].splitlines(keepends=True)
        if c['cell_type']=='code': nbcells.append(dict(cell_type='code', execution_count=None, metadata={}, outputs=[], source=src_lines))
        else: nbcells.append(dict(cell_type='markdown', metadata={}, source=src_lines))
    _keep_ids(nbcells, _old_cells(dest))
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
