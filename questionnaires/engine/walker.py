"""Evaluate a definition against the answers so far: relevance, calculates, repeat instances.

One Walker serves one routing request: it memoises every relevance, calculate and repeat
instance list it works out, so each is computed at most once per request.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterator, Mapping

from .definition import ANOTHER, METADATA_TYPES, Choice, Definition, Item, is_dynamic, pick_text
from .errors import ExpressionError
from .evaluator import Compiled, compile_text, run
from .parser import parse
from .syntax import Call, Ref
from .values import Value, first, from_answer, number_text, to_bool, to_number, to_string

MAX_INSTANCES = 200
MAX_ASKED = 50  # instances of a repeat without repeat_count ("add another?")
ANOTHER_SUFFIX = "@another"  # '@' is in no question name, so the path cannot clash
ANOTHER_LABEL = "Add a new '{label}'?"
YES, NO = "yes", "no"
Scope = tuple[str, ...]  # instance keys of the enclosing repeats, outermost first
_STEP = re.compile(r"([A-Za-z_][A-Za-z0-9_.\-]*)\[([^\]]+)\]\Z")
_PIPE = re.compile(r"\$\{([^}]*)\}")


def item_path(item: Item, scope: Scope) -> str:
    if not item.repeats:
        return item.name
    steps = [f"{r}[{k}]" for r, k in zip(item.repeats, scope, strict=False)]
    return "/".join([*steps, item.name])


def another_item(definition: Definition, repeat: Item) -> Item:
    """The "add another?" question asked before each instance of a repeat without count."""
    cache: dict[str, Item] = definition.__dict__.setdefault("_another", {})
    item = cache.get(repeat.name)
    if item is None:
        label = {lang: ANOTHER_LABEL.format(label=text) for lang, text in repeat.label.items()}
        item = Item(type=ANOTHER, name=repeat.name + ANOTHER_SUFFIX,
                    label=label or {"": ANOTHER_LABEL.format(label=repeat.name)},
                    required=True, row=repeat.row)
        item.parent, item.repeats = repeat, (*repeat.repeats, repeat.name)
        cache[repeat.name] = item
    return item


def split_path(definition: Definition, path: str) -> tuple[Item, Scope] | None:
    """``crime_detail[burglary]/incidents`` -> (item incidents, ("burglary",))."""
    *steps, name = path.split("/")
    item = definition.by_name.get(name)
    if item is None and name.endswith(ANOTHER_SUFFIX):
        repeat = definition.by_name.get(name[:-len(ANOTHER_SUFFIX)])
        if repeat is not None and repeat.type == "repeat" and not repeat.repeat_count:
            item = another_item(definition, repeat)
    if item is None or len(steps) != len(item.repeats):
        return None
    keys = []
    for step, repeat in zip(steps, item.repeats, strict=True):
        match = _STEP.match(step)
        if not match or match.group(1) != repeat:
            return None
        keys.append(match.group(2))
    return item, tuple(keys)


def for_each_source(definition: Definition, repeat: Item) -> Item | None:
    """The select_multiple a repeat loops over, if its repeat_count is count-selected(${x})."""
    try:
        tree = parse(repeat.repeat_count)
    except ExpressionError:
        return None
    if isinstance(tree, Call) and tree.name == "count-selected" and isinstance(tree.args[0], Ref):
        source = definition.by_name.get(tree.args[0].name)
        if source is not None and source.type == "select_multiple":
            return source
    return None


class Walker:
    def __init__(self, definition: Definition, answers: Mapping[str, object],
                 today: dt.date | None = None, language: str | None = None,
                 pruned: bool = False, meta: Mapping[str, object] | None = None,
                 stored: Mapping[str, object] | None = None,
                 fired: frozenset[str] = frozenset()) -> None:
        """``meta``: the interview's metadata (``start``, ``end``, ``username``, ``now``...),
        the values of metadata rows (see definition.METADATA_TYPES). ``stored``: calculated
        values as the interview stored them, by path: a calculate with a ``trigger`` keeps
        its stored value unless one of its trigger questions is in ``fired`` (the answers
        that just changed), and ``once()`` keeps a stored non-empty value."""
        self.definition = definition
        self.meta = meta or {}
        self.stored = stored or {}
        self.fired = fired
        now = self.meta.get("now")
        self.now = now.isoformat(timespec="milliseconds") if isinstance(now, dt.datetime) \
            else str(now) if now else dt.datetime.now().isoformat(timespec="milliseconds")
        # pruned: the answers hold only questions on the route (as apply_answer keeps them),
        # so an answered question is relevant without evaluating its condition.
        self.pruned = pruned
        self.answers = answers
        self.today = (today or dt.date.today()).isoformat()
        self.language = language
        self._relevant: dict[tuple[str, Scope], bool] = {}
        self._calc: dict[tuple[str, Scope], Value] = {}
        self._instances: dict[tuple[str, Scope], list[str]] = {}
        self._values: dict[tuple[str, Scope], Value] = {}
        # compiled expressions are shared by every walk over the same definition
        self._compiled: dict[str, Compiled] = definition.__dict__.setdefault("_compiled", {})

    # expressions --------------------------------------------------------------------------
    def compiled(self, text: str) -> Compiled:
        cache = self._compiled
        fn = cache.get(text)
        if fn is None:
            fn = cache[text] = compile_text(text)
        return fn

    def evaluate(self, text: str, item: Item, scope: Scope, current: object = None,
                 choice: Choice | None = None) -> Value:
        return run(self.compiled(text), _Env(self, item, scope, current, choice))

    # relevance, values, instances ---------------------------------------------------------
    def relevant(self, item: Item, scope: Scope) -> bool:
        key = (item.name, scope)
        cached = self._relevant.get(key)
        if cached is not None:
            return cached
        parent = item.parent
        result = True
        if parent is not None:
            parent_scope = scope[:-1] if parent.type == "repeat" else scope
            result = self.relevant(parent, parent_scope)
        if result and item.relevant:
            outer = scope[:len(item.repeats)]
            result = to_bool(self._run(item.relevant, item, outer))
        self._relevant[key] = result
        return result

    def value(self, item: Item, scope: Scope) -> Value:
        if item.is_value:
            key = (item.name, scope)
            if key not in self._calc:
                relevant = self.relevant(item, scope)
                self._calc[key] = self._fixed_value(item, scope) if relevant else ""
            return self._calc[key]
        key = (item.name, scope)
        cached = self._values.get(key)
        if cached is None:
            if self.pruned and item.is_question:
                cached = from_answer(self.answers.get(item_path(item, scope)))
            elif not item.is_question or not self.relevant(item, scope):
                cached = ""
            else:
                cached = from_answer(self.answers.get(item_path(item, scope)))
            self._values[key] = cached
        return cached

    def _fixed_value(self, item: Item, scope: Scope) -> Value:
        if item.trigger and not self._triggered(item, scope):
            return self.kept(item, scope)  # computed only when a trigger's answer changes
        if item.calculate:
            return self._run(item.calculate, item, scope)
        if item.type in METADATA_TYPES:
            if item.type == "today":
                return self.today
            return from_answer(self.meta.get(item.type))
        return self.default(item, scope)  # hidden

    def _triggered(self, item: Item, scope: Scope) -> bool:
        for name in item.triggers:
            target = self.definition.by_name.get(name)
            if target is not None and \
                    item_path(target, scope[:len(target.repeats)]) in self.fired:
                return True
        return False

    def kept(self, item: Item, scope: Scope) -> Value:
        """The value the interview stored for this calculate ('' if none)."""
        return from_answer(self.stored.get(item_path(item, scope)))

    def default(self, item: Item, scope: Scope) -> str:
        """The default answer, worked out if it is an expression."""
        if not item.default or not is_dynamic(item.default):
            return item.default
        try:
            return to_string(self._run(item.default, item, scope))
        except ExpressionError:
            return ""

    def asked(self, item: Item, scope: Scope) -> bool:
        """Whether the question is put to the respondent (not read-only, now)."""
        if not item.asked:
            return False
        if item.read_only_if:
            try:
                return not to_bool(self._run(item.read_only_if, item, scope))
            except ExpressionError:
                return True
        return True

    def required(self, item: Item, scope: Scope) -> bool:
        if item.required:
            return True
        if item.required_if:
            try:
                return to_bool(self._run(item.required_if, item, scope))
            except ExpressionError:
                return False
        return False

    def _run(self, text: str, item: Item, scope: Scope) -> Value:
        # A cycle (which the checker forbids) ends in RecursionError -> ExpressionError.
        return run(self.compiled(text), _Env(self, item, scope, None, None))

    def instances(self, repeat: Item, scope: Scope) -> list[str]:
        key = (repeat.name, scope)
        if key in self._instances:
            return self._instances[key]
        keys: list[str] = []
        if self.relevant(repeat, scope):
            source = for_each_source(self.definition, repeat)
            if source is not None:
                chosen = set(self.selected(source, scope))
                keys = [c.name for c in self.definition.choices.get(source.list_name, [])
                        if c.name in chosen]
            elif not repeat.repeat_count:
                another = another_item(self.definition, repeat)
                for k in range(1, MAX_ASKED + 1):
                    if self.answers.get(item_path(another, (*scope, str(k)))) != YES:
                        break
                    keys.append(str(k))
            else:
                n = to_number(self._run(repeat.repeat_count, repeat, scope))
                count = 0 if math.isnan(n) else int(max(0, min(n, MAX_INSTANCES)))
                keys = [str(i) for i in range(1, count + 1)]
        self._instances[key] = keys[:MAX_INSTANCES]
        return self._instances[key]

    def selected(self, source: Item, scope: Scope) -> list[str]:
        value = first(self.value(source, scope[:len(source.repeats)]))
        return value.split() if isinstance(value, str) else []

    # the walk ----------------------------------------------------------------------------
    def leaves(self, items: list[Item] | None = None, scope: Scope = ()
               ) -> Iterator[tuple[Item, Scope]]:
        """Relevant questions and notes, in interview order."""
        for item in self.definition.items if items is None else items:
            if item.type == "group":
                if self.relevant(item, scope):
                    yield from self.leaves(item.children, scope)
            elif item.type == "repeat":
                keys = self.instances(item, scope)
                if not item.repeat_count and self.relevant(item, scope):
                    yield from self._asked_repeat(item, scope, keys)
                    continue
                for key in keys:
                    yield from self.leaves(item.children, (*scope, key))
            elif not item.is_value and (
                    (self.pruned and item.is_question and item_path(item, scope) in self.answers)
                    or self.relevant(item, scope)):
                yield item, scope

    def _asked_repeat(self, repeat: Item, scope: Scope, keys: list[str]
                      ) -> Iterator[tuple[Item, Scope]]:
        another = another_item(self.definition, repeat)
        for key in keys:
            yield another, (*scope, key)
            yield from self.leaves(repeat.children, (*scope, key))
        if len(keys) < MAX_ASKED:
            yield another, (*scope, str(len(keys) + 1))

    def calculates(self) -> Iterator[tuple[Item, Scope]]:
        """Every calculate with each scope it lives in (relevant or not)."""
        yield from self._calculates(self.definition.items, ())

    def _calculates(self, items: list[Item], scope: Scope) -> Iterator[tuple[Item, Scope]]:
        for item in items:
            if item.is_value:
                yield item, scope
            elif item.type == "group":
                yield from self._calculates(item.children, scope)
            elif item.type == "repeat":
                for key in self.instances(item, scope):
                    yield from self._calculates(item.children, (*scope, key))

    # lookups from an expression ----------------------------------------------------------
    def lookup(self, name: str, context: Item, scope: Scope) -> Value:
        target = self.definition.by_name.get(name)
        if target is None:
            raise ExpressionError(f"${{{name}}} refers to no question or calculate")
        if not target.repeats and target.type != "repeat":
            return self.value(target, ())
        shared = _shared_depth(target.repeats, context.repeats)
        if target.type == "repeat":
            inside = name in context.repeats
            if inside:
                return scope[context.repeats.index(name)]
            return float(sum(len(self.instances(target, s))
                             for s in self._expand(target, scope[:shared], len(target.repeats))))
        if len(target.repeats) == shared:
            return self.value(target, scope[:shared])
        return [self.value(target, s) for s in self._expand(target, scope[:shared])]

    def _expand(self, target: Item, scope: Scope, depth_to: int | None = None) -> list[Scope]:
        """Every scope of ``target`` below ``scope`` (down to ``depth_to`` repeats)."""
        scopes = [scope]
        end = len(target.repeats) if depth_to is None else depth_to
        for depth in range(len(scope), end):
            repeat = self.definition.by_name[target.repeats[depth]]
            scopes = [(*s, k) for s in scopes for k in self.instances(repeat, s)]
        return scopes

    def indexed(self, name: str, steps: list[tuple[str, float]]) -> Value:
        """indexed-repeat(): the value of ``name`` in the given instances of its repeats."""
        target = self.definition.by_name.get(name)
        if target is None:
            raise ExpressionError(f"${{{name}}} refers to no question or calculate")
        if [r for r, _ in steps] != list(target.repeats):
            raise ExpressionError(f"indexed-repeat(): ${{{name}}} is not inside those repeats")
        scope: Scope = ()
        for repeat_name, number in steps:
            repeat = self.definition.by_name.get(repeat_name)
            if repeat is None or repeat.type != "repeat":
                raise ExpressionError(f"indexed-repeat(): ${{{repeat_name}}} is not a repeat")
            keys = self.instances(repeat, scope)
            if math.isnan(number) or not 1 <= number <= len(keys):
                return ""
            scope = (*scope, keys[int(number) - 1])
        return self.value(target, scope)

    def position(self, context: Item, scope: Scope) -> int:
        if not context.repeats or not scope:
            return 0
        repeat = self.definition.by_name[context.repeats[len(scope) - 1]]
        keys = self.instances(repeat, scope[:-1])
        return keys.index(scope[-1]) + 1 if scope[-1] in keys else 0

    # display -----------------------------------------------------------------------------
    def text(self, texts: dict[str, str], item: Item, scope: Scope) -> str:
        """Text in the chosen language with ``${name}`` piped in."""
        raw = pick_text(texts, self.language, self.definition.settings.default_language)
        if "${" not in raw:
            return raw
        return _PIPE.sub(lambda m: self.display(m.group(1), item, scope), raw)

    def display(self, name: str, context: Item, scope: Scope) -> str:
        target = self.definition.by_name.get(name)
        if target is None:
            return ""
        try:
            value = self.lookup(name, context, scope)
        except ExpressionError:
            return ""
        if target.type == "repeat" and name in context.repeats:
            source = for_each_source(self.definition, target)
            if source is not None:
                return self.definition.choice_label(source.list_name, str(value), self.language)
            return str(value)
        return self.describe(target, value)

    def describe(self, item: Item, value: Value) -> str:
        value = first(value)
        if isinstance(value, float):
            if item.dont_know is not None and value == item.dont_know:
                return "don't know"
            if item.refused is not None and value == item.refused:
                return "refused"
            return number_text(value)
        if item.type == "select_one":
            return self.definition.choice_label(item.list_name, str(value), self.language)
        if item.type == "select_multiple":
            return ", ".join(self.definition.choice_label(item.list_name, v, self.language)
                             for v in str(value).split())
        return to_string(value)

    def choices(self, item: Item, scope: Scope) -> list[Choice]:
        options = self.definition.choices.get(item.list_name, [])
        if not item.choice_filter:
            return list(options)
        return [c for c in options
                if to_bool(self.evaluate(item.choice_filter, item, scope, choice=c))]


def _shared_depth(a: tuple[str, ...], b: tuple[str, ...]) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


class _Env:
    __slots__ = ("walker", "item", "scope", "_current", "choice")

    def __init__(self, walker: Walker, item: Item, scope: Scope, current: object,
                 choice: Choice | None) -> None:
        self.walker, self.item, self.scope = walker, item, scope
        self._current, self.choice = current, choice

    def lookup(self, name: str) -> Value:
        return self.walker.lookup(name, self.item, self.scope)

    def current(self) -> Value:
        if self._current is None:
            return self.walker.value(self.item, self.scope)
        return from_answer(self._current)

    def position(self) -> int:
        return self.walker.position(self.item, self.scope)

    def today(self) -> str:
        return self.walker.today

    def now(self) -> str:
        return self.walker.now

    def kept(self) -> Value:
        return self.walker.kept(self.item, self.scope)

    def choice_label(self, question: str, value: str) -> str:
        target = self.walker.definition.by_name.get(question)
        if target is None or not target.list_name or value == "":
            return ""
        return self.walker.definition.choice_label(target.list_name, value,
                                                   self.walker.language)

    def indexed(self, name: str, steps: list[tuple[str, float]]) -> Value:
        return self.walker.indexed(name, steps)

    def table(self, name: str) -> list[dict[str, str]]:
        return self.walker.definition.tables.get(name, [])

    def column(self, name: str) -> Value:
        choice = self.choice
        if choice is None:
            raise ExpressionError(f"'{name}' is only allowed in a choice_filter")
        if name == "name":
            return choice.name
        if name == "label":
            return pick_text(choice.label, None, self.walker.definition.settings.default_language)
        if name.startswith("label::"):
            return choice.label.get(name[7:], "")
        return choice.extra.get(name, "")
