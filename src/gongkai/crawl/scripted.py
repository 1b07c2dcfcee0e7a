"""Script-rendered pages: a list or catalogue that a script fills after the page loads.

Many government list pages ship an empty container and a script that asks the site's own API for the
rows: avalon (`ms-controller` / `ms-repeat`, TRS's 福建 platforms), Vue (`v-for`, `{{ }}`), jQuery and
art-template templates, layui tables, or plain `$.ajax` / `fetch` / `axios` filling a `<ul id="list">`.
Read as served, such a page is an empty article, and its column looks blank.

`plan(url, text, tree)` says, from the page alone (pure, no network), whether it is such a page, which
API requests its script makes that can be repeated as they stand (URL, method, form: the URL and every
form value written out in the script) and whether only a browser can read it (`needs_browser`: the
requests are built at run time). Hanweb's `dataproxy.jsp` is asked by POST, as its jpage script does
(`request_of`): some servers answer nothing else.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit

from selectolax.lexbor import LexborHTMLParser, LexborNode

from gongkai.crawl.apilist import PAGE_PARAMS


@dataclass(frozen=True)
class ApiCall:
    """One request a page's script makes for its list."""

    url: str
    method: str = "GET"  # GET | POST
    form: tuple[tuple[str, str], ...] = ()  # a POST's form fields, in the script's order

    @property
    def body(self) -> bytes:
        return urlencode(self.form).encode("utf-8")


@dataclass
class ScriptPlan:
    """What a script-rendered page needs to be read."""

    engine: str  # avalon | vue | jquery-tmpl | art-template | layui | ajax | hanweb
    calls: list[ApiCall] = field(default_factory=list)  # requests that can be repeated as they stand
    endpoints: list[str] = field(default_factory=list)  # API URLs named in the script, built at run time
    needs_browser: bool = False  # no repeatable request fills the list: only a browser reads it


# cheap substring tests first: most pages have none of these and cost one scan each
_MARKERS = (
    "ms-controller",
    "ms-repeat",
    "ms-for",
    "v-for",
    "{{",
    "x-jquery-tmpl",
    "text/template",
    'text/html" id',
    "template(",
    "laytpl",
    "table.render",
    "$.ajax",
    "jQuery.ajax",
    "$.get",
    "$.post",
    "fetch(",
    "axios",
    "dataproxy.jsp",
    "listApi",
)
# a row template: a repeated element (avalon's ms-repeat / ms-for, Vue's v-for) whose link is bound to the
# data (ms-attr-href, :href, href="{{…}}"); a repeated menu or hot-word list has no such rows of links
_ROW_REPEAT = re.compile(
    r"<(?:li|tr|dd|dt|div|p|article|section)\b[^>]*?\s(ms-(?:repeat|for|each)[\w-]*|v-for)\s*="
)
_BOUND_LINK = re.compile(r"""ms-(?:attr-)?href|\s:href\s*=|v-bind:href|href\s*=\s*['"][^'"]*\{\{""")
# each engine's pattern with the literals one of which any match contains: a substring test is many
# times cheaper than the pattern's scan of a whole page (most pages name none of them)
_TEMPLATE_ENGINES = (
    ("jquery-tmpl", (".tmpl(", "text/x-jquery-tmpl"), re.compile(r"text/x-jquery-tmpl|\$\.tmpl\(|\.tmpl\(")),
    (
        "art-template",
        ("template(", "{{each", "<%", "text/template"),
        re.compile(r"\btemplate\(\s*['\"][\w-]+['\"]\s*,|\{\{each\b|<%\s*for\b|text/template"),
    ),
    ("layui", ("table.render", "laytpl"), re.compile(r"\btable\.render\s*\(|\blaytpl\s*\(")),
)
_STR = r"""(?:'([^'\\\n]*)'|"([^"\\\n]*)"|`([^`$\\\n]*)`)"""
# a string literal that is the whole argument (not 'a' + b)
_WHOLE = r"\s*(?=[,)}\n;])"
_CALLS = (
    # $.ajax({ ... url: '...' ... }) and axios({ url: ... }): the options object is read below
    re.compile(r"(?:\$|jQuery)\.ajax\s*\(\s*\{|axios\s*\(\s*\{"),
)
_SHORTHAND = re.compile(
    r"(?:(?:\$|jQuery)\.(get|post|getJSON)|axios\.(get|post)|\bfetch)\s*\(\s*" + _STR + _WHOLE
)
_URL_OPTION = re.compile(r"\burl\s*:\s*" + _STR + _WHOLE)
_API_PATH = re.compile(r"\.(?:json|do|jsp|action|ashx|aspx|php)(?:\?|$)|/api/|/interface/|/data/", re.I)
_NOT_LISTS = re.compile(
    r"count|visit|\bstats?\b|statistic|hits|click|\blog(?:in)?\b|weather|captcha|token|\buser\b|online", re.I
)
_METHOD_POST = re.compile(r"""\b(?:type|method)\s*:\s*['"]post['"]""", re.I)
_DATA_OPTION = re.compile(r"\b(?:data|params|body)\s*:\s*\{")
_PAIR = re.compile(
    r"""['"]?([A-Za-z_$][\w$]*)['"]?\s*:\s*(?:'([^'\\\n]*)'|"([^"\\\n]*)"|(-?\d+(?:\.\d+)?))\s*(?=[,}])"""
)
_KEY = re.compile(r"""['"]?([A-Za-z_$][\w$]*)['"]?\s*:""")
# a list's container: <ul>, <ol>, <tbody>, <table> named like one; a <div> only with a list's own name
_CONTAINER = re.compile(r"list|content|data|news|info|article|result|items|tbody", re.I)
_DIV_CONTAINER = re.compile(r"list|data|items|result", re.I)
_FURNITURE = re.compile(r"nav|menu|header|footer|foot|crumb|banner|search|login|link|yqlj", re.I)
_ANY_REQUEST = re.compile(
    r"(?:\$|jQuery)\.(?:ajax|get|post|getJSON)\s*\(|\bfetch\s*\(|\baxios\b|XMLHttpRequest"
)
_SCRIPT = re.compile(r"<script\b[^>]*>(.*?)</script>", re.S | re.I)


def plan(url: str, text: str, tree: LexborHTMLParser) -> ScriptPlan | None:
    """The plan of a page whose list is filled by script, else None (`tree`: the parsed `text`, scripts
    still in it)."""
    if not may_be_scripted(text, tree):
        return None
    scripts = "\n".join(_SCRIPT.findall(text))
    engine = _row_template(text) or next(
        (name for name, marks, rx in _TEMPLATE_ENGINES if any(m in text for m in marks) and rx.search(text)),
        "",
    )
    calls, endpoints = _api_calls(url, scripts)
    if not engine and not (calls or endpoints or _built_request(scripts)):
        return None
    if not engine and not _empty_container(tree):
        return None  # a filled page whose script asks for something else (a counter, a menu)
    found = ScriptPlan(engine or ("hanweb" if "dataproxy.jsp" in scripts else "ajax"), calls, endpoints)
    found.needs_browser = not calls
    return found


# with the parse tree at hand: these in the page's scripts (lexbor's search, a few % of a parse) ...
_SCRIPT_MARKS = (
    "ajax",
    "$.get",
    "$.post",
    "fetch(",
    "axios",
    "template(",
    "laytpl",
    "table.render",
    "dataproxy.jsp",
    "listApi",
    "{{",
    "<%",
    "Vue",
    "avalon",
)
# ... and these (long: a quick scan) anywhere in the page
_PAGE_MARKS = ("ms-controller", "v-for=")


def _row_template(text: str) -> str:
    """'avalon' or 'vue' when the page has a row template of data-bound links, else ''."""
    if "ms-" not in text and "v-for" not in text:  # what every row template has: no pattern scan
        return ""
    for m in _ROW_REPEAT.finditer(text):
        if _BOUND_LINK.search(text, m.end(), m.end() + 800):
            return "vue" if m.group(1) == "v-for" else "avalon"
    return ""


def may_be_scripted(text: str, tree: LexborHTMLParser | None = None) -> bool:
    """A cheap test: whether the page has any mark of a script-filled list (most pages have none).
    Given its parse tree (scripts still in it), only the scripts are searched for the short marks."""
    if tree is None:
        return any(m in text for m in _MARKERS)
    return any(m in text for m in _PAGE_MARKS) or any(tree.scripts_contain(m) for m in _SCRIPT_MARKS)


def _api_calls(url: str, scripts: str) -> tuple[list[ApiCall], list[str]]:
    """The repeatable requests in the scripts and the API URLs named that cannot be repeated as written."""
    calls: list[ApiCall] = []
    endpoints: list[str] = []
    host = urlsplit(url).netloc.lower()
    for start, target, method, options in _requests(scripts):
        absolute = urljoin(url, target)
        parts = urlsplit(absolute)
        if (
            parts.scheme not in ("http", "https")
            or parts.netloc.lower() != host
            or _NOT_LISTS.search(parts.path)
        ):
            continue
        form, literal = _form(options)
        if "dataproxy.jsp" in parts.path:
            method = "POST"
            form = form or tuple(parse_qsl(parts.query))
        if not literal or _built_url(scripts, start):
            endpoints.append(absolute)
            continue
        if method == "GET" and form:
            sep = "&" if parts.query else "?"
            absolute += sep + urlencode(form)
            form = ()
        call = ApiCall(absolute, method, form)
        if call not in calls:
            calls.append(call)
    return calls, endpoints


# what every match of _SHORTHAND, _CALLS, _NAMED_API and _ANY_REQUEST contains: the patterns scan only
# scripts that have one of these
_SHORTHAND_MARKS = (".get", ".post", "fetch")
_CALL_MARKS = (".ajax", "axios")
_NAMED_API = re.compile(r"\b(?:listApi|api|dataUrl|listUrl)\s*:\s*\{?\s*(?:url\s*:\s*)?" + _STR)
_NAMED_API_MARKS = ("api", "listApi", "dataUrl", "listUrl")
_ANY_REQUEST_MARKS = (".ajax", ".get", ".post", "fetch", "axios", "XMLHttpRequest")


def _has(text: str, marks: tuple[str, ...]) -> bool:
    return any(m in text for m in marks)


def _requests(scripts: str) -> list[tuple[int, str, str, str]]:
    """(position, URL literal, method, options text) of each request the scripts make."""
    out = []
    for m in _SHORTHAND.finditer(scripts) if _has(scripts, _SHORTHAND_MARKS) else ():
        verb = (m.group(1) or m.group(2) or "get").lower()
        target = m.group(3) or m.group(4) or m.group(5) or ""
        rest = _balanced(scripts, m.end())
        method = "POST" if verb == "post" or _METHOD_POST.search(rest) else "GET"
        out.append((m.start(), target, method, rest))
    for rx in _CALLS if _has(scripts, _CALL_MARKS) else ():
        for m in rx.finditer(scripts):
            options = _balanced(scripts, m.end() - 1)
            u = _URL_OPTION.search(options)
            if u:
                method = "POST" if _METHOD_POST.search(options) else "GET"
                out.append((m.start(), u.group(1) or u.group(2) or u.group(3) or "", method, options))
    for m in _NAMED_API.finditer(scripts) if _has(scripts, _NAMED_API_MARKS) else ():
        if _API_PATH.search(m.group(1) or m.group(2) or m.group(3) or "") or "listApi" in m.group(0):
            # named, but the call is made by a library with arguments built at run time
            out.append((m.start(), m.group(1) or m.group(2) or m.group(3) or "", "GET", "{built}"))
    return [r for r in out if r[1] and not r[1].startswith(("javascript:", "#"))]


def _balanced(text: str, start: int, limit: int = 4000) -> str:
    """The bracketed text opening at `start` (a `{` or `(`), or the next `limit` characters."""
    opening = text[start : start + 1]
    close = {"{": "}", "(": ")"}.get(opening)
    if close is None:
        return text[start : start + 400]
    depth = 0
    for i in range(start, min(len(text), start + limit)):
        c = text[i]
        if c == opening:
            depth += 1
        elif c == close:
            depth -= 1
            if depth == 0:
                return text[start : i + 1]
    return text[start : start + limit]


def _form(options: str) -> tuple[tuple[tuple[str, str], ...], bool]:
    """The fields of a call's data/params/body object and whether every value is written out (a page
    number given as a variable counts as the first page)."""
    if options == "{built}":
        return (), False
    m = _DATA_OPTION.search(options)
    if m is None:
        # $.get(url, {…}) / axios.post(url, {…}): the object right after the URL
        inner = options.lstrip("(, \n\t")
        if not inner.startswith("{"):
            return (), "JSON.stringify" not in options and "FormData" not in options
        block = _balanced(inner, 0)
    else:
        block = _balanced(options, m.end() - 1)
    pairs = [(p.group(1), p.group(2) or p.group(3) or p.group(4) or "") for p in _PAIR.finditer(block)]
    names = {k for k, _ in pairs}
    literal = True
    for key in _KEY.findall(block[1:]):
        if key in names:
            continue
        if key.lower() in PAGE_PARAMS:
            pairs.append((key, "1"))
        else:
            literal = False  # a value computed by the script
    return tuple(pairs), literal


def _built_url(scripts: str, start: int) -> bool:
    """Whether the URL literal of the call at `start` is concatenated with something (built at run time)."""
    head = scripts[start : start + 400]
    return bool(re.search(r"""url\s*:\s*['"][^'"]*['"]\s*\+|\(\s*['"][^'"]*['"]\s*\+""", head))


def _built_request(scripts: str) -> bool:
    """Whether the scripts make a request whose URL is not written out (built at run time); a request to
    a counter or the like, written out, does not count."""
    for m in _ANY_REQUEST.finditer(scripts) if _has(scripts, _ANY_REQUEST_MARKS) else ():
        head = scripts[m.end() : m.end() + 200]
        literal = re.match(r"""\s*(?:\{[^}]*?url\s*:\s*)?['"]([^'"]*)['"]""", head)
        if literal is None or not _NOT_LISTS.search(literal.group(1)):
            return True
    return False


def _empty_container(tree: LexborHTMLParser) -> bool:
    """Whether the page has a list container (by its id or class) with no rows and no links in it."""
    body = tree.body
    if body is None:
        return False
    for node in body.css(
        "ul[id], ol[id], tbody[id], table[id], div[id], ul[class], tbody[class], div[class]"
    ):
        name = f"{node.attributes.get('id') or ''} {node.attributes.get('class') or ''}"
        named = (_DIV_CONTAINER if node.tag == "div" else _CONTAINER).search(name)
        if not named or _FURNITURE.search(name):
            continue
        if _empty(node):
            return True
    return False


def _empty(node: LexborNode) -> bool:
    if node.css_first("a[href], li, tr td"):
        return False
    return len((node.text() or "").strip()) < 20


def request_of(url: str, forms: dict[str, bytes]) -> tuple[str, bytes | None]:
    """How to ask for `url`: POST with the form a page's script sends (`forms`: URL -> form), POST for
    Hanweb's dataproxy.jsp (its query as the form, as jpage sends it), else GET."""
    form = forms.get(url)
    if form is not None:
        return "POST", form
    if "/dataproxy.jsp" in url:
        return "POST", urlencode(parse_qsl(urlsplit(url).query)).encode("utf-8")
    return "GET", None


# An element whose text a script fills in: avalon's ms-text / ms-html, Vue's v-text / v-html, Thymeleaf's th:text
# (left unrendered), Alpine's x-text, Knockout's data-bind="text: ..."; or a {{ }} interpolation on a page that
# loads such a framework (without one, {{ }} on the page is a template leak the reader sees, not a binding).
_ATTR_BINDING = re.compile(
    r"""<\w+\b[^>]*?\s(?:ms-(?:text|html)|v-(?:text|html)|th:(?:u?text)|x-(?:text|html)|data-bind)\s*=\s*"""
    r"""(?:'[^']*'|"[^"]*")[^>]*>\s*</\w+>""",
    re.I,
)
# A value held in a hidden input beside an empty element with an id a script writes it into (证监会's
# <input class="fwrq" type="hidden" value='1645150682000'/><span id="fwrqBox"></span> for 发文日期).
_HIDDEN_VALUE = re.compile(
    r"""<input\b[^>]*?type\s*=\s*["']?hidden["']?[^>]*?value\s*=\s*(?:'[^']+'|"[^"]+")[^>]*>\s*"""
    r"""<(\w+)\b[^>]*?\sid\s*=\s*["'][^"']+["'][^>]*>\s*</\1>""",
    re.I,
)
_INTERPOLATION = re.compile(r"\{\{[^{}<>]{1,80}\}\}")
_FRAMEWORK = re.compile(
    r"ms-controller|avalon(?:\.\w+)*\.js|new\s+Vue\s*\(|createApp\s*\(|vue(?:\.\w+)*\.js|v-cloak|\bv-app\b|ng-app",
    re.I,
)
_NEXT_FIELD = re.compile(r"[\u4e00-\u9fff]{2,6}\s*[:：]")
_TAGS = re.compile(r"<[^>]*>")


def script_bound_labels(html: str, labels: Iterable[str]) -> set[str]:
    """The metadata labels (发文机关, 发布机构 ...) whose value in the served HTML is an empty element bound
    to a script, or a {{ }} interpolation of a page that loads a binding framework: the reader sees a value
    the raw page does not hold. Only the markup between a label and the next label is looked at."""
    framework = bool(_FRAMEWORK.search(html))
    if not framework and not _ATTR_BINDING.search(html) and not _HIDDEN_VALUE.search(html):
        return set()
    bindings = [_ATTR_BINDING, _HIDDEN_VALUE, _INTERPOLATION] if framework else [_ATTR_BINDING, _HIDDEN_VALUE]
    out: set[str] = set()
    for label in labels:
        for m in re.finditer(re.escape(label) + r"\s*(?:&nbsp;|\s)*(?:[:：]|</t[hd]>)", html):
            stretch = _up_to_next_label(html[m.end() : m.end() + 600])
            if m.group(0).endswith(">"):  # a label cell (<th>发文日期</th>): its value is the next cell
                stretch = stretch.split("</td>", 1)[0]
            rest = stretch
            for pattern in bindings:
                rest = pattern.sub("", rest)
            visible = _TAGS.sub("", rest).replace("&nbsp;", "").strip()
            if rest != stretch and not visible:
                out.add(label)
                break
    return out


def _up_to_next_label(tail: str) -> str:
    """The markup after a label up to the next label of the visible text (X：)."""
    nxt = _NEXT_FIELD.search(_TAGS.sub(" ", tail))
    if nxt is None:
        return tail
    cut = tail.find(nxt.group(0).rstrip(":： ").strip())
    return tail[:cut] if cut > 0 else tail
