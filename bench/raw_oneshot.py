#!/usr/bin/env python
"""The offline one-shot command's work with litellm alone: a reference for `bench/run.py`.

    python bench/raw_oneshot.py REQUEST_JSON

`REQUEST_JSON` is the first request the one-shot sends (model, messages, tool schema and options, `stream=True`), as
`Chat` passes it to litellm. This imports litellm, streams that request, builds the response, runs the `add` tool call
it asks for, streams the second request with the result, and prints the text as it arrives, as the command does."""
import json, sys
import litellm

def add(a, b=0): return a + b

def stream_text(req):
    "Stream `req`, printing its text; the complete response"
    chunks = []
    for c in litellm.completion(**req):
        chunks.append(c)
        if c.choices and c.choices[0].delta.content: print(c.choices[0].delta.content, end='', flush=True)
    return litellm.stream_chunk_builder(chunks, messages=req['messages'])

def tool_results(msg):
    "The tool messages answering the `add` calls of assistant message `msg`"
    return [dict(role='tool', tool_call_id=tc.id, name=tc.function.name, content=str(add(**json.loads(tc.function.arguments))))
            for tc in msg.tool_calls or []]

def main(req):
    "Both requests of the one-shot: the question, then the tool's result"
    msg = stream_text(req).choices[0].message
    stream_text({**req, 'messages': req['messages'] + [msg] + tool_results(msg)})
    print()

if __name__ == '__main__': main(json.loads(sys.argv[1]))
