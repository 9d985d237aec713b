"Importing lisette_like leaves litellm as it found it: the same functions, stream class, response classes and finish-reason map"
import subprocess, sys, textwrap

_check = textwrap.dedent('''
    import importlib, pkgutil, json
    import litellm
    from litellm.litellm_core_utils.streaming_handler import CustomStreamWrapper
    from litellm.litellm_core_utils import core_helpers
    from litellm import ModelResponse, ModelResponseStream
    from litellm.types.utils import ModelResponseBase

    def snap():
        "Everything of litellm's that an import could patch, by identity (and the finish-reason map by value too)"
        classes = (CustomStreamWrapper, ModelResponse, ModelResponseStream, ModelResponseBase)
        return dict(public={k: v for k, v in vars(litellm).items() if not k.startswith('_') and callable(v)},
                    members={f'{c.__name__}.{k}': v for c in classes for k, v in vars(c).items()},
                    fr_map=core_helpers._FINISH_REASON_MAP, fr_items=dict(core_helpers._FINISH_REASON_MAP),
                    map_fn=core_helpers.map_finish_reason,
                    callbacks=[list(litellm.callbacks), list(litellm.success_callback), list(litellm.failure_callback)])

    before = snap()
    import lisette_like
    mods = [m.name for m in pkgutil.iter_modules(lisette_like.__path__)]
    for m in mods: importlib.import_module(f'lisette_like.{m}')
    after = snap()
    changed = [k for k, v in before['public'].items() if after['public'].get(k) is not v]
    changed += [k for k, v in before['members'].items() if after['members'].get(k) is not v]
    changed += [k for k in after['members'] if k not in before['members']]
    changed += [k for k in ('fr_map', 'map_fn') if after[k] is not before[k]]
    changed += [k for k in ('fr_items', 'callbacks') if after[k] != before[k]]
    print(json.dumps(dict(mods=mods, changed=changed)))
''')

def test_import_changes_nothing_in_litellm():
    r = subprocess.run([sys.executable, '-c', _check], capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    import json
    res = json.loads(r.stdout.strip().splitlines()[-1])
    assert {'chat', 'asyncchat', 'msgs', 'stream', 'format', 'cli'} <= set(res['mods']), res['mods']
    assert res['changed'] == [], f'importing lisette_like changed litellm: {res["changed"]}'
