"""Safe YAML loading that keeps line/column marks and rejects duplicate keys."""

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


def _build(node: yaml.Node, loader: yaml.SafeLoader, file: str, path: str) -> Any:
    import yaml

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
            out[key] = _build(value_node, loader, file, child)
            out.key_marks[key] = _mark(key_node, file)
            out.value_marks[key] = _mark(value_node, file)
        return out
    if isinstance(node, yaml.SequenceNode):
        items = MarkedList(mark=_mark(node, file))
        for index, item in enumerate(node.value):
            items.append(_build(item, loader, file, f"{path}[{index}]"))
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

    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return MarkedDict(mark=Mark(file, 1, 1))
        return _build(node, loader, file, "")
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        raise PolicyError([PolicyIssue(file, line, col, "", f"invalid YAML: {err.problem or err}")]) from err
    except yaml.YAMLError as err:
        raise PolicyError([PolicyIssue(file, 0, 0, "", f"invalid YAML: {err}")]) from err
    finally:
        loader.dispose()
