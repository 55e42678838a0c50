"""What changed between two versions of a questionnaire."""

from __future__ import annotations

from .definition import Definition, Item

COMPARED = ("type", "label", "hint", "interviewer_instruction", "guidance_hint",
            "constraint_message", "required_message", "list_name", "required", "required_if",
            "read_only", "read_only_if", "relevant", "constraint", "calculate", "choice_filter",
            "default", "repeat_count", "dont_know", "refused", "parameters")


def diff_definitions(old: Definition, new: Definition) -> dict:
    """Questions (and other items) added, removed and changed, with the changed attributes.

    ``changed`` also lists ``choices`` when a select's choice list differs, ``parent`` when
    an item moved to another group or repeat, and ``order`` when it moved in the form.
    """
    old_items = {i.name: i for i in old.iter_items() if i.name}
    new_items = {i.name: i for i in new.iter_items() if i.name}
    old_order = [n for n in old_items if n in new_items]
    new_order = [n for n in new_items if n in old_items]
    changed: dict[str, list[str]] = {}
    for name in new_order:
        attrs = _changed(old, new, old_items[name], new_items[name])
        if old_order.index(name) != new_order.index(name):
            attrs.append("order")
        if attrs:
            changed[name] = attrs
    return {
        "added": [n for n in new_items if n not in old_items],
        "removed": [n for n in old_items if n not in new_items],
        "changed": changed,
        "settings": [k for k in vars(new.settings)
                     if getattr(new.settings, k) != getattr(old.settings, k)],
    }


def _changed(old: Definition, new: Definition, a: Item, b: Item) -> list[str]:
    attrs = [attr for attr in COMPARED if getattr(a, attr) != getattr(b, attr)]
    if _parent(a) != _parent(b):
        attrs.append("parent")
    if a.list_name and b.list_name and _choices(old, a) != _choices(new, b):
        attrs.append("choices")
    return attrs


def _parent(item: Item) -> str:
    return item.parent.name if item.parent is not None else ""


def _choices(definition: Definition, item: Item) -> list[tuple]:
    return [(c.name, sorted(c.label.items()), sorted(c.extra.items()))
            for c in definition.choices.get(item.list_name, [])]
