#!/usr/bin/env python
"""What knowing the budget and compacting cost, and what compaction saves (issue 23, "Measured"), offline.

    python bench/compact_bench.py            # about a minute
    python bench/compact_bench.py --quick    # fewer repeats

1. Counting, per request, on a 200-message history that needs no compaction: the time `Chat` spends counting the
   request and building its view (`Compactor.view` + `Counter.tokens`, warm: each message was counted on an earlier
   request) against the request's own overhead: the time of our own code in a `Chat` request (the same call with
   `litellm.completion` stubbed out to return the recorded answer at once), and against the whole request (to an
   in-process `FakeLLM`). Also the first request, which counts all 200 messages once.
2. Compaction on a scripted long conversation (a 40-round tool loop, 1,600-character results, a 6,000-token window):
   the input tokens the main requests sent with compaction against those they send without (an unlimited window),
   and the tokens the summary calls cost (in and out). Token figures are the fake provider's estimate (4 characters
   a token) for both runs, so they compare like with like.
Figures are ratios and medians; nothing is asserted."""
import os, sys, json, time, statistics, argparse
from pathlib import Path
os.environ['LITELLM_LOCAL_MODEL_COST_MAP'] = 'True'
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
import litellm
litellm.suppress_debug_info = True
from lisette_like.chat import Chat
from lisette_like.fakellm import FakeLLM, Reply, Call, request_tokens

MODEL = 'claude-sonnet-4-5'

def history(n=200):
    "A 200-message conversation: prompts and answers of a few hundred characters"
    return [{'role': 'user' if i % 2 == 0 else 'assistant', 'content': f'Message {i}: ' + 'some words of a conversation ' * 12} for i in range(n)]

def counting(reps):
    "Median seconds of: a Chat call, a bare litellm call of the same messages, a Chat call with litellm stubbed out (our own code), and the counting + view of one request (warm and cold)"
    llm = FakeLLM().start()
    llm.add(*[Reply('Fine.')] * (3 * reps + 10))
    chat = Chat(MODEL, api_base=llm.api_base, api_key='dummy', hist=history(), compact=True)
    chat('Warm up.')
    ours, raw, count, stub = [], [], [], []
    for _ in range(reps):
        chat.hist[-2:] = []  # the same 200-message history for every request
        t = time.perf_counter(); r = chat('One more.'); ours.append(time.perf_counter() - t)
        msgs = [{'role': 'user' if i % 2 == 0 else 'assistant', 'content': m['content'] if isinstance(m, dict) else m.content} for i, m in enumerate(chat.hist)]
        t = time.perf_counter(); litellm.completion(model=MODEL, messages=msgs, api_base=llm.api_base, api_key='dummy', timeout=120, temperature=0); raw.append(time.perf_counter() - t)
        t = time.perf_counter(); chat.compactor.counter.tokens(MODEL, chat.compactor.view(chat.hist)); count.append(time.perf_counter() - t)
    real, litellm.completion = litellm.completion, lambda *a, **kw: r  # the recorded answer at once: what is left is our own code
    try:
        for _ in range(reps):
            chat.hist[-2:] = []
            t = time.perf_counter(); chat('One more.'); stub.append(time.perf_counter() - t)
    finally: litellm.completion = real
    cold = Chat(MODEL, hist=history(), compact=True)
    t = time.perf_counter(); cold.compactor.counter.tokens(MODEL, cold.compactor.view(cold.hist)); first = time.perf_counter() - t
    llm.stop()
    med = statistics.median
    own, c = med(stub), med(count)
    return dict(chat_ms=med(ours) * 1e3, raw_ms=med(raw) * 1e3, own_ms=own * 1e3, count_ms=c * 1e3,
                count_vs_own=c / own, count_vs_rest_of_own=c / (own - c), count_vs_request=c / med(ours), first_count_ms=first * 1e3)

def read(i:int, # which file
        )->str: # its text
    "Read file `i`."
    return f'file {i}: ' + f'line {i} of a long file. ' * 64

def long_run(compact, rounds=40, window=6000):
    "The main requests' input tokens, the summary calls' tokens (in, out) and the compactions of a scripted tool loop"
    script = [Reply(f'Reading {i}.', calls=[Call('read', {'i': i})]) for i in range(rounds)] + [Reply('All read.')]
    summary = 'Summary: the user asked for every file to be read; files were read in order, each says "line i of a long file".'
    def reply(req):
        if 'Summarise the earlier part' in json.dumps(req.body): return Reply(summary)
        return script.pop(0)
    llm = FakeLLM(strict=True).start()
    llm.add(*[reply] * (3 * rounds))
    chat = Chat(MODEL, tools=[read], api_base=llm.api_base, api_key='dummy', compact=dict(window=window) if compact else False)
    chat('Read files 0 to 39 and report.', max_steps=rounds)
    summ = [r for r in llm.requests if 'Summarise the earlier part' in json.dumps(r.body)]
    main = [r for r in llm.requests if r not in summ]
    llm.stop()
    return dict(main_in=sum(request_tokens(r.body) for r in main), summary_in=sum(request_tokens(r.body) for r in summ),
                summary_out=len(summ) * len(summary) // 4, summary_calls=len(summ), requests=len(main),
                compactions=sum(e.kind == 'compact' for e in chat._events), largest=max(request_tokens(r.body) for r in main))

if __name__ == '__main__':
    ap = argparse.ArgumentParser()
    ap.add_argument('--quick', action='store_true')
    reps = 15 if ap.parse_args().quick else 60
    c = counting(reps)
    print(f"counting, 200-message history, no compaction needed: {c['count_ms']:.3f} ms a request (first request: {c['first_count_ms']:.1f} ms)")
    print(f"  a Chat request {c['chat_ms']:.2f} ms (bare litellm {c['raw_ms']:.2f} ms); our own code in it (litellm stubbed out) {c['own_ms']:.2f} ms")
    print(f"  counting / our own code = {c['count_vs_own']:.3f} (/ the rest of it {c['count_vs_rest_of_own']:.3f})   counting / whole request = {c['count_vs_request']:.3f}")
    full, comp = long_run(False), long_run(True)
    saved, cost = full['main_in'] - comp['main_in'], comp['summary_in'] + comp['summary_out']
    print(f"long loop ({comp['requests']} requests): {full['main_in']:,} input tokens without compaction (largest request {full['largest']:,}), "
          f"{comp['main_in']:,} with ({comp['compactions']} compactions, largest request {comp['largest']:,})")
    print(f"  saved {saved:,} tokens; {comp['summary_calls']} summary calls cost {cost:,} tokens: saved / summary cost = {saved / cost if cost else float('inf'):.1f}")
    out = dict(counting=c, long_loop=dict(without=full, with_=comp, saved=saved, summary_cost=cost))
    (Path(__file__).parent/'compact_results.json').write_text(json.dumps(out, indent=1))
    print('KEY: counting/own overhead %.3f, saved/summary cost %.1f' % (c['count_vs_own'], saved / cost if cost else float('inf')))
