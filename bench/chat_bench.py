#!/usr/bin/env python
"""Overhead of `Chat` / `AsyncChat` over raw litellm calls, as ratios measured in the same run, offline.

    python bench/chat_bench.py                               # every case, about 1.5 minutes
    python bench/chat_bench.py --quick                       # fewer runs, about 20 seconds
    python bench/chat_bench.py --only stream "tools gemini"  # cases matching all the words of any of these
    python bench/chat_bench.py --profile "anthropic history cache" --own   # cProfile ours in one case instead

Every request goes to our local provider (`FakeLLM`), run in a separate process so that its work (JSON, SSE
framing) neither competes for our GIL nor gets counted in the client's time: what is timed is the client side,
litellm alone (raw) or litellm under `Chat` (ours), plus the same local round trips for both. The provider's
replies depend only on the request (see `_dispatch`), so raw and ours get the same answers (checked).

Raw and ours run interleaved (alternating which goes first) after a warm-up, and we report the median seconds per
call of each and the ratio ours/raw, with a bootstrap 90% interval. Absolute times depend on the machine; the
ratios are what to compare. Then each case runs again with `litellm.completion`/`acompletion` replaced by a stub
returning the recorded answer: ours minus raw there ("own ms") is the time spent in our own code per call."""
import os, sys, io, json, time, random, asyncio, argparse, statistics, subprocess, cProfile, pstats
from pathlib import Path
from contextlib import contextmanager, nullcontext
from typing import Callable, NamedTuple
os.environ['LITELLM_LOCAL_MODEL_COST_MAP'] = 'True'
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

MODELS = dict(anthropic='claude-sonnet-4-5', openai='openai/gpt-4.1', gemini='gemini/gemini-2.5-flash')
TEXT = ''.join(f'w{i%97:02d} ' for i in range(500))[:2000]  # the ~2,000-character answer, streamed in 8-character chunks
TOOL_PROMPT = 'BENCH_TOOLS: add 1 and 2, then add 3 to the result.'
PLAIN_PROMPT = 'Write about two thousand characters of anything.'

# ---------------------------------------------------------------- the provider, in its own process

def _dispatch(req):
    "The reply to `req`, from the request alone: a 3-step tool loop (call, call, text) for `TOOL_PROMPT`, else `TEXT`"
    from lisette_like.fakellm import Reply, Call
    ms = req.msgs
    if ms and 'BENCH_TOOLS' in json.dumps(ms[0]):  # user, assistant, tool result, ...: 1, 3, 5 messages
        if len(ms) < 5: return Reply('', calls=[Call('add', {'a': len(ms), 'b': 2})], chunk=8)
        return Reply('The sum is 6.', chunk=8)
    return Reply(TEXT, chunk=8)

def serve():
    "Run FakeLLM answering every request with `_dispatch`; print its port, serve until stdin closes (`--serve`)"
    import lisette_like.fakellm as fl
    fl._Handler.disable_nagle_algorithm = True  # else header and body writes meet delayed ACKs: +40 ms per request
    with fl.FakeLLM() as llm:
        llm.add([_dispatch] * 1_000_000)
        llm.requests = _NoLog()
        print(llm.port, flush=True)
        sys.stdin.read()

class _NoLog(list):
    "A request log that only counts (a long run would otherwise hold every request body); the count keeps ids unique"
    n = 0
    def append(self, o): self.n += 1
    def __len__(self): return self.n

def start_server():
    "The provider subprocess and its `api_base`"
    p = subprocess.Popen([sys.executable, __file__, '--serve'], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    return p, f'http://127.0.0.1:{p.stdout.readline().strip()}'

if __name__ == '__main__' and sys.argv[1:] == ['--serve']: sys.exit(serve())  # before importing litellm, which it doesn't need

import litellm
from litellm import Message
from lisette_like.chat import Chat, last_response
from lisette_like.asyncchat import AsyncChat
from lisette_like.tool_msgs import mk_tc, mk_tc_req, mk_tc_result
litellm.suppress_debug_info = True

# ---------------------------------------------------------------- raw and ours, per case

def add(a:int, # first number
        b:int): # second number
    "Add two numbers"
    return a + b

ADD_SCHEMA = {'type': 'function', 'function': {'name': 'add', 'description': 'Add two numbers', 'parameters': {
    'type': 'object', 'properties': {'a': {'type': 'integer', 'description': 'first number'},
                                     'b': {'type': 'integer', 'description': 'second number'}}, 'required': ['a', 'b']}}}

def _user(text): return {'role': 'user', 'content': text}

def raw_call(model, kw, msgs, stream=False):
    "One litellm call, as a user without our library would make it; the complete response"
    if not stream: return litellm.completion(model, msgs, temperature=0, **kw)
    chunks = list(litellm.completion(model, msgs, temperature=0, stream=True, stream_options={'include_usage': True}, **kw))
    return litellm.stream_chunk_builder(chunks, messages=msgs)

async def araw_call(model, kw, msgs, stream=False):
    "`raw_call` with `acompletion`"
    if not stream: return await litellm.acompletion(model, msgs, temperature=0, **kw)
    s = await litellm.acompletion(model, msgs, temperature=0, stream=True, stream_options={'include_usage': True}, **kw)
    chunks = [c async for c in s]
    return litellm.stream_chunk_builder(chunks, messages=msgs)

def raw_tools(model, kw, prompt=TOOL_PROMPT, max_steps=5):
    "A minimal hand-written tool loop: call, run the tools, append the messages, call again"
    msgs = [_user(prompt)]
    for _ in range(max_steps):
        r = litellm.completion(model, msgs, tools=[ADD_SCHEMA], temperature=0, **kw)
        m = r.choices[0].message
        msgs.append(m)
        if not m.tool_calls: return r
        for tc in m.tool_calls:
            res = add(**json.loads(tc.function.arguments))
            msgs.append({'role': 'tool', 'tool_call_id': tc.id, 'name': tc.function.name, 'content': str(res)})
    return r

def ours_call(model, kw, stream=False):
    "A new `Chat` and one call; the complete response"
    c = Chat(model, **kw)
    if not stream: return c(PLAIN_PROMPT)
    return last_response(list(c(PLAIN_PROMPT, stream=True)))

async def aours_call(model, kw, stream=False):
    "A new `AsyncChat` and one call; the complete response"
    c = AsyncChat(model, **kw)
    if not stream: return await c(PLAIN_PROMPT)
    return last_response([o async for o in await c(PLAIN_PROMPT, stream=True)])

def mk_hist(n=200):
    "A history of `n` messages as `Chat` stores it: user dicts, assistant `Message`s, and every 5th turn a tool round"
    hist, i = [], 0
    while len(hist) < n:
        hist.append(_user(f'Question {i}: ' + 'tell me more about this topic, with details. ' * 6))
        if i % 5 == 4 and len(hist) + 3 <= n:
            tcq = mk_tc_req(None, [mk_tc('add', {'a': i, 'b': 1}, tcid=f'toolu_bench{i:04d}', idx=0)])
            hist += [tcq, mk_tc_result(tcq.tool_calls[0], str(i + 1))]
        hist.append(Message(content=f'Answer {i}: ' + 'here is a fairly long paragraph of an answer. ' * 12, role='assistant'))
        i += 1
    return hist[:n]

def _cache_prompt(text):
    "The new prompt with the breakpoint `Chat(cache=True)` puts on it (its last non-tool message)"
    return {'role': 'user', 'content': [{'type': 'text', 'text': text, 'cache_control': {'type': 'ephemeral'}}]}

# ---------------------------------------------------------------- timing

def timed_pairs(raw, ours, n, warm, setup=None):
    "Per-run seconds of `raw()` and `ours()`, interleaved (alternating which goes first), after `warm` untimed pairs"
    tr, to = [], []
    for i in range(warm + n):
        for which in ((0, 1) if i % 2 == 0 else (1, 0)):
            if setup: setup()
            f = (raw, ours)[which]
            t = time.perf_counter(); f(); dt = time.perf_counter() - t
            if i >= warm: (tr, to)[which].append(dt)
    return tr, to

async def atimed_pairs(raw, ours, n, warm, setup=None):
    "`timed_pairs` for coroutine functions, in one event loop"
    tr, to = [], []
    for i in range(warm + n):
        for which in ((0, 1) if i % 2 == 0 else (1, 0)):
            if setup: setup()
            f = (raw, ours)[which]
            t = time.perf_counter(); await f(); dt = time.perf_counter() - t
            if i >= warm: (tr, to)[which].append(dt)
    return tr, to

def check_same(r1, r2, what):
    "Both sides must have received the same answer, else the comparison is void"
    a, b = [(m.content, [tc.function.arguments for tc in (m.tool_calls or [])]) for m in (r1.choices[0].message, r2.choices[0].message)]
    if a != b: raise AssertionError(f'{what}: raw and ours got different answers: {a!r} vs {b!r}')

# ---------------------------------------------------------------- litellm replaced by its recorded answers, to time our own code

_real, _areal, _canned = litellm.completion, litellm.acompletion, {}

def _key(model, messages, kw): return model, bool(kw.get('tools')), len(messages), bool(kw.get('stream'))

def _replay(chunks):
    "A fresh copy of each recorded chunk (the consumer may change them), costing raw and ours the same"
    for c in chunks: yield c.model_copy(deep=True)

async def _areplay(chunks):
    for c in chunks: yield c.model_copy(deep=True)

def _keep(k, s):
    "Yield the chunks of stream `s`, keeping them under key `k`"
    _canned[k] = []
    for c in s: _canned[k].append(c); yield c

async def _akeep(k, s):
    _canned[k] = []
    async for c in s: _canned[k].append(c); yield c

@contextmanager
def recording():
    "Keep each response (or stream's chunks) litellm returns, by model, tools or not, number of messages, streamed or not"
    def rec(model=None, messages=None, **kw):
        k, r = _key(model, messages, kw), _real(model=model, messages=messages, **kw)
        if k[-1]: return _keep(k, r)
        _canned[k] = r; return r
    async def arec(model=None, messages=None, **kw):
        k, r = _key(model, messages, kw), await _areal(model=model, messages=messages, **kw)
        if k[-1]: return _akeep(k, r)
        _canned[k] = r; return r
    litellm.completion, litellm.acompletion = rec, arec
    try: yield
    finally: litellm.completion, litellm.acompletion = _real, _areal

@contextmanager
def stubbed():
    "`litellm.completion`/`acompletion` answering at once with the recorded answer: what is left to time is our code"
    def stub(model=None, messages=None, **kw):
        k = _key(model, messages, kw)
        return _replay(_canned[k]) if k[-1] else _canned[k]
    async def astub(model=None, messages=None, **kw):
        k = _key(model, messages, kw)
        return _areplay(_canned[k]) if k[-1] else _canned[k]
    litellm.completion, litellm.acompletion = stub, astub
    try: yield
    finally: litellm.completion, litellm.acompletion = _real, _areal

# ---------------------------------------------------------------- the cases

class Case(NamedTuple):
    "Raw and ours doing the same thing; `kind` picks the number of runs; `setup` runs (untimed) before each call"
    name:str; prov:str; kind:str; raw:Callable; ours:Callable; setup:Callable=None; is_async:bool=False

def provider_cases(prov, model, kw):
    "The cases for one provider"
    msgs = [_user(PLAIN_PROMPT)]
    res = [Case('plain', prov, 'plain', lambda: raw_call(model, kw, msgs), lambda: ours_call(model, kw)),
           Case('plain stream', prov, 'stream', lambda: raw_call(model, kw, msgs, True), lambda: ours_call(model, kw, True)),
           Case('tools 3 steps', prov, 'tools', lambda: raw_tools(model, kw),
                lambda: Chat(model, tools=[add], **kw)(TOOL_PROMPT, max_steps=5))]
    if prov == 'anthropic':
        res += [Case('async plain', prov, 'plain', lambda: araw_call(model, kw, msgs), lambda: aours_call(model, kw), is_async=True),
                Case('async plain stream', prov, 'stream', lambda: araw_call(model, kw, msgs, True),
                     lambda: aours_call(model, kw, True), is_async=True)]
    for cache in ((False, True) if prov == 'anthropic' else (False,)):
        hist, prompt = mk_hist(200), 'One more question.'
        chat = Chat(model, hist=hist, cache=cache, **kw)
        base = list(chat.hist)
        def reset(chat=chat, base=base): chat.hist = list(base)  # every call sees the same 200 messages
        new = _cache_prompt(prompt) if cache else _user(prompt)
        res.append(Case('history 200 cache' if cache else 'history 200', prov, 'hist',
                        lambda hist=hist, new=new: raw_call(model, kw, hist + [new]), lambda chat=chat: chat(prompt), reset))
    return res

def cases(api_base):
    "Every case, provider by provider"
    kw = dict(api_base=api_base, api_key='dummy')
    return [c for prov, model in MODELS.items() for c in provider_cases(prov, model, kw)]

def run_case(c:Case, n, warm, n_own):
    "Raw and ours timings of case `c` against the provider (`n` runs), then with litellm stubbed out (`n_own` runs)"
    if c.is_async: return asyncio.run(_arun_case(c, n, warm, n_own))
    with recording():
        if c.setup: c.setup()
        check_same(c.raw(), c.ours(), f'{c.prov} {c.name}')
    tr, to = timed_pairs(c.raw, c.ours, n, warm, c.setup)
    if not n_own: return tr, to, None, None
    with stubbed(): return (tr, to, *timed_pairs(c.raw, c.ours, n_own, warm, c.setup))

async def _arun_case(c:Case, n, warm, n_own):
    "`run_case` for an async case, in one event loop"
    with recording():
        if c.setup: c.setup()
        check_same(await c.raw(), await c.ours(), f'{c.prov} {c.name}')
    tr, to = await atimed_pairs(c.raw, c.ours, n, warm, c.setup)
    if not n_own: return tr, to, None, None
    with stubbed(): return (tr, to, *(await atimed_pairs(c.raw, c.ours, n_own, warm, c.setup)))

def ratio_ci(tr, to, reps=2000, seed=0):
    "A bootstrap 90% interval for median(ours)/median(raw), resampling each side's runs"
    rng, med = random.Random(seed), statistics.median
    rs = sorted(med(rng.choices(to, k=len(to))) / med(rng.choices(tr, k=len(tr))) for _ in range(reps))
    return rs[int(reps * .05)], rs[int(reps * .95)]

def summary(c:Case, tr, to, sr=None, so=None):
    "One result row; `own_s` is the time of our own code per call: ours minus raw, both with litellm stubbed out"
    mr, mo, med = statistics.median(tr), statistics.median(to), statistics.median
    return dict(case=c.name, provider=c.prov, model=MODELS[c.prov], n=len(tr), raw_s=mr, ours_s=mo, ratio=mo / mr,
                ratio_ci90=ratio_ci(tr, to), ratio_paired=med(o / r for r, o in zip(tr, to)),
                own_s=med(so) - med(sr) if so else None, n_own=len(so or []), raw_stub_s=med(sr) if sr else None,
                ours_stub_s=med(so) if so else None, raw_runs=tr, ours_runs=to)

HEADER = f"{'case':<19} {'provider':<10} {'n':>3} {'raw ms':>8} {'ours ms':>8} {'ours/raw':>8} {'90% CI':>10} {'own ms':>7}"

def fmt_row(r):
    "One table line"
    lo, hi = r['ratio_ci90']
    own = f"{r['own_s']*1e3:.2f}" if r['own_s'] is not None else '-'
    return (f"{r['case']:<19} {r['provider']:<10} {r['n']:>3} {r['raw_s']*1e3:>8.2f} {r['ours_s']*1e3:>8.2f} "
            f"{r['ratio']:>8.2f} {f'{lo:.2f}-{hi:.2f}':>10} {own:>7}")

def _match(c:Case, words): return all(w in f'{c.name} {c.prov}' for w in words.split())

def profile(c:Case, n, own=False):
    "cProfile `n` runs of ours in case `c` (with litellm stubbed out if `own`); print the top functions"
    def run(f):
        for _ in range(n):
            if c.setup: c.setup()
            f()
    if c.is_async: raise SystemExit('--profile: pick a sync case (the async ones share their code with the sync ones)')
    with recording():  # also warms up
        for f in (c.raw, c.ours):
            if c.setup: c.setup()
            f()
    pr = cProfile.Profile()
    with (stubbed() if own else nullcontext()):
        run(c.ours); pr.enable(); run(c.ours); pr.disable()
    what = f'{c.prov} {c.name}: ours, {n} runs' + (', litellm stubbed out' if own else '')
    for key in ('tottime', 'cumulative'):
        s = io.StringIO(); pstats.Stats(pr, stream=s).sort_stats(key).print_stats(30)
        print(f'--- {what}, by {key}\n' + s.getvalue().split('\n\n', 2)[-1])
    s = io.StringIO(); pstats.Stats(pr, stream=s).sort_stats('cumulative').print_stats('lisette_like', 30)
    print(f'--- {what}, lisette_like functions only, by cumulative\n' + s.getvalue().split('\n\n', 2)[-1])

def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--quick', action='store_true', help='fewer runs (about 20 seconds)')
    p.add_argument('--only', nargs='+', help='run only cases whose "name provider" contains all words of one of these')
    p.add_argument('--profile', help='instead, cProfile ours in the first case matching this ("gemini plain stream", "anthropic history cache")')
    p.add_argument('--own', action='store_true', help='with --profile: litellm stubbed out, to see only our code')
    p.add_argument('--out', default=str(Path(__file__).parent/'results'/'chat.json'), help='where to write the JSON results')
    a = p.parse_args()
    runs = dict(plain=8, stream=4, tools=6, hist=6) if a.quick else dict(plain=30, stream=25, tools=30, hist=30)
    n_own = dict(plain=30, stream=5, tools=30, hist=20) if a.quick else dict(plain=150, stream=25, tools=150, hist=100)
    warm = 1 if a.quick else 3  # on top of the untimed call each side makes to check the answers match
    srv, api_base = start_server()
    try:
        cs = cases(api_base)
        if a.profile:
            c = next((c for c in cs if _match(c, a.profile)), None)
            if c is None: raise SystemExit(f'no case matches {a.profile!r}: ' + ', '.join(f'{c.prov} {c.name}' for c in cs))
            return profile(c, 30 if a.own else 10, a.own)
        print(HEADER)
        rows, t0 = [], time.perf_counter()
        for c in cs:
            if a.only and not any(_match(c, w) for w in a.only): continue
            rows.append(summary(c, *run_case(c, runs[c.kind], warm, n_own[c.kind])))
            print(fmt_row(rows[-1]), flush=True)
        print(f'{time.perf_counter()-t0:.0f} s')
    finally:
        srv.stdin.close(); srv.wait(10)
    Path(a.out).parent.mkdir(parents=True, exist_ok=True)
    Path(a.out).write_text(json.dumps(dict(python=sys.version.split()[0], litellm=_version('litellm'), cpus=os.cpu_count(),
                                           code=_code_version(), quick=a.quick, warm=warm, rows=rows), indent=2))
    print(f'wrote {a.out}')

def _version(pkg):
    from importlib.metadata import version
    return version(pkg)

def _code_version():
    "The commit measured, and whether lisette_like/ had uncommitted changes (read-only git commands)"
    git = lambda *a: subprocess.run(['git', *a], cwd=Path(__file__).parent, capture_output=True, text=True).stdout.strip()
    return dict(commit=git('rev-parse', '--short', 'HEAD'), lisette_like_modified=bool(git('status', '--porcelain', '--', '../lisette_like')))

if __name__ == '__main__': main()
