"""JavaScript data literals in pages' scripts, read as Python data: the bracketed value that starts at a
position (strings and escapes respected) and an object or array literal with unquoted keys, single-quoted
strings and trailing commas (`{SID: '200001', TREE: [...],}`), as gkmlpt configs and zTree node lists are
written."""

from __future__ import annotations

import json
import re

_OPEN = {"[": "]", "{": "}"}
_KEY = re.compile(r"""(?<=[{,])\s*([A-Za-z_$][\w$]*)\s*:""")
_TRAILING = re.compile(r",\s*(?=[\]}])")


def balanced(text: str, start: int) -> str:
    """The bracketed value that starts at `start` ([...] or {...}), strings and escapes respected."""
    if start >= len(text) or text[start] not in _OPEN:
        return ""
    stack: list[str] = []
    quote = ""
    i = start
    while i < len(text):
        c = text[i]
        if quote:
            if c == "\\":
                i += 2
                continue
            if c == quote:
                quote = ""
        elif c in "\"'":
            quote = c
        elif c in _OPEN:
            stack.append(_OPEN[c])
        elif stack and c == stack[-1]:
            stack.pop()
            if not stack:
                return text[start : i + 1]
        i += 1
    return ""


def js_value(value: str) -> object:
    """A JavaScript object or array literal as Python data (None when it is not plain data)."""
    out, quote, buf, i = [], "", [], 0
    while i < len(value):  # strings to JSON strings; outside them, keys quoted and trailing commas dropped
        c = value[i]
        if quote:
            if c == "\\" and i + 1 < len(value):
                buf.append(value[i : i + 2])
                i += 2
                continue
            if c == quote:
                raw = "".join(buf).replace("\\'", "'")
                out.append(json.dumps(json.loads(f'"{raw}"') if quote == '"' else _unescape(raw)))
                quote, buf = "", []
            else:
                buf.append(c)
        elif c in "\"'":
            quote = c
        else:
            j = i
            while j < len(value) and value[j] not in "\"'":
                j += 1
            out.append(_TRAILING.sub("", _KEY.sub(r'"\1":', value[i:j])))
            i = j
            continue
        i += 1
    try:
        return json.loads(_TRAILING.sub("", "".join(out)))
    except ValueError:
        return None


def _unescape(raw: str) -> str:
    try:
        return json.loads('"' + raw.replace('"', '\\"') + '"')
    except ValueError:
        return raw
