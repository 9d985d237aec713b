"Every public name of every module is the same object from `lisette_like` as in its home module, however and whenever it is imported"
import json, subprocess, sys, textwrap

_check = textwrap.dedent('''
    import importlib, json, pkgutil, sys
    first = sys.argv[1]
    import lisette_like
    mods = [m.name for m in pkgutil.iter_modules(lisette_like.__path__) if not m.name.startswith('_')]
    early = {}
    if first == 'names':  # look every public name up before any module is imported (module lists read from the files)
        import ast, pathlib
        for m in mods:
            src = pathlib.Path(lisette_like.__path__[0], m + '.py').read_text()
            alls = [n.value for n in ast.walk(ast.parse(src)) if isinstance(n, ast.Assign) and any(getattr(t, 'id', '') == '__all__' for t in n.targets)]
            for n in (ast.literal_eval(alls[0]) if alls else []): early[n] = getattr(lisette_like, n)
    else:  # the reported case: a name imported first, then the submodules
        from lisette_like import Chat
    for m in mods: importlib.import_module(f'lisette_like.{m}')
    bad, homes = [], {}
    for m in mods:
        mod = sys.modules[f'lisette_like.{m}']
        for n in getattr(mod, '__all__', []):
            homes.setdefault(n, []).append(m)
            o = getattr(mod, n)
            ns = {}
            exec(f'from lisette_like import {n}', ns)
            if getattr(lisette_like, n) is not o: bad.append(f'lisette_like.{n} is not lisette_like.{m}.{n}')
            if ns[n] is not o: bad.append(f'from lisette_like import {n}: not lisette_like.{m}.{n}')
            if n in early and early[n] is not o: bad.append(f'lisette_like.{n} looked up first is not lisette_like.{m}.{n}')
    for n, ms in homes.items():  # a name in several modules' __all__ must be one object (a re-export), or one of them loses
        objs = {id(getattr(sys.modules[f'lisette_like.{m}'], n)) for m in ms}
        if len(objs) > 1: bad.append(f'{n} is a different object in {", ".join(ms)}')
    bad += [f'module lisette_like.{m} has the name of a public name' for m in mods if m in homes]
    print(json.dumps(dict(mods=mods, names=len(homes), early=len(early), bad=bad)))
''')

def _run(first):
    r = subprocess.run([sys.executable, '-c', _check, first], capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout.strip().splitlines()[-1])

def test_names_after_submodules():
    "After `from lisette_like import Chat` and importing every submodule, each public name is its home module's object"
    res = _run('chat')
    assert {'chat', 'structure', 'instrumentation', 'log', 'cli', 'web'} <= set(res['mods']), res['mods']
    assert res['names'] > 100, res
    assert res['bad'] == [], res['bad']

def test_names_before_submodules():
    "Looked up on the package before any submodule is imported, each public name is the same object as after"
    res = _run('names')
    assert res['early'] == res['names'], res
    assert res['bad'] == [], res['bad']
