#!/usr/bin/env python
"""Every streaming, display and per-request figure of issue 13, in one run, as ratios against raw litellm in this process.

    .venv/bin/python bench/run.py            # about 10 minutes
    .venv/bin/python bench/run.py --quick    # about 3.5 minutes

Requests go over HTTP to `FakeLLM` (OpenAI wire format, `openai/gpt-4.1`) running in a separate process, so its JSON and
SSE work neither shares our GIL nor counts as client time. Raw and ours run interleaved, alternating which goes first,
and we report medians. "Wrapper-only" figures replay chunks litellm really streamed (recorded once) through `Chat` /
`AsyncChat` with `litellm.completion`/`acompletion` replaced, in this process only, by a function handing them back:
what is left is our own code. "Raw" sends the options `Chat` sends (a spy sees them: `stream_options={'include_usage':
True}`, `timeout`, `temperature`); "bare raw" is `litellm.completion(stream=True)` with litellm's defaults, beside it.
Also: where a short request's time goes (inside litellm, or in our code between its calls),
200 conversations streaming at once, memory per idle chat, the terminal chat's time to its prompt (under a
pseudo-terminal), and the one-shot command against `import litellm` and against a raw litellm script doing its work.
Writes `bench/results.json` and `bench/stream_cost.png`; the last line printed sums up."""
import os, sys, gc, json, time, pickle, select, asyncio, argparse, statistics, subprocess, tracemalloc, fcntl, struct, termios
from pathlib import Path
os.environ['LITELLM_LOCAL_MODEL_COST_MAP'] = 'True'
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
MODEL, med = 'openai/gpt-4.1', statistics.median

def _text(n): return ''.join(f'w{i%97:02d}xyz ' for i in range(n))  # n pieces of 8 characters (litellm refuses repeated chunks)

def _dispatch(req):
    "The reply to `req`: an answer of N 8-character chunks for a prompt 'BENCH_N=N', the demo's if it offers tools, else 'OK'"
    from lisette_like.fakellm import Reply
    from lisette_like.demo import demo_reply, add
    t = req.last_text
    if 'BENCH_N=' in t: return Reply(_text(int(t.split('BENCH_N=')[1].split()[0])), chunk=8)
    return demo_reply([add], req) if req.body.get('tools') else Reply('OK', chunk=8)

def serve():
    "FakeLLM answering with `_dispatch`; prints its port, serves until stdin closes"
    import lisette_like.fakellm as fl
    fl._Handler.disable_nagle_algorithm = True
    fl._Server.request_queue_size = 1024  # 200 streams connect at once: a backlog of 5 drops SYNs (retried after 1, 3, 7… s)
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
from lisette_like.format import AsyncStreamFormatter, StreamFormatter
from lisette_like.live import display_stream
from lisette_like import assembly as lassembly
litellm.suppress_debug_info = True
_real, _areal = litellm.completion, litellm.acompletion

ONESHOT = ['What is 5+3? Use the add tool.', '--tools', 'lisette_like.demo:add']  # the one-shot command of issue 13

def prompt(n): return f'BENCH_N={n} Write something.'
def msgs(n): return [{'role': 'user', 'content': prompt(n)}]

# ---------------------------------------------------------------- the things timed

def raw(kw, n):
    "Iterate raw `litellm.completion(stream=True)` with options `kw` (what `Chat` sends, or only `api_base`/`api_key`: bare)"
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
    """Seconds per run of each function in `fs`, interleaved (rotating which goes first), after one warm-up round; the
    garbage of one run is collected before the next, untimed, so that it is never charged to whichever runs next"""
    res = [[] for _ in fs]
    for i in range(reps + 1):
        for j in range(len(fs)):
            k = (i + j) % len(fs)
            gc.collect()
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
                gc.collect()
                t = time.perf_counter(); await fs[k](); dt = time.perf_counter() - t
                if i: res[k].append(dt)
        return res
    return asyncio.run(go())

# ---------------------------------------------------------------- what Chat really sends

class spying:
    "Within this block, `litellm.completion`/`acompletion` work as usual, the keyword arguments of each call kept in `calls`"
    def __enter__(self):
        self.calls = []
        def spy(*a, **kw): self.calls.append(kw); return _real(*a, **kw)
        async def aspy(*a, **kw): self.calls.append(kw); return await _areal(*a, **kw)
        litellm.completion, litellm.acompletion = spy, aspy
        return self
    def __exit__(self, *exc): litellm.completion, litellm.acompletion = _real, _areal

def chat_sends(kw):
    "The options `Chat` and `AsyncChat` pass litellm for a stream, besides model, messages and `stream` (seen by a spy)"
    with spying() as s: ours(kw, 5); asyncio.run(aours(kw, 5))
    return [{k: v for k, v in c.items() if k not in ('model', 'messages', 'stream')} for c in s.calls]

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

def history_us(kw, reps, h=2000):
    """Our own µs per message already in the history, for one unstreamed call (litellm replaced by its recorded answer); `h`
    messages, so that this machine's noise of a few tenths of a millisecond per call stays well below 0.5 µs a message"""
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

# ---------------------------------------------------------------- many conversations at once

def proc_cpu(pid):
    "CPU seconds process `pid` has used so far, all its threads (from /proc)"
    f = Path(f'/proc/{pid}/stat').read_text().rsplit(')', 1)[1].split()
    return (int(f[11]) + int(f[12])) / os.sysconf('SC_CLK_TCK')

class gc_clock:
    "Within this block, the seconds spent in garbage collection (`s`) and how many full collections ran (`full`)"
    def __call__(self, phase, info):
        if phase == 'start': self.t = time.perf_counter(); return
        self.s += time.perf_counter() - self.t
        self.full += info['generation'] == 2
    def __enter__(self):
        self.s, self.full = 0.0, 0
        gc.callbacks.append(self)
        return self
    def __exit__(self, *exc): gc.callbacks.remove(self)

def scale_figures(kw, req, server_pid, n, conc, reps):
    """`conc` `AsyncChat` conversations streaming `n`-piece answers at once against `conc` raw `acompletion` streams (options
    `req`): throughput, the server's and this process's CPU share (1 = one core), time in garbage collection per round"""
    chunks = asyncio.run(araw(req, n))  # litellm's chunks per answer: the count both sides' throughput is in
    gcs = dict(raw=[], chat=[])
    async def at_once(side, f):
        with gc_clock() as g: counts = await asyncio.gather(*(f() for _ in range(conc)))
        assert min(counts) >= chunks, f'a stream ended early: {min(counts)} of {chunks} chunks'
        gcs[side].append(g)
    c0, p0, t0 = proc_cpu(server_pid), time.process_time(), time.perf_counter()
    r, o = apairs([lambda: at_once('raw', lambda: araw(req, n)), lambda: at_once('chat', lambda: aours(kw, n))], reps)
    wall = time.perf_counter() - t0
    total, timed = chunks * conc, {k: v[1:] for k, v in gcs.items()}  # (the first round is the warm-up)
    return dict(conversations=conc, chunks_per_answer=chunks, raw_chunks_per_s=total / med(r), chat_chunks_per_s=total / med(o),
                ratio=med(r) / med(o), raw_round_s=med(r), chat_round_s=med(o),
                server_cpu_share=(proc_cpu(server_pid) - c0) / wall, bench_cpu_share=(time.process_time() - p0) / wall,
                **{f'{k}_gc_s_per_round': med(g.s for g in v) for k, v in timed.items()},
                **{f'{k}_full_gcs_per_round': med(g.full for g in v) for k, v in timed.items()})

# ---------------------------------------------------------------- memory per idle chat

def _snapshot():
    "A tracemalloc snapshot after a full garbage collection"
    gc.collect()
    return tracemalloc.take_snapshot()

def _bytes(new, old): return sum(d.size_diff for d in new.compare_to(old, 'filename'))

def _site(tb):
    "An allocation site as 'file:line', the file relative to site-packages, the repo or the standard library"
    f = tb[0].filename
    for root in ('site-packages/', str(ROOT) + '/', os.path.dirname(os.__file__) + '/'):
        if root in f: f = f.split(root, 1)[1]; break
    return f'{f}:{tb[0].lineno}'

async def _idle_chats(kw, n, pieces):
    "`n` `AsyncChat`s that each finished one streamed turn, answered in `pieces` pieces"
    cs = [AsyncChat(MODEL, **kw) for _ in range(n)]
    for c in cs: [_ async for _ in await c(prompt(pieces), stream=True)]
    return cs

def idle_memory(kw, n, pieces=5):
    """KB per idle `AsyncChat` after one `pieces`-piece answer: memory freed when `n` of them go, minus that of copies of their
    histories (pickled and loaded back, so that their strings are new too, which a deep copy's are not); and the top sites"""
    asyncio.run(_idle_chats(kw, 3, pieces))  # lazy imports and litellm's caches, before counting
    tracemalloc.start()
    try:
        before = _snapshot()
        chats = asyncio.run(_idle_chats(kw, n, pieces))
        alive = _snapshot()
        hists = pickle.loads(pickle.dumps([c.hist for c in chats]))
        with_hists = _snapshot()
        del hists, chats
        after = _snapshot()
    finally: tracemalloc.stop()
    held, hist = _bytes(alive, after), _bytes(with_hists, alive)
    top = [dict(site=_site(d.traceback), kb=d.size_diff / 1024, count=d.count_diff) for d in alive.compare_to(after, 'lineno')[:10]]
    return dict(chats=n, answer_pieces=pieces, kb_per_chat=(held - hist) / n / 1024, history_kb_per_chat=hist / n / 1024, held_kb_per_chat=held / n / 1024,
                kept_after_drop_kb_per_chat=_bytes(after, before) / n / 1024, top_sites=top)

# ---------------------------------------------------------------- the terminal chat

PROMPT = '›'.encode()  # U+203A, drawn by `read_message` through Rich's `Console.input`

def _read_until(fd, want, timeout):
    "Read terminal `fd` until `want` shows (or, for None, until the other side closes); what was read, and whether `want` came"
    out, end = b'', time.perf_counter() + timeout
    while want is None or want not in out:
        if not select.select([fd], [], [], max(0, end - time.perf_counter()))[0]: return out, False
        try: got = os.read(fd, 4096)
        except OSError: return out, want is None  # EIO: the process closed the terminal
        if not got: return out, want is None
        out += got
    return out, want is not None and want in out

def terminal_once(env):
    "Spawn the terminal chat under a pseudo-terminal: seconds until its prompt shows, and until it exits after '/exit' (None if not)"
    exe = str(Path(sys.executable).parent / 'lisette-like')
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack('HHHH', 24, 100, 0, 0))
    t0 = time.perf_counter()
    p = subprocess.Popen([exe], stdin=slave, stdout=slave, stderr=slave, env=env, cwd=ROOT, start_new_session=True)
    os.close(slave)
    try:
        _, shown = _read_until(master, PROMPT, 30)
        t_prompt = time.perf_counter() - t0 if shown else None
        os.write(master, b'/exit\n')
        t1 = time.perf_counter()
        _read_until(master, None, 30)
        rc = p.wait(30)
        return t_prompt, time.perf_counter() - t1 if rc == 0 else None
    finally:
        if p.poll() is None: p.kill(); p.wait()
        os.close(master)

def _wall(cmd, env):
    "Wall seconds of running `cmd` to the end"
    t = time.perf_counter(); subprocess.run(cmd, env=env, capture_output=True, check=True, cwd=ROOT)
    return time.perf_counter() - t

def terminal_figures(runs):
    "The terminal chat's time to its prompt and its exit on '/exit' (medians of `runs`, after a warm-up), beside `python -c pass`"
    env = {k: v for k, v in os.environ.items() if not k.endswith('_API_KEY')} | dict(TERM='xterm-256color')
    rows = [(terminal_once(env), _wall([sys.executable, '-c', 'pass'], env)) for _ in range(runs + 1)][1:]
    shown, exits = [r[0][0] for r in rows], [r[0][1] for r in rows]
    ok = None not in shown and None not in exits
    return dict(prompt_s=med(shown) if ok else None, exit_after_input_s=med(exits) if ok else None, all_runs_ok=ok,
                python_pass_s=med(r[1] for r in rows), runs=runs)

# ---------------------------------------------------------------- the one-shot command

def oneshot_request(api_base):
    "The first request of the offline one-shot (model, prompt, tool schema, options) as `Chat` sends it, and how many it makes"
    from lisette_like.demo import add
    with spying() as s:
        chat = Chat('claude-sonnet-4-5', tools=[add], api_base=api_base, api_key='offline')  # what the command runs offline
        for _ in chat(ONESHOT[0], stream=True, max_steps=2): pass
    return s.calls[0], len(s.calls)

def _imports(err):
    "(self µs, cumulative µs, depth, module) of each line `python -X importtime` wrote to stderr, in order"
    rows = []
    for line in err.splitlines():
        parts = line.removeprefix('import time:').split('|')
        if len(parts) != 3 or not parts[0].strip().isdigit(): continue
        name = parts[2].rstrip()
        rows.append((int(parts[0]), int(parts[1]), (len(name) - len(name.lstrip()) - 1) // 2, name.strip()))
    return rows

def importtime_figures(cmd, env):
    """Run Python with arguments `cmd` once under `-X importtime`: self seconds of our modules, and of all imported after the
    top-level import that loaded litellm (`litellm` itself, or `lisette_like.chat`) had finished: lazy, at call time"""
    rows = _imports(subprocess.run([sys.executable, '-X', 'importtime', *cmd], env=env, capture_output=True, text=True, check=True,
                                   cwd=ROOT).stderr)
    i = next(i for i, r in enumerate(rows) if r[3] == 'litellm')
    j = next(j for j in range(i, len(rows)) if rows[j][2] == 0)
    lazy = rows[j + 1:]
    top = sorted((r for r in lazy if r[2] == 0), key=lambda r: -r[1])[:10]
    return dict(lisette_like_self_s=sum(r[0] for r in rows if r[3].split('.')[0] == 'lisette_like') / 1e6,
                litellm_import_s=rows[i][1] / 1e6, litellm_loaded_by=rows[j][3], lazy_self_s=sum(r[0] for r in lazy) / 1e6,
                lazy_lisette_like_self_s=sum(r[0] for r in lazy if r[3].split('.')[0] == 'lisette_like') / 1e6,
                top_lazy=[dict(module=r[3], cumulative_s=r[1] / 1e6) for r in top])

def cli_figures(api_base, runs):
    "The offline one-shot command against `python -c 'import litellm'` and a raw litellm script doing its work (interleaved, medians)"
    env = {k: v for k, v in os.environ.items() if not k.endswith('_API_KEY')}
    req, n_req = oneshot_request(api_base)
    cmd = [str(Path(sys.executable).parent / 'lisette-like'), *ONESHOT]  # Python arguments: the console script is a Python file
    script = [str(ROOT / 'bench' / 'raw_oneshot.py'), json.dumps(req)]
    def run(c): return lambda: _wall([sys.executable, *c], env)
    tc, tr, ti = pairs([run(cmd), run(script), run(['-c', 'import litellm'])], runs)
    return dict(cli_s=med(tc), raw_script_s=med(tr), import_litellm_s=med(ti), ratio=med(tc) / med(ti),
                over_raw_script=med(tc) / med(tr), requests=n_req,
                importtime_cli=importtime_figures(cmd, env), importtime_raw_script=importtime_figures(script, env))

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

def stream_ratios(kw, req, areq, big, reps):
    "`Chat`/raw and `AsyncChat`/raw (also with `AsyncStreamFormatter`) on a `big`-piece answer, raw like-for-like and bare"
    r, b, rb, o = pairs([lambda: raw(req, big), lambda: raw(kw, big), lambda: raw_built(req, big), lambda: ours(kw, big)], reps)
    ar, ab, ao, af = apairs([lambda: araw(areq, big), lambda: araw(kw, big), lambda: aours(kw, big), lambda: aours_fmt(kw, big)], reps)
    return (dict(ratio=med(o) / med(r), over_bare_raw=med(o) / med(b), over_raw_plus_builder=med(o) / med(rb),
                 raw_s=med(r), bare_raw_s=med(b), chat_s=med(o)),
            dict(ratio=med(ao) / med(ar), with_formatter=med(af) / med(ar), over_bare_raw=med(ao) / med(ab),
                 with_formatter_over_bare_raw=med(af) / med(ab), raw_s=med(ar), bare_raw_s=med(ab)))

def short_extra(kw, req, areq, reps):
    "Our extra ms on a 20-piece request, sync and async, over raw like-for-like and over bare raw"
    r, b, o = pairs([lambda: raw(req, 20), lambda: raw(kw, 20), lambda: ours(kw, 20)], reps)
    ar, ab, ao = apairs([lambda: araw(areq, 20), lambda: araw(kw, 20), lambda: aours(kw, 20)], reps)
    ms = lambda x, y: (med(x) - med(y)) * 1e3
    return dict(sync=ms(o, r), async_=ms(ao, ar), sync_over_bare=ms(o, b), async_over_bare=ms(ao, ab),
                sync_raw_ms=med(r) * 1e3, async_raw_ms=med(ar) * 1e3, sync_bare_raw_ms=med(b) * 1e3, async_bare_raw_ms=med(ab) * 1e3)

# ---------------------------------------------------------------- where a request's time goes: in litellm, or in ours

class clocking_litellm:
    """Within this block, the moments each litellm call and each chunk's `__next__`/`__anext__` start and end are kept in
    `marks` (litellm's functions wrapped, in this process only, and put back at the end)"""
    def __enter__(self):
        from litellm.litellm_core_utils.streaming_handler import CustomStreamWrapper as W
        self.W, self.old, self.marks = W, (W.__next__, W.__anext__, litellm.completion, litellm.acompletion), []
        nxt, anxt, comp, acomp = self.old
        W.__next__, W.__anext__ = self._clocked(nxt), self._aclocked(anxt)
        litellm.completion, litellm.acompletion = self._clocked(comp), self._aclocked(acomp)
        return self
    def __exit__(self, *exc): self.W.__next__, self.W.__anext__, litellm.completion, litellm.acompletion = self.old
    def _clocked(self, f):
        "`f`, its start and end noted in `marks`"
        def w(*a, **kw):
            self.marks.append(time.perf_counter())
            try: return f(*a, **kw)
            finally: self.marks.append(time.perf_counter())
        return w
    def _aclocked(self, f):
        "`_clocked` for a coroutine function"
        async def w(*a, **kw):
            self.marks.append(time.perf_counter())
            try: return await f(*a, **kw)
            finally: self.marks.append(time.perf_counter())
        return w

def _split(marks, t0, t1):
    """A request's time outside litellm (from `clocking_litellm`'s marks, between `t0` and `t1`): before its call, between
    its chunks (summed) and after its last chunk; and the time inside litellm"""
    ins = sum(b - a for a, b in zip(marks[::2], marks[1::2]))
    gaps = sum(b - a for a, b in zip(marks[1:-1:2], marks[2::2]))
    return dict(before=marks[0] - t0, between=gaps, after=t1 - marks[-1], inside=ins)

def own_split(kw, req, areq, n, reps):
    """Where one `n`-piece request's time goes, in ms, raw (like-for-like) and ours, sync and async: inside litellm, and
    outside it (ours: building the request, our work between chunks, and the turn's end). Medians over `reps` interleaved
    runs. Unlike the wrapper-only figures, this is our code as it runs among litellm's, with the caches litellm left"""
    res = {}
    for aio in (False, True):
        fs = dict(raw=(lambda: araw(areq, n)) if aio else (lambda: raw(req, n)), ours=(lambda: aours(kw, n)) if aio else (lambda: ours(kw, n)))
        got = {k: [] for k in fs}
        async def once(f):
            t0 = time.perf_counter(); await f() if aio else f(); return t0, time.perf_counter()
        with clocking_litellm() as cl:
            loop = asyncio.new_event_loop()
            try:
                for i in range(reps + 1):
                    for k in (('raw', 'ours') if i % 2 else ('ours', 'raw')):
                        gc.collect(); cl.marks.clear()
                        t0, t1 = loop.run_until_complete(once(fs[k]))
                        if i: got[k].append(_split(list(cl.marks), t0, t1))
            finally: loop.run_until_complete(loop.shutdown_asyncgens()); loop.close()
        res['async_' if aio else 'sync'] = {k: {p: med(s[p] for s in v) * 1e3 for p in ('before', 'between', 'after', 'inside')} for k, v in got.items()}
    return res

def call_counts(kw, req, areq, n, reps=5):
    """Python function calls (and calls of C functions) per `n`-piece request, raw and ours, sync and async, and those
    made by our own code: a count, unlike a time, that this machine's noise doesn't move (`sys.setprofile`, all threads)"""
    import threading
    def count(f):
        calls, ours = [0], [0]
        def prof(frame, ev, arg):
            if ev == 'call' or ev == 'c_call':
                calls[0] += 1
                if 'lisette_like' in frame.f_code.co_filename: ours[0] += 1
        for _ in range(3): f()
        gc.collect()
        sys.setprofile(prof); threading.setprofile(prof)
        try:
            for _ in range(reps): f()
        finally: sys.setprofile(None); threading.setprofile(None)
        time.sleep(0.05)
        return calls[0] / reps, ours[0] / reps
    res, loop = {}, asyncio.new_event_loop()  # (one loop for every async run: a new one per run would be counted too)
    try:
        for mode, r, o in (('sync', lambda: raw(req, n), lambda: ours(kw, n)),
                           ('async_', lambda: loop.run_until_complete(araw(areq, n)), lambda: loop.run_until_complete(aours(kw, n)))):
            (rc, _), (oc, own) = count(r), count(o)
            res[mode] = dict(raw=rc, ours=oc, ours_in_our_code=own, ratio=oc / rc)
    finally: loop.run_until_complete(loop.shutdown_asyncgens()); loop.close()
    return res

def key_line(res):
    "The one line of key figures"
    c, w, cr, ar = res['cpu_us_per_chunk'], res['wrapper_us_per_chunk'], res['chat_over_raw'], res['async_over_raw']
    sh, sc, tm, cli = res['short_request_extra_ms'], res['scale'], res['terminal'], res['cli']
    mem, long = res['idle_memory'], res['idle_memory_long']
    it, itr = cli['importtime_cli'], cli['importtime_raw_script']
    return (f"KEY: wrapper µs/chunk sync {w['sync']:.1f} async {w['async_']:.1f} | Chat/raw {cr['ratio']:.3f} (bare {cr['over_bare_raw']:.3f}) | "
            f"AsyncChat/raw {ar['ratio']:.3f} fmt {ar['with_formatter']:.3f} (bare {ar['over_bare_raw']:.3f} "
            f"{ar['with_formatter_over_bare_raw']:.3f}) | history {res['history_us_per_message']:.2f} µs/msg | "
            f"short {sh['sync']:+.2f}/{sh['async_']:+.2f} ms (bare {sh['sync_over_bare']:+.2f}/{sh['async_over_bare']:+.2f}) | "
            f"our own time in it {_own(res, 'sync'):.2f}/{_own(res, 'async_'):.2f} ms | "
            f"{sc['conversations']} at once: ours/raw {sc['ratio']:.3f} ({sc['chat_chunks_per_s']:.0f}/{sc['raw_chunks_per_s']:.0f} "
            f"chunks/s, server CPU {sc['server_cpu_share']:.2f}) | idle chat {mem['kb_per_chat']:.1f} KB + hist "
            f"{mem['history_kb_per_chat']:.1f} KB (after {long['answer_pieces']} pieces: {long['kb_per_chat']:.0f} + "
            f"{long['history_kb_per_chat']:.1f}) | prompt {_s(tm['prompt_s'])} s (python -c pass {tm['python_pass_s']:.3f}) | "
            f"CLI/import {cli['ratio']:.2f} CLI/raw script {cli['over_raw_script']:.2f} (lazy imports {it['lazy_self_s']:.2f} s, "
            f"raw script's {itr['lazy_self_s']:.2f} s; ours {it['lisette_like_self_s']:.2f} s) | CPU µs/chunk wire {c['wire']:.0f} "
            f"raw {c['raw']:.0f} Chat {c['chat']:.0f} (logging off: raw {c['raw_nolog']:.0f} Chat {c['chat_nolog']:.0f}) | "
            f"fallbacks {res['assembly_stats'].get('fallback', 0)}")

def _own(res, mode):
    "Our own ms in a 20-piece request: its time outside litellm, ours minus raw's"
    d = res['own_split_ms'][mode]
    return sum(d['ours'][p] - d['raw'][p] for p in ('before', 'between', 'after'))

def _s(x): return 'n/a' if x is None else f'{x:.3f}'

def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--quick', action='store_true', help='fewer repeats and sizes (about 4 minutes)')
    p.add_argument('--out', default=str(Path(__file__).parent / 'results.json'))
    p.add_argument('--png', default=str(Path(__file__).parent / 'stream_cost.png'))
    a = p.parse_args()
    q = a.quick
    reps, big, short_reps, scale_reps, runs = (3, 1000, 20, 2, 3) if q else (9, 2000, 80, 5, 7)
    sizes = [100, 1000, 4000] if q else [100, 500, 2000, 8000]
    srv = subprocess.Popen([sys.executable, __file__, '--serve'], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    api_base = f'http://127.0.0.1:{srv.stdout.readline().strip()}'
    kw = dict(api_base=api_base, api_key='dummy')
    t0, res = time.perf_counter(), dict(date=time.strftime('%Y-%m-%d'), python=sys.version.split()[0], quick=q,
                                        litellm=litellm.__version__ if hasattr(litellm, '__version__') else _version('litellm'))
    try:
        req, areq = chat_sends(kw)
        res['chat_sends'] = dict(sync=req, async_=areq)
        print(f'Chat sends {req}; AsyncChat sends {areq}', flush=True)
        chunks = record(req, big)
        res['n_chunks'] = len(chunks)
        s, asy = wrapper_us(kw, chunks, reps * 2)
        res['wrapper_us_per_chunk'] = dict(sync=s, async_=asy)
        print(f'wrapper-only µs/chunk: sync {s:.1f}, async {asy:.1f}', flush=True)
        res['chat_over_raw'], res['async_over_raw'] = stream_ratios(kw, req, areq, big, reps)
        print(f"Chat/raw {res['chat_over_raw']['ratio']:.3f} (bare {res['chat_over_raw']['over_bare_raw']:.3f}); AsyncChat/raw "
              f"{res['async_over_raw']['ratio']:.3f}, with AsyncStreamFormatter {res['async_over_raw']['with_formatter']:.3f}", flush=True)
        res['history_us_per_message'] = history_us(kw, reps * 4)
        print(f"history: {res['history_us_per_message']:.2f} µs per message", flush=True)
        res['short_request_extra_ms'] = sh = short_extra(kw, req, areq, short_reps)
        print(f"short request extra ms: sync {sh['sync']:.2f}, async {sh['async_']:.2f} (over bare: {sh['sync_over_bare']:.2f}, "
              f"{sh['async_over_bare']:.2f})", flush=True)
        res['own_split_ms'] = own_split(kw, req, areq, 20, short_reps)
        print('where a 20-piece request goes, ms: ' + json.dumps(res['own_split_ms']), flush=True)
        res['calls_per_request'] = call_counts(kw, req, areq, 20)
        print('calls per 20-piece request: ' + json.dumps(res['calls_per_request']), flush=True)
        res['cpu_us_per_chunk'] = cpu_figures(kw, api_base, big, reps)
        print('CPU µs/chunk: ' + ', '.join(f'{k} {v:.0f}' for k, v in res['cpu_us_per_chunk'].items()), flush=True)
        rows = []
        for n in sizes:
            cs = record(req, n)
            r, o = pairs([lambda: raw(req, n), lambda: ours(kw, n)], max(2, reps // 2))
            w, _ = wrapper_us(kw, cs, reps)
            rows.append(dict(n=len(cs), raw_us=med(r) / len(cs) * 1e6, chat_us=med(o) / len(cs) * 1e6, wrapper_us=w,
                             **display_us(len(cs), 4000)))
            print('length', rows[-1], flush=True)
        res['by_length'] = rows
        res['scale'] = scale_figures(kw, areq, srv.pid, 30, 200, scale_reps)
        print('scale', res['scale'], flush=True)
        res['idle_memory'], res['idle_memory_long'] = idle_memory(kw, 200), idle_memory(kw, 10 if q else 20, 500)
        for name in ('idle_memory', 'idle_memory_long'):
            print(name, {k: v for k, v in res[name].items() if k != 'top_sites'}, flush=True)
        res['terminal'] = terminal_figures(runs)
        print('terminal', res['terminal'], flush=True)
        res['cli'] = cli_figures(api_base, 2 if q else 5)
        print(f"CLI: {res['cli']['cli_s']:.2f} s / import litellm {res['cli']['import_litellm_s']:.2f} s = {res['cli']['ratio']:.2f}; "
              f"raw script {res['cli']['raw_script_s']:.2f} s", flush=True)
    finally:
        srv.stdin.close(); srv.wait(10)
    res['assembly_stats'] = dict(lassembly.assembly_stats)
    res['seconds'] = time.perf_counter() - t0
    Path(a.out).write_text(json.dumps(res, indent=2))
    plot(res['by_length'], a.png)
    print(f"wrote {a.out}, {a.png} ({res['seconds']:.0f} s)")
    print(key_line(res))

def _version(pkg):
    from importlib.metadata import version
    return version(pkg)

if __name__ == '__main__': main()
