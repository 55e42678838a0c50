"""Items the workbook implies: the "other" choice and its text question (``or_other``), and
the questions of a loop over a choice list, once per choice."""

from __future__ import annotations

from .columns import TRANSLATED
from .definition import Choice, Item, pick_text
from .reading import Reader, iter_tree
from .workbook import Row

OTHER = "other"


class DerivedItems(Reader):
    def expand_loop(self, loop: Item, choices: dict[str, list[Choice]],
                    seen: dict[str, int]) -> None:
        """``begin loop over X``: the loop's questions once per choice of X, each named
        ``question_choice`` with ``%(label)s``/``%(name)s`` in texts replaced, in a group per
        choice."""
        body, loop.children = loop.children, []
        for choice in choices.get(loop.list_name, []):
            group = Item(type="group", name=f"{loop.name}_{choice.name}", row=loop.row,
                         label=dict(choice.label))
            for child in body:
                copy = Item.from_dict(child.to_dict())
                for item in iter_tree(copy):
                    if item.name:
                        item.name = f"{item.name}_{choice.name}"
                        if item.name in seen:
                            self.add("duplicate_name", "survey", item.row, "name",
                                     value=item.name, first_row=seen[item.name])
                        seen.setdefault(item.name, item.row or 0)
                    for column in TRANSLATED:
                        texts = getattr(item, column)
                        for lang, text in texts.items():
                            label = pick_text(choice.label, lang, self.settings.default_language)
                            texts[lang] = text.replace("%(label)s", label).replace(
                                "%(name)s", choice.name)
                group.children.append(copy)
            loop.children.append(group)
        loop.list_name = ""

    def add_other(self, item: Item, row: Row, seen: dict[str, int], siblings: list[Item],
                  choices: dict[str, list[Choice]]) -> None:
        """``select_one X or_other``: the list gains 'other', and a text question asks what."""
        base = choices.get(item.list_name)
        if base is not None:
            derived = f"{item.list_name} or_other"
            if derived not in choices:
                other = Choice(OTHER, dict.fromkeys(item.label or [""], "Other"))
                choices[derived] = [*base, other]
            item.list_name = derived
        name = f"{item.name}_other"
        if name in seen:
            self.add("or_other_name", "survey", row.number, "type", name=item.name)
            return
        seen[name] = row.number
        siblings.append(Item(type="text", name=name, row=row.number,
                             label=dict.fromkeys(item.label or [""], "Specify other."),
                             relevant=f"selected(${{{item.name}}}, '{OTHER}')"))
