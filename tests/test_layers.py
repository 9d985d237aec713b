"""The modules of lisette_like form layers, and every import points down.

The layer order is written once, as a table in `nbs/index.ipynb` (section "How the modules fit"): each row a layer, the
lowest first, with its modules. This test reads every module's imports (at the top and inside functions, since a lazy
import that points up is still a circle) and fails on
- an import of a module in a higher layer, or of one in the same layer that makes a circle;
- a module missing from the table, or a table row naming a module that doesn't exist;
- a class grown with `@patch` from a module other than the one that defines it (a module adding methods from above)."""
import ast, json, re
from pathlib import Path
import pytest

ROOT = Path(__file__).parent.parent
PKG = ROOT/'lisette_like'
mods = sorted(p.stem for p in PKG.glob('*.py') if not p.stem.startswith('_'))

def layer_table()->dict:
    "{module: layer number} from the index notebook's layer table (rows `| n | name | `mod`, `mod` | ...`)"
    nb = json.loads((ROOT/'nbs'/'index.ipynb').read_text())
    md = '\n'.join(''.join(c['source']) for c in nb['cells'] if c['cell_type'] == 'markdown')
    sec = md.split('How the modules fit', 1)[-1]
    res = {}
    for line in sec.splitlines():
        cells = [c.strip() for c in line.strip().strip('|').split('|')]
        if len(cells) < 3 or not cells[0].isdigit(): continue
        for m in re.findall(r'`([a-z_]+)`', cells[2]): res[m] = int(cells[0])
    return res

def imports(mod:str)->set:
    "The lisette_like modules `mod` imports, anywhere in its source"
    tree, res = ast.parse((PKG/f'{mod}.py').read_text()), set()
    for n in ast.walk(tree):
        if isinstance(n, ast.ImportFrom):
            base = n.module or ''
            if n.level == 1: names = [base] if base else [a.name for a in n.names]
            elif base == 'lisette_like': names = [a.name for a in n.names]
            elif base.startswith('lisette_like.'): names = [base.split('.')[1]]
            else: continue
            res |= {x.split('.')[0] for x in names}
        elif isinstance(n, ast.Import):
            res |= {a.name.split('.')[1] for a in n.names if a.name.startswith('lisette_like.')}
    return (res & set(mods)) - {mod}

def patched_classes(mod:str)->set:
    "The classes `mod` grows with fastcore's `@patch` (the annotation of each patched function's first argument)"
    res = set()
    for n in ast.walk(ast.parse((PKG/f'{mod}.py').read_text())):
        if not isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef)) or not n.args.args: continue
        if any('patch' in ast.unparse(d) for d in n.decorator_list) and (a := n.args.args[0].annotation) is not None:
            res |= {ast.unparse(a)}
    return res

def defined_classes(mod:str)->set:
    return {n.name for n in ast.parse((PKG/f'{mod}.py').read_text()).body if isinstance(n, ast.ClassDef)}

def test_every_module_has_a_layer():
    table = layer_table()
    assert table, 'no layer table found in nbs/index.ipynb (a section "How the modules fit" with rows | n | name | `module`, ... |)'
    test_missing = [m for m in mods if m not in table]
    unknown = [m for m in table if m not in mods]
    assert not test_missing and not unknown, f'modules without a layer: {test_missing}; layer rows naming no module: {unknown}'

def test_imports_point_down():
    table = layer_table()
    up = [f'{m} (layer {table[m]}) imports {o} (layer {table[o]})' for m in mods for o in sorted(imports(m))
          if m in table and o in table and table[o] > table[m]]
    assert not up, 'imports that point up:\n' + '\n'.join(up)

def _cycles(graph:dict)->list:
    "The strongly connected components of more than one module (Tarjan)"
    idx, low, stack, on, out, n = {}, {}, [], set(), [], [0]
    def visit(v):
        idx[v] = low[v] = n[0]; n[0] += 1; stack.append(v); on.add(v)
        for w in graph[v]:
            if w not in idx: visit(w); low[v] = min(low[v], low[w])
            elif w in on: low[v] = min(low[v], idx[w])
        if low[v] == idx[v]:
            comp = []
            while True:
                w = stack.pop(); on.discard(w); comp.append(w)
                if w == v: break
            if len(comp) > 1: out.append(sorted(comp))
    for v in graph:
        if v not in idx: visit(v)
    return out

def test_no_import_circles():
    cycles = _cycles({m: imports(m) for m in mods})
    assert not cycles, f'import circles: {cycles}'

def test_cycle_finder_finds_a_circle():
    assert _cycles({'a': {'b'}, 'b': {'c'}, 'c': {'a'}, 'd': {'a'}}) == [['a', 'b', 'c']]
    assert _cycles({'a': {'b'}, 'b': set()}) == []

def test_no_class_grown_from_another_module():
    home = {c: m for m in mods for c in defined_classes(m)}
    bad = [f'{m} adds methods to {c} (defined in {home[c]})' for m in mods for c in sorted(patched_classes(m))
           if c in home and home[c] != m]
    assert not bad, '\n'.join(bad)

def private_imports(mod:str)->list:
    "The private names (`_x`) `mod` takes from other lisette_like modules: `from .other import _x`, or `other._x`"
    tree, res = ast.parse((PKG/f'{mod}.py').read_text()), []
    aliases = {}
    for n in ast.walk(tree):
        if isinstance(n, ast.ImportFrom) and (n.level == 1 or (n.module or '').startswith('lisette_like')):
            src = (n.module or '').split('.')[-1] or '?'
            res += [f'{src}.{a.name}' for a in n.names if a.name.startswith('_') and not a.name.startswith('__')]
            aliases |= {a.asname or a.name: a.name for a in n.names if a.name in mods}
        elif isinstance(n, ast.Import):
            aliases |= {a.asname or a.name: a.name.split('.')[-1] for a in n.names if a.name.startswith('lisette_like.')}
    for n in ast.walk(tree):
        if isinstance(n, ast.Attribute) and n.attr.startswith('_') and not n.attr.startswith('__'):
            base = ast.unparse(n.value)
            if base in aliases and aliases[base] in mods: res.append(f'{aliases[base]}.{n.attr}')
    return sorted(set(res))

def test_private_names_stay_home():
    bad = [f'{m} uses {p}' for m in mods for p in private_imports(m)]
    assert not bad, f'{len(bad)} private names used outside their module (make them public in their home, or move them):\n' + '\n'.join(bad)
