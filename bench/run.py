#!/usr/bin/env python
"""Every streaming, display and per-request figure of issue 13, in one run, as ratios against raw litellm in this process.

    .venv/bin/python bench/run.py            # about 6 minutes
    .venv/bin/python bench/run.py --quick    # under 2 minutes

Requests go over HTTP to `FakeLLM` (OpenAI wire format, `openai/gpt-4.1`) running in a separate process, so its JSON and
SSE work neither shares our GIL nor counts as client time. Raw and ours run interleaved, alternating which goes first,
and we report medians. "Wrapper-only" figures replay chunks litellm really streamed (recorded once) through `Chat` /
`AsyncChat` with `litellm.completion`/`acompletion` replaced, in this process only, by a function handing them back:
what is left is our own code. Writes `bench/results.json` and `bench/stream_cost.png`; the last line printed sums up."""
import os, sys, json, time, asyncio, argparse, statistics, subprocess
from pathlib import Path
os.environ['LITELLM_LOCAL_MODEL_COST_MAP'] = 'True'
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
MODEL, med = 'openai/gpt-4.1', statistics.median

def _text(n): return ''.join(f'w{i%97:02d}xyz ' for i in range(n))  # n pieces of 8 characters (litellm refuses repeated chunks)

def _dispatch(req):
    "The reply to `req`: an answer of N 8-character chunks for a prompt 'BENCH_N=N'"
    from lisette_like.fakellm import Reply
    t = req.last_text
    return Reply(_text(int(t.split('BENCH_N=')[1].split()[0])) if 'BENCH_N=' in t else 'OK', chunk=8)

def serve():
    "FakeLLM answering with `_dispatch`; prints its port, serves until stdin closes"
    import lisette_like.fakellm as fl
    fl._Handler.disable_nagle_algorithm = True
    with fl.FakeLLM() as llm:
        llm.add([_dispatch] * 10_000_000)
        class NoLog(list):
            n = 0
            def append(self, o): self.n += 1
            def __len__(self): return self.n
        llm.requests = NoLog()
        print(llm.port, flush=True)
        sys.stdin.read()

if __name__ == '__main__' and sys.argv[1:] == ['--serve']: sys.exit(serve())

import litellm, httpx
from lisette_like.chat import Chat
from lisette_like.asyncchat import AsyncChat
from lisette_like.format import AsyncStreamFormatter, StreamFormatter, display_stream
from lisette_like import stream as lstream
litellm.suppress_debug_info = True
_real, _areal = litellm.completion, litellm.acompletion

def prompt(n): return f'BENCH_N={n} Write something.'
def msgs(n): return [{'role': 'user', 'content': prompt(n)}]

# ---------------------------------------------------------------- the things timed

def raw(kw, n):
    "Iterate raw `litellm.completion(stream=True)`"
    return sum(1 for _ in litellm.completion(MODEL, msgs(n), stream=True, **kw))

def raw_built(kw, n):
    "Raw, plus `stream_chunk_builder` at the end, as a raw user wanting the complete response would"
    cs = list(litellm.completion(MODEL, msgs(n), stream=True, **kw))
    return litellm.stream_chunk_builder(cs, messages=msgs(n))

def ours(kw, n): return sum(1 for _ in Chat(MODEL, **kw)(prompt(n), stream=True))

async def araw(kw, n): return sum([1 async for _ in await litellm.acompletion(MODEL, msgs(n), stream=True, **kw)])
async def aours(kw, n): return sum([1 async for _ in await AsyncChat(MODEL, **kw)(prompt(n), stream=True)])
async def aours_fmt(kw, n):
    return sum([1 async for _ in AsyncStreamFormatter().format_stream(await AsyncChat(MODEL, **kw)(prompt(n), stream=True))])

def wire(api_base, n):
    "The wire floor: the same stream read with httpx and `json.loads`"
    k = 0
    with httpx.Client() as cl, cl.stream('POST', api_base + '/chat/completions', headers={'authorization': 'Bearer x'},
                                         json=dict(model='gpt-4.1', messages=msgs(n), stream=True)) as r:
        for line in r.iter_lines():
            if line.startswith('data: ') and line[6:] != '[DONE]': json.loads(line[6:]); k += 1
    return k

def pairs(fs, reps, clock=time.perf_counter):
    "Seconds per run of each function in `fs`, interleaved (rotating which goes first), after one warm-up round"
    res = [[] for _ in fs]
    for i in range(reps + 1):
        for j in range(len(fs)):
            k = (i + j) % len(fs)
            t = clock(); fs[k](); dt = clock() - t
            if i: res[k].append(dt)
    return res

def apairs(fs, reps):
    "`pairs` for coroutine functions, in one event loop"
    async def go():
        res = [[] for _ in fs]
        for i in range(reps + 1):
            for j in range(len(fs)):
                k = (i + j) % len(fs)
                t = time.perf_counter(); await fs[k](); dt = time.perf_counter() - t
                if i: res[k].append(dt)
        return res
    return asyncio.run(go())

# ---------------------------------------------------------------- litellm replaced by recorded chunks (wrapper-only)

class replaying:
    "Within this block, `litellm.completion`/`acompletion` hand back `chunks` (or `resp`, unstreamed) at once"
    def __init__(self, chunks=None, resp=None): self.chunks, self.resp = chunks, resp
    def __enter__(self):
        def stub(*a, stream=False, **kw): return iter(self.chunks) if stream else self.resp
        async def astub(*a, stream=False, **kw):
            async def gen():
                for c in self.chunks: yield c
            return gen() if stream else self.resp
        litellm.completion, litellm.acompletion = stub, astub
    def __exit__(self, *exc): litellm.completion, litellm.acompletion = _real, _areal

def record(kw, n):
    "The chunks litellm streams for an answer of `n` pieces"
    return list(_real(MODEL, msgs(n), stream=True, **kw))

def wrapper_us(kw, chunks, reps):
    "Our own µs per chunk, sync and async: recorded chunks through `Chat`/`AsyncChat`, minus iterating them bare"
    n = len(chunks)
    with replaying(chunks):
        r, o = pairs([lambda: sum(1 for _ in iter(chunks)), lambda: ours(kw, 0)], reps)
        ar, ao = apairs([lambda: _aiter_bare(chunks), lambda: aours(kw, 0)], reps)
    return (med(o) - med(r)) / n * 1e6, (med(ao) - med(ar)) / n * 1e6

async def _aiter_bare(chunks): return sum([1 async for _ in await litellm.acompletion(stream=True)])

def history_us(kw, reps, h=400):
    "Our own µs per message already in the history, for one unstreamed call (litellm replaced by its recorded answer)"
    from bench.chat_bench import mk_hist
    resp = _real(MODEL, [{'role': 'user', 'content': 'Hi'}], **kw)
    hist = mk_hist(h)
    c0, ch = Chat(MODEL, **kw), Chat(MODEL, hist=hist, **kw)
    base = list(ch.hist)
    def call0(): c0.hist = []; c0('One more question.')
    def callh(): ch.hist = list(base); ch('One more question.')
    with replaying(resp=resp): t0, th = pairs([call0, callh], reps)
    return (med(th) - med(t0)) / h * 1e6

def display_us(n, naive_max):
    "Display cost per chunk of an n-chunk answer in a notebook: `display_stream` and the naive re-render (display_bench)"
    from bench.display_bench import mk_chunks, raw as fmt_only, naive, timed, StubPub
    from IPython.core.interactiveshell import InteractiveShell
    sh = InteractiveShell.instance(); pub = sh.display_pub = StubPub()
    cs = mk_chunks(n)
    t_raw, _ = timed(fmt_only, cs, pub, 3); t_ours, _ = timed(display_stream, cs, pub, 3)
    t_naive = timed(naive, cs, pub)[0] if n <= naive_max else None
    return dict(format_us=t_raw / n * 1e6, display_us=t_ours / n * 1e6, naive_us=t_naive / n * 1e6 if t_naive else None)

# ---------------------------------------------------------------- CPU per chunk (the moonshot)

def cpu_us(f, n, reps):
    "Process CPU µs per chunk of `f()` (all threads: litellm logs each chunk from a thread pool), median of `reps`"
    f()
    ts = []
    for _ in range(reps):
        t = time.process_time(); f(); ts.append(time.process_time() - t)
    return med(ts) / n * 1e6

def cpu_figures(kw, api_base, n, reps):
    "CPU per chunk: the wire floor, raw litellm and `Chat`, with litellm's defaults and with its per-chunk logging off"
    res = dict(wire=cpu_us(lambda: wire(api_base, n), n, reps), raw=cpu_us(lambda: raw(kw, n), n, reps), chat=cpu_us(lambda: ours(kw, n), n, reps))
    old = litellm.disable_streaming_logging
    litellm.disable_streaming_logging = True  # (here only, to measure it; we never set it in the library)
    try: res.update(raw_nolog=cpu_us(lambda: raw(kw, n), n, reps), chat_nolog=cpu_us(lambda: ours(kw, n), n, reps))
    finally: litellm.disable_streaming_logging = old
    return res

# ---------------------------------------------------------------- the one-shot command

def cli_ratio(runs):
    "Wall time of the offline one-shot command over `python -c 'import litellm'`, medians of interleaved runs"
    env = {k: v for k, v in os.environ.items() if not k.endswith('_API_KEY')}
    exe = str(Path(sys.executable).parent / 'lisette-like')
    cmd = [exe, 'What is 5+3? Use the add tool.', '--tools', 'lisette_like.demo:add']
    imp = [sys.executable, '-c', 'import litellm']
    def run(c): return lambda: subprocess.run(c, env=env, capture_output=True, check=True, cwd=ROOT)
    tc, ti = pairs([run(cmd), run(imp)], runs)
    return dict(cli_s=med(tc), import_litellm_s=med(ti), ratio=med(tc) / med(ti))

# ---------------------------------------------------------------- the run

def plot(rows, path):
    "Streaming and display µs per chunk against the answer's length"
    import matplotlib; matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    ns = [r['n'] for r in rows]
    fig, ax = plt.subplots(figsize=(7, 4.5))
    for k, lbl, st in (('raw_us', 'raw litellm stream (wall)', 'o-'), ('chat_us', 'Chat stream (wall)', 's-'),
                       ('wrapper_us', 'Chat wrapper only (our code)', '^-'), ('display_us', 'display_stream (notebook display)', 'd-'),
                       ('naive_us', 'naive re-render per chunk', 'x--')):
        pts = [(r['n'], r[k]) for r in rows if r.get(k) is not None]
        if pts: ax.plot(*zip(*pts), st, label=lbl)
    ax.set(xscale='log', yscale='log', xlabel='answer length (chunks)', ylabel='µs per chunk',
           title='Streaming and display cost per chunk (OpenAI route, local SSE server)')
    ax.grid(True, which='both', alpha=.3); ax.legend(fontsize=8)
    fig.tight_layout(); fig.savefig(path, dpi=110)

def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--quick', action='store_true', help='fewer repeats and sizes (under 2 minutes)')
    p.add_argument('--out', default=str(Path(__file__).parent / 'results.json'))
    p.add_argument('--png', default=str(Path(__file__).parent / 'stream_cost.png'))
    a = p.parse_args()
    q = a.quick
    reps, big, short_reps = (3, 1000, 20) if q else (9, 2000, 80)
    sizes = [100, 1000, 4000] if q else [100, 500, 2000, 8000]
    srv = subprocess.Popen([sys.executable, __file__, '--serve'], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    api_base = f'http://127.0.0.1:{srv.stdout.readline().strip()}'
    kw = dict(api_base=api_base, api_key='dummy')
    t0, res = time.perf_counter(), dict(date=time.strftime('%Y-%m-%d'), python=sys.version.split()[0], quick=q,
                                        litellm=litellm.__version__ if hasattr(litellm, '__version__') else _version('litellm'))
    try:
        chunks = record(kw, big)
        res['n_chunks'] = len(chunks)
        s, asy = wrapper_us(kw, chunks, reps * 2)
        res['wrapper_us_per_chunk'] = dict(sync=s, async_=asy)
        print(f'wrapper-only µs/chunk: sync {s:.1f}, async {asy:.1f}', flush=True)
        r, rb, o = pairs([lambda: raw(kw, big), lambda: raw_built(kw, big), lambda: ours(kw, big)], reps)
        res['chat_over_raw'] = dict(ratio=med(o) / med(r), over_raw_plus_builder=med(o) / med(rb), raw_s=med(r), chat_s=med(o))
        ar, ao, af = apairs([lambda: araw(kw, big), lambda: aours(kw, big), lambda: aours_fmt(kw, big)], reps)
        res['async_over_raw'] = dict(ratio=med(ao) / med(ar), with_formatter=med(af) / med(ar), raw_s=med(ar))
        print(f"Chat/raw {res['chat_over_raw']['ratio']:.3f}; AsyncChat/raw {res['async_over_raw']['ratio']:.3f}, "
              f"with AsyncStreamFormatter {res['async_over_raw']['with_formatter']:.3f}", flush=True)
        res['history_us_per_message'] = history_us(kw, reps * 4)
        print(f"history: {res['history_us_per_message']:.2f} µs per message", flush=True)
        r, o = pairs([lambda: raw(kw, 20), lambda: ours(kw, 20)], short_reps)
        ar, ao = apairs([lambda: araw(kw, 20), lambda: aours(kw, 20)], short_reps)
        res['short_request_extra_ms'] = dict(sync=(med(o) - med(r)) * 1e3, async_=(med(ao) - med(ar)) * 1e3,
                                             sync_raw_ms=med(r) * 1e3, async_raw_ms=med(ar) * 1e3)
        print(f"short request extra ms: sync {res['short_request_extra_ms']['sync']:.2f}, async {res['short_request_extra_ms']['async_']:.2f}", flush=True)
        res['cpu_us_per_chunk'] = cpu_figures(kw, api_base, big, reps)
        print('CPU µs/chunk: ' + ', '.join(f'{k} {v:.0f}' for k, v in res['cpu_us_per_chunk'].items()), flush=True)
        rows = []
        for n in sizes:
            cs = record(kw, n)
            r, o = pairs([lambda: raw(kw, n), lambda: ours(kw, n)], max(2, reps // 2))
            w, _ = wrapper_us(kw, cs, reps)
            rows.append(dict(n=len(cs), raw_us=med(r) / len(cs) * 1e6, chat_us=med(o) / len(cs) * 1e6, wrapper_us=w,
                             **display_us(len(cs), 4000)))
            print('length', rows[-1], flush=True)
        res['by_length'] = rows
        res['cli'] = cli_ratio(2 if q else 5)
        print(f"CLI: {res['cli']['cli_s']:.2f} s / import litellm {res['cli']['import_litellm_s']:.2f} s = {res['cli']['ratio']:.2f}", flush=True)
    finally:
        srv.stdin.close(); srv.wait(10)
    res['assembly_stats'] = dict(lstream.assembly_stats)
    res['seconds'] = time.perf_counter() - t0
    Path(a.out).write_text(json.dumps(res, indent=2))
    plot(res['by_length'], a.png)
    c, w = res['cpu_us_per_chunk'], res['wrapper_us_per_chunk']
    print(f"wrote {a.out}, {a.png} ({res['seconds']:.0f} s)")
    print(f"KEY: wrapper µs/chunk sync {w['sync']:.1f} async {w['async_']:.1f} | Chat/raw {res['chat_over_raw']['ratio']:.3f} | "
          f"AsyncChat/raw {res['async_over_raw']['ratio']:.3f} fmt {res['async_over_raw']['with_formatter']:.3f} | "
          f"history {res['history_us_per_message']:.2f} µs/msg | short +{res['short_request_extra_ms']['sync']:.2f}/"
          f"+{res['short_request_extra_ms']['async_']:.2f} ms | CLI/import {res['cli']['ratio']:.2f} | CPU µs/chunk wire {c['wire']:.0f} "
          f"raw {c['raw']:.0f} Chat {c['chat']:.0f} (logging off: raw {c['raw_nolog']:.0f} Chat {c['chat_nolog']:.0f}) | "
          f"fallbacks {res['assembly_stats'].get('fallback', 0)}")

def _version(pkg):
    from importlib.metadata import version
    return version(pkg)

if __name__ == '__main__': main()
