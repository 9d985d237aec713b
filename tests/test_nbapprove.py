"""Approval in the notebook in a real Jupyter kernel (ipykernel on this interpreter, a strict `FakeLLM` in the kernel, real
litellm and HTTP): a turn shown live pauses on a call and its output carries the widget (the widget-view mime); a click,
sent as the frontend sends it (a `comm_msg` on the shell channel: ipywidgets' `{"method": "custom", "content": {"event":
"click"}}`), settles the call and goes on with the turn in the same output (the answer reaches the `Output` widget in the
cell's widget); a denial's reason, typed in the widget's text box, is told to the model; "Always allow" lets later calls
run without asking; an async cell waits for the click inline; a displayed async stream pauses and goes on as a sync one."""
import json, os, sys, time
from pathlib import Path
import pytest

root = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(root/'tools'))
import screenshot as shot  # tools/screenshot.py: a kernel spec for this interpreter

view_mime = 'application/vnd.jupyter.widget-view+json'
setup = '''import asyncio, json
from lisette_like import Chat, AsyncChat
from lisette_like.fakellm import FakeLLM, Reply, Call
from lisette_like.live import display_stream, adisplay_stream
from lisette_like.basics import get_path
ran = []
def rm(path:str, # the file to remove
      )->str: # what was done
    "Remove a file (pretend)"
    ran.append(path)
    return f'removed {path}'
llm = FakeLLM(strict=True).start()
kw = dict(api_base=llm.api_base, api_key='dummy')
def errors(): return [r.error for r in llm.requests if r.error]'''

class Kernel:
    "A kernel and its client: run cells, send widget messages, read what came back, each message with its parent's id"
    def __init__(self, km, kc): self.km, self.kc, self.seen = km, kc, []

    def _next(self, timeout):
        m = self.kc.get_iopub_msg(timeout=timeout)
        self.seen.append(m)
        return m

    def wait(self, pid, until=None, timeout=60):
        "The iopub messages of parent `pid` until it is idle (or `until(msgs)` holds); a TimeoutError past `timeout`"
        end, got = time.monotonic() + timeout, [m for m in self.seen if m['parent_header'].get('msg_id') == pid]
        while True:
            if until and until(got): return got
            if any(m['msg_type'] == 'status' and m['content']['execution_state'] == 'idle' for m in got) and not until: return got
            left = end - time.monotonic()
            if left <= 0: raise TimeoutError(f'waited {timeout} s for message {pid}')
            try: m = self._next(min(left, 1))
            except Exception: continue
            if m['parent_header'].get('msg_id') == pid: got.append(m)

    def start(self, code)->str: return self.kc.execute(code)

    def ok(self, code)->list:
        msgs = self.wait(self.start(code))
        errs = [m['content'] for m in msgs if m['msg_type'] == 'error']
        assert not errs, (code, errs)
        return msgs

    def value(self, expr:str):
        "The value of `expr` in the kernel, sent back as JSON"
        msgs = self.ok(f'print(json.dumps({expr}))')
        return json.loads(''.join(m['content']['text'] for m in msgs if m['msg_type'] == 'stream'))

    def comm(self, comm_id, data)->str:
        "Send widget message `data` to comm `comm_id`, as the frontend does; the message's id"
        msg = self.kc.session.msg('comm_msg', {'comm_id': comm_id, 'data': data})
        self.kc.shell_channel.send(msg)
        return msg['header']['msg_id']

    def click(self, comm_id)->str: return self.comm(comm_id, {'method': 'custom', 'content': {'event': 'click'}})
    def type(self, comm_id, text): return self.wait(self.comm(comm_id, {'method': 'update', 'state': {'value': text}, 'buffer_paths': []}))

def widgets(msgs, model='ButtonModel')->dict:
    "The widgets opened in `msgs` of one model: their description (or value), to their comm id"
    res = {}
    for m in msgs:
        st = m['content'].get('data', {}).get('state', {}) if m['msg_type'] == 'comm_open' else {}
        if st.get('_model_name') == model: res.setdefault(st.get('description') or st.get('placeholder', ''), []).append(m['content']['comm_id'])
    return res

def updates(msgs)->str:
    "Every widget state update in `msgs`, as one JSON text (the Markdown an `Output` widget was given is in it)"
    return json.dumps([m['content']['data'] for m in msgs if m['msg_type'] == 'comm_msg'], ensure_ascii=False)

@pytest.fixture(scope='module')
def k(tmp_path_factory):
    tmp = tmp_path_factory.mktemp('nbapprove')
    km, kc = shot.start_kernel(tmp, root)
    k = Kernel(km, kc)
    k.ok(setup)
    yield k
    kc.stop_channels(); km.shutdown_kernel(now=True)

def pause(k, code):
    "Run `code`, a turn that pauses: its messages and its buttons"
    msgs = k.ok(code)
    assert any(view_mime in m['content'].get('data', {}) for m in msgs if m['msg_type'] == 'display_data'), 'no widget in the output'
    return msgs, widgets(msgs)

def test_approve_click_goes_on_in_the_same_output(k):
    msgs, b = pause(k, "llm.add(Reply('Removing it.', calls=[Call('rm', {'path': 'a.txt'})]), Reply('Done: a.txt is gone.'))\n"
                       "chat = Chat('claude-sonnet-4-5', tools=[rm], approve='ask', **kw)\n"
                       "display_stream(chat('remove a.txt', stream=True))")
    assert k.value("[c.name for c in chat.pending]") == ['rm'] and set(b) >= {'Approve', 'Deny', 'Always allow rm'}, b
    assert 'waits for approval' in updates(msgs) or any('waits for approval' in json.dumps(m['content']) for m in msgs)
    got = k.wait(k.click(b['Approve'][0]))
    assert 'Done: a.txt is gone.' in updates(got) and '✅ approved' in updates(got), updates(got)[-2000:]
    assert '"disabled": true' in updates(got)
    assert k.value("[ran, chat.pending, chat.hist[-1]['content'], errors()]") == [['a.txt'], [], 'Done: a.txt is gone.', []]
    k.wait(k.click(b['Approve'][0]))  # a second click does nothing
    assert k.value("[ran, len(llm.requests)]") == [['a.txt'], 2]

def test_deny_with_a_reason_tells_the_model(k):
    msgs, b = pause(k, "llm.add(Reply('Removing it.', calls=[Call('rm', {'path': 'b.txt'})]), Reply('Kept b.txt.'))\n"
                       "display_stream(chat('remove b.txt', stream=True))")
    k.type(widgets(msgs, 'TextModel')['reason (optional, told to the model)'][0], 'I still need it')
    got = k.wait(k.click(b['Deny'][0]))
    assert 'Kept b.txt.' in updates(got) and '🚫 denied' in updates(got)
    told = 'Denied: the user did not approve this call, so it did not run. Reason: I still need it'
    assert k.value("[ran, chat.hist[-2]['content'], errors()]") == [['a.txt'], told, []]
    assert told in k.value("json.dumps(llm.requests[-1].body)")  # the model was told

def test_always_allow_approves_this_tool_from_now_on(k):
    msgs, b = pause(k, "llm.add(Reply('Two.', calls=[Call('rm', {'path': 'c.txt'}), Call('rm', {'path': 'd.txt'})]), Reply('Both gone.'))\n"
                       "display_stream(chat('remove c.txt and d.txt', stream=True))")
    assert len(b['Always allow rm']) == 2  # a row per call
    got = k.wait(k.click(b['Always allow rm'][0]))
    assert 'Both gone.' in updates(got) and 'always allowed' in updates(got)
    msgs = k.ok("llm.add(Reply('One more.', calls=[Call('rm', {'path': 'e.txt'})]), Reply('Gone too.'))\n"
                "display_stream(chat('remove e.txt', stream=True))")
    assert not widgets(msgs) and k.value("[ran[-3:], chat.pending, errors()]") == [['c.txt', 'd.txt', 'e.txt'], [], []]

def test_async_cell_waits_inline(k):
    "`await adisplay_stream(...)` on the kernel's loop: the row shows, the cell waits, the click answers, the same cell ends with the answer"
    pid = k.start("llm.add(Reply('Removing it.', calls=[Call('rm', {'path': 'f.txt'})]), Reply('f.txt is gone.'))\n"
                  "achat = AsyncChat('claude-sonnet-4-5', tools=[rm], approve='ask', **kw)\n"
                  "fmt = await adisplay_stream(achat('remove f.txt', stream=True))")
    msgs = k.wait(pid, until=lambda ms: 'Approve' in widgets(ms))
    k.click(widgets(msgs)['Approve'][0])  # (handled while the cell awaits: ipykernel publishes no busy/idle for it)
    msgs = k.wait(pid)
    assert not [m for m in msgs if m['msg_type'] == 'error']
    md = ''.join(m['content']['data'].get('text/markdown', '') for m in msgs if m['msg_type'] in ('display_data', 'update_display_data'))
    assert 'f.txt is gone.' in md, md
    assert k.value("[ran[-1], achat.pending, errors(), achat.hist[-2]['content']]") == ['f.txt', [], [], 'removed f.txt']

def test_async_plain_await_waits_inline(k):
    "Once the notebook's asker is set, a plain `await achat(...)` waits for the click too, and returns the answer"
    pid = k.start("llm.add(Reply(calls=[Call('rm', {'path': 'g.txt'})]), Reply('g.txt is gone.'))\n"
                  "r = await achat('remove g.txt')\nr.choices[0].message.content")
    msgs = k.wait(pid, until=lambda ms: 'Approve' in widgets(ms))
    k.click(widgets(msgs)['Approve'][0])
    res = [m['content']['data']['text/plain'] for m in k.wait(pid) if m['msg_type'] == 'execute_result']
    assert res == ["'g.txt is gone.'"], res

def test_displayed_async_stream_pauses_and_goes_on(k):
    "A displayed async stream runs on the aside loop while the cell waits: it pauses, and the click goes on there"
    msgs, b = pause(k, "llm.add(Reply('Removing it.', calls=[Call('rm', {'path': 'h.txt'})]), Reply('h.txt is gone.'))\n"
                       "achat2 = AsyncChat('claude-sonnet-4-5', tools=[rm], approve={'rm'}, **kw)\n"
                       "achat2('remove h.txt', stream=True)")
    k.wait(k.click(b['Approve'][0]))
    end = time.monotonic() + 30
    while k.value("get_path(achat2.hist[-1], 'content')") != 'h.txt is gone.':
        assert time.monotonic() < end, 'the turn did not go on'
    assert 'h.txt is gone.' in updates(k.seen)
    assert k.value("[ran[-1], achat2.pending, errors()]") == ['h.txt', [], []]
