__version__ = "0.0.1"
# The package's entry point, kept by hand (nbdev only maintains `__version__` above).
# litellm fetches a price list from the network when imported unless told otherwise: use its bundled copy
# unless the user chose, so importing lisette_like never reaches the network or warns when offline.
import os as _os
_os.environ.setdefault('LITELLM_LOCAL_MODEL_COST_MAP', 'True')

# `from lisette_like import Chat` works without making `import lisette_like` pay for litellm (about 5 s):
# public names are looked up in the modules on first use (PEP 562).
# Importing a submodule binds its name on this package, and that binding wins over `__getattr__`: so no module may
# have the name of a public function (`structured` lives in `structure`, `instrument` in `instrumentation`).
# tests/test_public_names.py checks it, with every public name of every module.
# `_mods` are the library, what `from lisette_like import *` gives. Every other module (the command line, the terminal chat,
# the web page and its parts, the log, the demo, the fake provider's wire formats) is found on disk, so a new module's
# public names are reachable without editing this file; they are looked up after the library's, but not star-imported.
_mods = ('chat', 'asyncchat', 'persist', 'nbfile', 'format', 'live', 'loop', 'options', 'control', 'hist', 'emitter', 'calls', 'buffer', 'retry', 'approval', 'compact', 'msgs', 'responses', 'tool_msgs', 'results', 'mdtext',
         'tools', 'mcptools', 'schemas', 'stream', 'chunks', 'assembly', 'stream_end', 'cite', 'usage', 'events', 'structure', 'errors', 'switch', 'basics', 'fakellm')

def load_ipython_extension(ip):
    "`%load_ext lisette_like`: the `%chat` and `%%chat` magics (see `lisette_like.magics`)"
    from .magics import load_magics  # only now: importing lisette_like loads nothing
    load_magics(ip)

def _modules()->list:
    "The names of every submodule: the library's first, then the others in alphabetical order"
    import pkgutil
    return list(_mods) + sorted(m.name for m in pkgutil.iter_modules(__path__) if m.name not in _mods and not m.name.startswith('_'))

def __getattr__(name):
    import importlib
    if name == '__all__':  # `from lisette_like import *`: everything public, from every library module
        return [n for m in _mods for n in importlib.import_module(f'{__name__}.{m}').__all__]
    if name.startswith('_'): raise AttributeError(name)
    for m in _modules():
        mod = importlib.import_module(f'{__name__}.{m}')
        if name in getattr(mod, '__all__', ()): return getattr(mod, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
