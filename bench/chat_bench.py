#!/usr/bin/env python
"""Overhead of `Chat` / `AsyncChat` over raw litellm calls, as ratios measured in the same run, offline.

    python bench/chat_bench.py                       # every case, about 2 minutes
    python bench/chat_bench.py --quick               # fewer runs, about 20 seconds
    python bench/chat_bench.py --only stream tools   # cases whose name contains any of these words
    python bench/chat_bench.py --profile "gemini stream"   # cProfile ours in the first matching case

Every request goes to our local provider (`FakeLLM`), run in a separate process so that its work (JSON, SSE
framing) neither competes for our GIL nor gets counted in the client's time: what is timed is the client side,
litellm alone (raw) or litellm under `Chat` (ours), plus the same local round trips for both. The provider's
replies depend only on the request (see `_dispatch`), so raw and ours get byte-identical answers.

Raw and ours run interleaved (alternating which goes first) after a warm-up, and we report the median seconds per
call of each and the ratio ours/raw. Absolute times depend on the machine; the ratios are what to compare."""
import os, sys, io, json, time, random, asyncio, argparse, statistics, subprocess, cProfile, pstats
from pathlib import Path
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
    "A request log that keeps nothing (a long run would otherwise hold every request body)"
    def append(self, o): pass
    def __len__(self): return 0

def start_server():
    "The provider subprocess and its `api_base`"
    p = subprocess.Popen([sys.executable, __file__, '--serve'], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    return p, f'http://127.0.0.1:{p.stdout.readline().strip()}'

if __name__ == '__main__' and sys.argv[1:] == ['--serve']: sys.exit(serve())  # before importing litellm, which it doesn't need

import litellm
from litellm import Message
from lisette_like.chat import Chat, last_response
from lisette_like.asyncchat import AsyncChat
from lisette_like.msgs import mk_tc, mk_tc_req, mk_tc_result
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

async def atimed_pairs(raw, ours, n, warm):
    "`timed_pairs` for coroutine functions, in one event loop"
    tr, to = [], []
    for i in range(warm + n):
        for which in ((0, 1) if i % 2 == 0 else (1, 0)):
            f = (raw, ours)[which]
            t = time.perf_counter(); await f(); dt = time.perf_counter() - t
            if i >= warm: (tr, to)[which].append(dt)
    return tr, to

def check_same(r1, r2, what):
    "Both sides must have received the same answer, else the comparison is void"
    a, b = [(m.content, [tc.function.arguments for tc in (m.tool_calls or [])]) for m in (r1.choices[0].message, r2.choices[0].message)]
    if a != b: raise AssertionError(f'{what}: raw and ours got different answers: {a!r} vs {b!r}')

# ---------------------------------------------------------------- the cases

def cases(api_base, runs):
    "(name, provider, n, fn) for every case; `fn(n, warm)` returns the raw and ours timings"
    kw = dict(api_base=api_base, api_key='dummy')
    res = []
    for prov, model in MODELS.items():
        msgs = [_user(PLAIN_PROMPT)]
        for stream in (False, True):
            name = 'plain stream' if stream else 'plain'
            def fn(n, warm, model=model, msgs=msgs, stream=stream, name=name):
                check_same(raw_call(model, kw, msgs, stream), ours_call(model, kw, stream), f'{prov} {name}')
                return timed_pairs(lambda: raw_call(model, kw, msgs, stream), lambda: ours_call(model, kw, stream), n, warm)
            res.append((name, prov, runs['stream' if stream else 'plain'], fn))
        def fn(n, warm, model=model):
            check_same(raw_tools(model, kw), Chat(model, tools=[add], **kw)(TOOL_PROMPT, max_steps=5), f'{prov} tools')
            return timed_pairs(lambda: raw_tools(model, kw), lambda: Chat(model, tools=[add], **kw)(TOOL_PROMPT, max_steps=5), n, warm)
        res.append(('tools 3 steps', prov, runs['tools'], fn))
        if prov == 'anthropic':
            for stream in (False, True):
                name = 'async plain stream' if stream else 'async plain'
                def fn(n, warm, model=model, msgs=msgs, stream=stream):
                    async def go():
                        check_same(await araw_call(model, kw, msgs, stream), await aours_call(model, kw, stream), name)
                        return await atimed_pairs(lambda: araw_call(model, kw, msgs, stream), lambda: aours_call(model, kw, stream), n, warm)
                    return asyncio.run(go())
                res.append((name, prov, runs['stream' if stream else 'plain'], fn))
        for cache in ((False, True) if prov == 'anthropic' else (False,)):
            name = 'history 200 cache' if cache else 'history 200'
            def fn(n, warm, model=model, cache=cache, name=name):
                hist, prompt = mk_hist(200), 'One more question.'
                raw_msgs = lambda: hist + [_cache_prompt(prompt) if cache else _user(prompt)]
                chat = Chat(model, hist=hist, cache=cache, **kw)
                base = list(chat.hist)
                def reset(): chat.hist = list(base)  # untimed: every call sees the same 200 messages
                reset(); check_same(raw_call(model, kw, raw_msgs()), chat(prompt), f'{prov} {name}')
                return timed_pairs(lambda: raw_call(model, kw, raw_msgs()), lambda: chat(prompt), n, warm, setup=reset)
            res.append((name, prov, runs['hist'], fn))
    return res

def ratio_ci(tr, to, reps=2000, seed=0):
    "A bootstrap 90% interval for median(ours)/median(raw), resampling each side's runs"
    rng, med = random.Random(seed), statistics.median
    rs = sorted(med(rng.choices(to, k=len(to))) / med(rng.choices(tr, k=len(tr))) for _ in range(reps))
    return rs[int(reps * .05)], rs[int(reps * .95)]

def summary(name, prov, tr, to):
    "One result row"
    mr, mo = statistics.median(tr), statistics.median(to)
    return dict(case=name, provider=prov, model=MODELS[prov], n=len(tr), raw_s=mr, ours_s=mo, ratio=mo / mr,
                ratio_ci90=ratio_ci(tr, to), ratio_paired=statistics.median(o / r for r, o in zip(tr, to)),
                raw_runs=tr, ours_runs=to)

def fmt_row(r):
    "One table line"
    lo, hi = r['ratio_ci90']
    return (f"{r['case']:<19} {r['provider']:<10} {r['n']:>3} {r['raw_s']*1e3:>9.2f} {r['ours_s']*1e3:>9.2f} "
            f"{r['ratio']:>8.2f} {f'{lo:.2f}-{hi:.2f}':>10}")

def profile(case, api_base, n):
    "cProfile `n` runs of ours in the first case matching `case` ('provider name'); print the top functions"
    kw = dict(api_base=api_base, api_key='dummy')
    prov = next((p for p in MODELS if p in case), 'anthropic'); model = MODELS[prov]
    if 'history' in case:
        chat = Chat(model, hist=mk_hist(200), cache='cache' in case, **kw); base = list(chat.hist)
        def f(): chat.hist = list(base); chat('One more question.')
    elif 'tools' in case: f = lambda: Chat(model, tools=[add], **kw)(TOOL_PROMPT, max_steps=5)
    else: f = lambda: ours_call(model, kw, 'stream' in case)
    for _ in range(3): f()
    pr = cProfile.Profile(); pr.enable()
    for _ in range(n): f()
    pr.disable()
    for key in ('tottime', 'cumulative'):
        s = io.StringIO(); pstats.Stats(pr, stream=s).sort_stats(key).print_stats(30)
        print(f'--- {prov} {case}: ours, {n} runs, by {key}\n' + s.getvalue().split('\n\n', 2)[-1])
    s = io.StringIO(); pstats.Stats(pr, stream=s).sort_stats('cumulative').print_stats('lisette_like', 30)
    print(f'--- lisette_like functions only, by cumulative\n' + s.getvalue().split('\n\n', 2)[-1])

def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--quick', action='store_true', help='fewer runs (about 20 seconds)')
    p.add_argument('--only', nargs='+', help='run only cases whose "name provider" contains one of these words')
    p.add_argument('--profile', help='cProfile ours in this case ("gemini plain stream", "anthropic history cache", ...) instead')
    p.add_argument('--out', default=str(Path(__file__).parent/'results'/'chat.json'), help='where to write the JSON results')
    a = p.parse_args()
    runs = dict(plain=8, stream=4, tools=6, hist=6) if a.quick else dict(plain=30, stream=25, tools=30, hist=30)
    warm = 1 if a.quick else 3  # on top of the one untimed call each side makes to check the answers match
    srv, api_base = start_server()
    try:
        if a.profile: return profile(a.profile, api_base, 10)
        print(f"{'case':<19} {'provider':<10} {'n':>3} {'raw ms':>9} {'ours ms':>9} {'ours/raw':>8} {'90% CI':>10}")
        rows, t0 = [], time.perf_counter()
        for name, prov, n, fn in cases(api_base, runs):
            if a.only and not any(w in f'{name} {prov}' for w in a.only): continue
            rows.append(summary(name, prov, *fn(n, warm)))
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
