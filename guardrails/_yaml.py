"""Safe YAML loading that keeps line/column marks and rejects duplicate keys.

Hostile documents are refused with a located error before they cost time or memory: at most
:data:`MAX_DEPTH` levels of nesting, :data:`MAX_ALIASES` aliases, :data:`MAX_NODES` nodes
after aliases are expanded (a "billion laughs" alias bomb stops there) and
:data:`MAX_CHARS` characters.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from raikit.errors import PolicyError, PolicyIssue

if TYPE_CHECKING:
    import yaml


@dataclass(frozen=True, slots=True)
class Mark:
    """Where a key or value stands in its source file (1-based)."""

    file: str
    line: int
    column: int


class MarkedDict(dict[str, Any]):
    """A dict that remembers where each key and value came from."""

    key_marks: dict[str, Mark]
    value_marks: dict[str, Mark]
    mark: Mark

    def __init__(self, *args: Any, mark: Mark | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.key_marks = {}
        self.value_marks = {}
        self.mark = mark or Mark("<policy>", 0, 0)


class MarkedList(list[Any]):
    """A list that remembers where each item came from."""

    item_marks: list[Mark]
    mark: Mark

    def __init__(self, *args: Any, mark: Mark | None = None) -> None:
        super().__init__(*args)
        self.item_marks = []
        self.mark = mark or Mark("<policy>", 0, 0)


def _mark(node: yaml.Node, file: str) -> Mark:
    return Mark(file, node.start_mark.line + 1, node.start_mark.column + 1)


_PLAIN_TAGS = ("tag:yaml.org,2002:map", "tag:yaml.org,2002:seq")

MAX_DEPTH = 64
MAX_ALIASES = 100
MAX_NODES = 100_000
MAX_CHARS = 1_000_000


def _issue(file: str, mark: Any, message: str) -> PolicyError:
    line, col = (mark.line + 1, mark.column + 1) if mark is not None else (0, 0)
    return PolicyError([PolicyIssue(file, line, col, "", message)])


def _flow_depth_scan(text: str, file: str) -> None:
    """A linear scan of bracket nesting (quotes and comments skipped) before PyYAML sees it.

    PyYAML's scanner reads ahead through every nested flow bracket, at quadratic cost, before
    the event walk below could stop it.
    """
    depth = 0
    line = col = 0
    quote = ""
    comment = False
    previous = "\n"
    for char in text:
        if char == "\n":
            line, col, comment = line + 1, 0, False
            previous = char
            continue
        col += 1
        if comment:
            pass
        elif quote:
            if char == quote:
                quote = ""
        elif char in "\"'" and (previous in " \t[{,:\n" or col == 1):
            quote = char
        elif char == "#" and previous in " \t\n":
            comment = True
        elif char in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                raise PolicyError([PolicyIssue(file, line + 1, col, "", f"invalid YAML: nested deeper than {MAX_DEPTH} levels")])
        elif char in "]}":
            depth = max(0, depth - 1)
        previous = char


def _prescan(text: str, file: str) -> None:
    """Walk the event stream (no recursion, no expansion): refuse deep nesting and many aliases."""
    import yaml

    _flow_depth_scan(text, file)
    depth = aliases = 0
    for event in yaml.parse(text, Loader=yaml.SafeLoader):
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                raise _issue(file, event.start_mark, f"invalid YAML: nested deeper than {MAX_DEPTH} levels")
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
        elif isinstance(event, yaml.AliasEvent):
            aliases += 1
            if aliases > MAX_ALIASES:
                raise _issue(file, event.start_mark, f"invalid YAML: more than {MAX_ALIASES} aliases "
                             "(refused: aliases can expand a small file into a huge document)")


def _expanded_size(node: Any, memo: dict[int, int]) -> int:
    """Values in ``node`` once aliases are expanded, computed on the shared graph (linear time)."""
    import yaml

    key = id(node)
    if key in memo:
        return memo[key]
    if isinstance(node, yaml.MappingNode):
        size = 1 + sum(_expanded_size(k, memo) + _expanded_size(v, memo) for k, v in node.value)
    elif isinstance(node, yaml.SequenceNode):
        size = 1 + sum(_expanded_size(item, memo) for item in node.value)
    else:
        size = 1
    memo[key] = min(size, 10 * MAX_NODES)
    return memo[key]


class _Budget:
    """Counts nodes built after alias expansion."""

    def __init__(self) -> None:
        self.nodes = 0

    def spend(self, node: yaml.Node, file: str) -> None:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise _issue(file, node.start_mark, f"invalid YAML: more than {MAX_NODES:,} values once aliases are "
                         "expanded (an alias bomb?)")


def _build(node: yaml.Node, loader: yaml.SafeLoader, file: str, path: str, budget: _Budget | None = None) -> Any:
    import yaml

    budget = budget or _Budget()
    budget.spend(node, file)
    if isinstance(node, yaml.MappingNode | yaml.SequenceNode) and node.tag not in _PLAIN_TAGS:
        m = _mark(node, file)
        raise PolicyError([PolicyIssue(file, m.line, m.column, path, f"invalid YAML: tag {node.tag!r} is not allowed")])
    if isinstance(node, yaml.MappingNode):
        out = MarkedDict(mark=_mark(node, file))
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            if not isinstance(key, str):
                key = str(key)
            child = f"{path}.{key}" if path else key
            if key in out:
                first = out.key_marks[key]
                m = _mark(key_node, file)
                raise PolicyError(
                    [PolicyIssue(file, m.line, m.column, child, f"duplicate key (first defined at line {first.line})")]
                )
            out[key] = _build(value_node, loader, file, child, budget)
            out.key_marks[key] = _mark(key_node, file)
            out.value_marks[key] = _mark(value_node, file)
        return out
    if isinstance(node, yaml.SequenceNode):
        items = MarkedList(mark=_mark(node, file))
        for index, item in enumerate(node.value):
            items.append(_build(item, loader, file, f"{path}[{index}]", budget))
            items.item_marks.append(_mark(item, file))
        return items
    return loader.construct_object(node, deep=True)


def load_marked_yaml(text: str, file: str = "<string>") -> Any:
    """Parse YAML safely into :class:`MarkedDict`/:class:`MarkedList`/scalars.

    Raises:
        PolicyError: The YAML is malformed or has a duplicate key (with file, line, column).

    Example:
        >>> doc = load_marked_yaml("a: 1\\nb: [x, y]\\n", "p.yaml")
        >>> doc["b"], doc.value_marks["b"].line
        (['x', 'y'], 2)
    """
    import yaml

    from raikit.guardrails._normalize import _SURROGATE

    if len(text) > MAX_CHARS:
        raise PolicyError([PolicyIssue(file, 0, 0, "", f"policy is {len(text):,} characters; at most {MAX_CHARS:,}")])
    bad = _SURROGATE.search(text)
    if bad is not None:
        line = text.count("\n", 0, bad.start()) + 1
        col = bad.start() - (text.rfind("\n", 0, bad.start()) + 1) + 1
        raise PolicyError([PolicyIssue(file, line, col, "", "invalid text: a lone surrogate code point")])
    try:
        _prescan(text, file)
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        raise _issue(file, mark, f"invalid YAML: {err.problem or err}") from err
    except yaml.YAMLError as err:
        raise PolicyError([PolicyIssue(file, 0, 0, "", f"invalid YAML: {err}")]) from err
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return MarkedDict(mark=Mark(file, 1, 1))
        if _expanded_size(node, {}) > MAX_NODES:
            raise _issue(file, node.start_mark, f"invalid YAML: more than {MAX_NODES:,} values once aliases are "
                         "expanded (an alias bomb?)")
        return _build(node, loader, file, "")
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        raise PolicyError([PolicyIssue(file, line, col, "", f"invalid YAML: {err.problem or err}")]) from err
    except yaml.YAMLError as err:
        raise PolicyError([PolicyIssue(file, 0, 0, "", f"invalid YAML: {err}")]) from err
    except RecursionError as err:  # a backstop: the pre-scan bounds depth
        raise PolicyError([PolicyIssue(file, 0, 0, "", "invalid YAML: nested too deeply")]) from err
    finally:
        loader.dispose()
