"""A protocol fuzzer for `lifecycle-job lsp`: random and mutated JSON-RPC traffic (bad headers,
truncated and padded frames, invalid UTF-8, deep JSON, wrong types, out-of-range positions,
out-of-order lifecycle) in sessions against the real server. Each session must end with the
server alive until `exit`, no crash, no hang, and every request (every message with an id and a
method) answered exactly once.

    python3 Tests/Fuzz/protocol_fuzz.py BINARY [--seconds N] [--seed S]
"""

import json
import os
import random
import subprocess
import sys
import time

METHODS = [
    "textDocument/completion", "textDocument/hover", "textDocument/definition", "textDocument/documentSymbol",
    "textDocument/documentLink", "textDocument/codeAction", "textDocument/codeLens", "textDocument/diagnostic",
    "completionItem/resolve", "workspace/executeCommand", "shutdown", "initialize", "unknown/method", "$/unknown",
]
NOTIFICATIONS = [
    "textDocument/didOpen", "textDocument/didChange", "textDocument/didSave", "textDocument/didClose",
    "workspace/didChangeWatchedFiles", "workspace/didChangeConfiguration", "$/cancelRequest", "initialized",
    "$/setTrace", "window/workDoneProgress/cancel",
]
URIS = ["file:///fuzz/lifecycle-job.yaml", "file:///fuzz/Dockerfile", "file:///fuzz/lifecycle-job.json",
        "untitled:Untitled-1", "file:///fuzz/qovery-output.json", "file:///nowhere/x.txt", ""]
TEXTS = [
    'name: a\nevents:\n  start: \'["-c", "echo" "x"]\'\n',
    'FROM alpine\nARG TF_VAR_x\nRUN echo $TF_VAR_x\nENTRYPOINT /bin/sh\n',
    '{"name": "a", "events": {"start": ["-c", "true"]}}',
    "\u00e9\u0301🚀数据\r\n\r\n\t:\n  - [\n{",
    "",
]


def frame(body: bytes) -> bytes:
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


def random_value(rng, depth=0):
    choice = rng.randrange(9 if depth < 4 else 5)
    if choice == 0:
        return None
    if choice == 1:
        return rng.choice([True, False])
    if choice == 2:
        return rng.choice([0, -1, 1, 2**31, -(2**53), 1e308, 0.5, 10**30])
    if choice == 3:
        return rng.choice(["", "x", "\u0000", "🚀" * 3, "a" * 1000, "file:///fuzz/Dockerfile"])
    if choice == 4:
        return rng.choice(URIS)
    if choice in (5, 6):
        return [random_value(rng, depth + 1) for _ in range(rng.randrange(4))]
    return {rng.choice(["uri", "textDocument", "position", "line", "character", "text", "range", "id", "x"]):
            random_value(rng, depth + 1) for _ in range(rng.randrange(4))}


def position(rng):
    return {"line": rng.choice([0, 1, 2, 3, 10**6, -1]), "character": rng.choice([0, 3, 7, 10**6, -5])}


def params_for(rng, method):
    if rng.random() < 0.15:
        return random_value(rng)
    uri = rng.choice(URIS)
    document = {"uri": uri}
    base = {"textDocument": document, "position": position(rng)}
    if method == "textDocument/codeAction":
        base = {"textDocument": document, "range": {"start": position(rng), "end": position(rng)},
                "context": {"diagnostics": [], "only": rng.choice([None, ["quickfix"], ["refactor"]])}}
    if method == "textDocument/didOpen":
        base = {"textDocument": {"uri": uri, "languageId": rng.choice(["yaml", "dockerfile", "json"]),
                                 "version": rng.randrange(100), "text": rng.choice(TEXTS)}}
    if method == "textDocument/didChange":
        change = {"text": rng.choice(TEXTS)}
        if rng.random() < 0.7:
            change["range"] = {"start": position(rng), "end": position(rng)}
        base = {"textDocument": {"uri": uri, "version": rng.randrange(100)}, "contentChanges": [change]}
    if method == "workspace/executeCommand":
        # Never a real run: an unknown command or malformed arguments.
        base = {"command": rng.choice(["nope", "lifecycle-job.runEvent"]), "arguments": [random_value(rng)]}
    if method == "initialize":
        base = {"capabilities": random_value(rng) if rng.random() < 0.3 else {}, "rootUri": rng.choice([None, "file:///fuzz"])}
    if method == "completionItem/resolve":
        base = {"label": "x", "data": {"uri": uri, "line": 0, "character": 0}}
    if method == "$/cancelRequest":
        base = {"id": rng.randrange(1, 50)}
    if rng.random() < 0.2:  # a mutation: drop a key, or change a value's type
        key = rng.choice(list(base.keys()))
        if rng.random() < 0.5:
            del base[key]
        else:
            base[key] = random_value(rng)
    return base


def garbage(rng):
    """Frames that are wrong in their framing or bytes; the stream stays in sync after each."""
    kind = rng.randrange(7)
    if kind == 0:
        return b"Content-Type: text/plain\r\n\r\n"
    if kind == 1:
        return b"Content-Length: abc\r\n\r\n"
    if kind == 2:
        return frame(bytes(rng.randrange(256) for _ in range(rng.randrange(1, 64))))
    if kind == 3:
        return frame(b"[" * 100000 + b"]" * 100000)
    if kind == 4:
        return frame(b'{"jsonrpc": "2.0", "method": "x", "params": ' + b"[" * 5000)
    if kind == 5:
        body = json.dumps({"jsonrpc": "2.0", "method": "textDocument/hover", "params": {}}).encode()
        return b"Content-Length: %d\r\n\r\n" % (len(body) + 10) + body + b" " * 10  # padded body
    return b"X-Header: y\nContent-Length: 2\n\n{}"


def session(binary, rng, messages):
    process = subprocess.Popen([binary, "lsp"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                               stderr=subprocess.DEVNULL)
    expected = set()
    next_id = 1
    chunks = []
    initialized = rng.random() < 0.85
    if initialized:
        chunks.append(frame(json.dumps({"jsonrpc": "2.0", "id": next_id, "method": "initialize",
                                        "params": {"capabilities": {}}}).encode()))
        expected.add(next_id)
        next_id += 1
    for _ in range(messages):
        roll = rng.random()
        if roll < 0.15:
            chunks.append(garbage(rng))
        elif roll < 0.55:
            method = rng.choice(NOTIFICATIONS)
            chunks.append(frame(json.dumps({"jsonrpc": "2.0", "method": method,
                                            "params": params_for(rng, method)}).encode()))
        else:
            method = rng.choice(METHODS)
            chunks.append(frame(json.dumps({"jsonrpc": "2.0", "id": next_id, "method": method,
                                            "params": params_for(rng, method)}).encode()))
            expected.add(next_id)
            next_id += 1
    chunks.append(frame(json.dumps({"jsonrpc": "2.0", "id": next_id, "method": "shutdown"}).encode()))
    expected.add(next_id)
    chunks.append(frame(json.dumps({"jsonrpc": "2.0", "method": "exit"}).encode()))
    data = b"".join(chunks)
    try:
        out, _ = process.communicate(data, timeout=60)
    except subprocess.TimeoutExpired:
        process.kill()
        return "hang (no exit within 60 s)", data
    if process.returncode not in (0, 1):
        return "crash (status %d)" % process.returncode, data
    answered = {}
    rest = out
    while rest:
        header, _, rest = rest.partition(b"\r\n\r\n")
        length = int(header.split(b":")[1])
        body, rest = rest[:length], rest[length:]
        message = json.loads(body)
        if "method" not in message and isinstance(message.get("id"), int):
            answered[message["id"]] = answered.get(message["id"], 0) + 1
    missing = sorted(expected - set(answered))
    twice = sorted(i for i, n in answered.items() if n > 1)
    if missing or twice:
        return "unanswered %s, answered twice %s" % (missing[:10], twice[:10]), data
    return None, data


def large_inputs(binary):
    """A 50 MB spec and a lifecycle-job.json nested 100,000 arrays deep: answered, promptly."""
    big = "name: big\nevents:\n  start: [\"-c\", \"true\"]\nenvironment:\n" + "".join(
        "  VAR_%d: value-%d\n" % (i, i) for i in range(1_800_000))
    deep = '{"name": "deep", "events": {"start": ' + "[" * 100_000 + "]" * 100_000 + "}}"
    messages = [{"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"capabilities": {}}}]
    next_id = 2
    for uri, text in [("file:///large/lifecycle-job.yaml", big), ("file:///deep/lifecycle-job.json", deep)]:
        messages.append({"jsonrpc": "2.0", "method": "textDocument/didOpen",
                         "params": {"textDocument": {"uri": uri, "languageId": "yaml", "version": 1, "text": text}}})
        for method in ["textDocument/hover", "textDocument/completion", "textDocument/documentSymbol",
                       "textDocument/diagnostic"]:
            messages.append({"jsonrpc": "2.0", "id": next_id, "method": method,
                             "params": {"textDocument": {"uri": uri}, "position": {"line": 3, "character": 2}}})
            next_id += 1
    messages += [{"jsonrpc": "2.0", "id": next_id, "method": "shutdown"}, {"jsonrpc": "2.0", "method": "exit"}]
    started = time.time()
    result = subprocess.run([binary, "lsp"], input=b"".join(frame(json.dumps(m).encode()) for m in messages),
                            capture_output=True, timeout=120)
    seconds = time.time() - started
    answered = result.stdout.count(b'"id":')
    if result.returncode != 0 or answered < next_id:
        print("FAIL: large inputs: status %d, %d of %d requests answered" % (result.returncode, answered, next_id))
        sys.exit(1)
    print("large inputs: a %.0f MB spec and a 100,000-deep JSON spec answered in %.1f s"
          % (len(big) / 1e6, seconds))


def main():
    binary = sys.argv[1]
    seconds = float(sys.argv[sys.argv.index("--seconds") + 1]) if "--seconds" in sys.argv else 30
    seed = int(sys.argv[sys.argv.index("--seed") + 1]) if "--seed" in sys.argv else int(time.time())
    rng = random.Random(seed)
    large_inputs(binary)
    deadline = time.time() + seconds
    sessions = messages = 0
    while time.time() < deadline:
        count = rng.randrange(1, 60)
        problem, data = session(binary, rng, count)
        sessions += 1
        messages += count
        if problem:
            path = "protocol-fuzz-failure-%d.bin" % seed
            with open(path, "wb") as file:
                file.write(data)
            print("FAIL after %d sessions (seed %d): %s; input saved to %s" % (sessions, seed, problem, path))
            sys.exit(1)
    print("protocol fuzz: %d sessions, %d messages, seed %d: no crash, no hang, every request answered once"
          % (sessions, messages, seed))


if __name__ == "__main__":
    main()
