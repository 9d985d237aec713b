#!/usr/bin/env python
"""What `lisette_like.instrumentation`'s `instrument` costs per chunk: instrumented streams against a plain generator, with 0 and 1 observers.

    python bench/instrument_bench.py                 # 50,000 chunks, median of 7 runs (about 1 minute)
    python bench/instrument_bench.py --n 20000 --runs 5

Four instrumented streams of the same N short text chunks are timed against the plain generator they wrap, consumed by a
bare `for` loop (the cheapest consumer, so the overhead shows at its largest):

* `gen`: a generator function decorated with `@instrument` (its chunks relayed by `_relay`);
* `ret`: a plain function returning an iterator, decorated (the `litellm.completion(stream=True)` case: `_Stream`);
* `agen`, `aret`: their async twins, consumed with `async for` (the `litellm.acompletion` case: `_AStream`);
* `retq`, `aretq`: `ret` and `aret` with `progress=False` (no per-chunk events, only start and end: how `Chat` would
  wrap its own litellm calls, since it reports chunks as `delta` events itself).

Each is run with no observer and with one (a function doing nothing, so only our work and `events.emit`'s is timed).
Runs of all cases are interleaved; we print the plain generator's µs per chunk, and for each case the median over runs
of (instrumented - plain) / N, in µs per chunk, on one line. Nothing is asserted."""
import os, sys, time, asyncio, argparse, statistics
from pathlib import Path
os.environ['LITELLM_LOCAL_MODEL_COST_MAP'] = 'True'
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
import lisette_like.events as events
from lisette_like.instrumentation import instrument

WORDS = [f'w{i % 97:02d} ' for i in range(97)]

def plain(n):
    for i in range(n): yield WORDS[i % 97]

async def aplain(n):
    for i in range(n): yield WORDS[i % 97]

gen = instrument(plain, name='gen')
ret = instrument(lambda n: plain(n), name='ret')
agen = instrument(aplain, name='agen')
aret = instrument(lambda n: aplain(n), name='aret')
retq = instrument(lambda n: plain(n), name='retq', progress=False)    # as Chat would wrap litellm.completion
aretq = instrument(lambda n: aplain(n), name='aretq', progress=False)

def consume(it):
    t = time.perf_counter()
    for _ in it: pass
    return time.perf_counter() - t

async def aconsume(it):
    t = time.perf_counter()
    async for _ in it: pass
    return time.perf_counter() - t

def timed(case, n):
    "Seconds to consume `n` chunks of `case`"
    if not case.startswith('a'): return consume(dict(plain=plain, gen=gen, ret=ret, retq=retq)[case](n))
    return asyncio.run(aconsume(dict(aplain=aplain, agen=agen, aret=aret, aretq=aretq)[case](n)))

def run(n, runs):
    "Per-chunk seconds of every case, `runs` interleaved runs each, with 0 and 1 observers"
    cases = ['plain', 'gen', 'ret', 'retq', 'aplain', 'agen', 'aret', 'aretq']
    res = {(c, k): [] for c in cases for k in (0, 1)}
    for c in cases: timed(c, min(n, 1000))  # warm up
    for _ in range(runs):
        for k in (0, 1):
            unsub = events.observe(lambda e: None) if k else None
            try:
                for c in cases: res[c, k].append(timed(c, n) / n)
            finally:
                if unsub: unsub()
    return res

def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--n', type=int, default=50_000, help='chunks per stream')
    p.add_argument('--runs', type=int, default=7, help='runs of each case (the median is reported)')
    a = p.parse_args()
    assert not events.observers, 'the bench needs no other global observer'
    res = run(a.n, a.runs)
    us = lambda c, k, base: statistics.median((x - b) * 1e6 for x, b in zip(res[c, k], res[base, k]))
    parts = [f'{c} {k} obs +{us(c, k, "aplain" if c.startswith("a") else "plain"):.2f}'
             for k in (0, 1) for c in ('gen', 'ret', 'retq', 'agen', 'aret', 'aretq')]
    print(f'instrument µs/chunk over plain (plain {statistics.median(res["plain", 0]) * 1e6:.3f}, '
          f'async plain {statistics.median(res["aplain", 0]) * 1e6:.3f}; N={a.n:,}, median of {a.runs}): ' + ', '.join(parts))

if __name__ == '__main__': main()
