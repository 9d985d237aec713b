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
# `_mods` gives `from lisette_like import *` (the library); `_more` are the command line, the terminal chat, the web page
# (and its parts: `sse`, `web_guard`, `web_page`), what those three share (`launch`), the log and the demo,
# whose names are found here too but not star-imported.
_mods = ('chat', 'asyncchat', 'persist', 'format', 'msgs', 'tools', 'stream', 'cite', 'usage', 'events', 'structure', 'errors', 'switch', 'basics', 'fakellm')
_more = ('log', 'resume', 'instrumentation', 'wire', 'cli', 'term', 'web', 'demo', 'launch', 'sse', 'web_guard', 'web_page')

def __getattr__(name):
    import importlib
    if name == '__all__':  # `from lisette_like import *`: everything public, from every library module
        return [n for m in _mods for n in importlib.import_module(f'{__name__}.{m}').__all__]
    if name.startswith('_'): raise AttributeError(name)
    for m in _mods + _more:
        mod = importlib.import_module(f'{__name__}.{m}')
        if name in getattr(mod, '__all__', ()): return getattr(mod, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
