"""The routine config (DESIGN.md §5): what the athlete means to do, read from TOML.

A routine file names the routine and lists its items, each an ``[[item]]`` table::

    name = "Runner foot & ankle"
    [[item]]
    exercise = "split_jumps"
    sets = 2
    reps = 10            # or a range: { min = 10, max = 15 }
    rest_s = 60

`load_routine` / `parse_routine` read and check it (tomllib + pydantic); a broken file
raises `RoutineError` with one line naming the file, the line and the problem.
`DEFAULT_ROUTINE` is the article's routine, `default_toml()` the same as a commented file,
and `describe` puts a routine into words.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any, Optional

from pydantic import BaseModel, ConfigDict, Field, ValidationError, ValidationInfo, field_validator, model_validator

from vision.errors import RepcountError
from vision.result import EXERCISES

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

__all__ = [
    "DEFAULT_ROUTINE",
    "DIRECTIONS",
    "FEET",
    "Item",
    "RepRange",
    "Routine",
    "RoutineError",
    "SecondsRange",
    "STYLES",
    "default_toml",
    "describe",
    "load_routine",
    "parse_routine",
    "routine_from",
    "to_toml",
]

FEET: tuple[str, ...] = ("left", "right")
DIRECTIONS: tuple[str, ...] = ("cw", "ccw")
STYLES: tuple[str, ...] = ("two_foot", "alternate_foot", "single_leg_alternating")

EXERCISE_WORDS = {
    "ankle_rotations": "Ankle rotations",
    "two_leg_hops": "Two-leg hops",
    "single_leg_hops": "Single-leg hops",
    "jump_rope": "Jump rope",
    "split_jumps": "Split jumps",
}
DIRECTION_WORDS = {"cw": "clockwise", "ccw": "counterclockwise"}
STYLE_WORDS = {
    "two_foot": "two-foot",
    "alternate_foot": "alternate foot",
    "single_leg_alternating": "single-leg alternating",
}
FOOT_EXERCISES = ("ankle_rotations", "single_leg_hops")
"""Exercises where ``foot`` means something: the working foot, or the foot hopped on."""


class RoutineError(RepcountError):
    """A routine file that cannot be read or does not say a valid routine."""


def _number(x: float) -> str:
    """60.0 -> "60", 7.5 -> "7.5"."""
    return f"{x:g}"


class _Frozen(BaseModel):
    # strict: "10" is not 10 and true is not 1 in a routine file; extra keys are typos.
    model_config = ConfigDict(frozen=True, extra="forbid", strict=True)


class _Range(_Frozen):
    """A target that is exact (``min == max``) or any value from min to max."""

    min: float
    max: float

    @model_validator(mode="after")
    def _ordered(self) -> _Range:
        if self.min > self.max:
            raise ValueError(f"min ({_number(self.min)}) is above max ({_number(self.max)})")
        return self

    def __str__(self) -> str:
        return _number(self.min) if self.min == self.max else f"{_number(self.min)}–{_number(self.max)}"


class RepRange(_Range):
    """A rep target: exactly ``min`` when ``min == max``, else any count from min to max."""

    min: int = Field(ge=1)
    max: int = Field(ge=1)


class SecondsRange(_Range):
    """A time in seconds, exact (``min == max``) or a range."""

    min: float = Field(gt=0)
    max: float = Field(gt=0)


def _as_range(value: Any, kind: str) -> Any:
    """A bare number becomes ``{min: n, max: n}``; its bound is checked here so the error names the key."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return value
    if kind == "reps":
        if not isinstance(value, int):
            raise ValueError(f"must be a whole number (got {value!r})")
        if value < 1:
            raise ValueError(f"must be at least 1 (got {value})")
    elif value <= 0:
        raise ValueError(f"must be above 0 (got {_number(value)})")
    return {"min": value, "max": value}


class Item(_Frozen):
    """One prescribed exercise of a routine.

    Attributes:
        exercise: one of `vision.result.EXERCISES`.
        foot: ``left``/``right``: the working foot (ankle rotations) or the foot hopped on
            (single-leg hops); None = either.
        direction: ``cw``/``ccw`` as the athlete sees it (ankle rotations only).
        style: jump-rope style, one of `STYLES` (jump rope only).
        sets: how many sets (≥1).
        reps: reps per set, exact or a range; an item has reps or ``duration_s``.
        rest_s: rest between sets, seconds.
        duration_s: how long to keep going, seconds (one set).
        switch_every_s: change legs this often (single-leg alternating rope only).
    """

    exercise: str
    foot: Optional[str] = None
    direction: Optional[str] = None
    style: Optional[str] = None
    sets: int = Field(default=1, ge=1)
    reps: Optional[RepRange] = None
    rest_s: Optional[float] = Field(default=None, ge=0)
    duration_s: Optional[float] = Field(default=None, gt=0)
    switch_every_s: Optional[SecondsRange] = None

    @field_validator("exercise")
    @classmethod
    def _exercise(cls, value: str) -> str:
        if value not in EXERCISES:
            raise ValueError(f"{value!r} is unknown (use one of {', '.join(EXERCISES)})")
        return value

    @field_validator("foot", "direction", "style")
    @classmethod
    def _only_for(cls, value: Optional[str], info: ValidationInfo) -> Optional[str]:
        allowed, exercises = {
            "foot": (FEET, FOOT_EXERCISES),
            "direction": (DIRECTIONS, ("ankle_rotations",)),
            "style": (STYLES, ("jump_rope",)),
        }[info.field_name or ""]
        exercise = info.data.get("exercise")
        if value is None or exercise is None:
            return value
        if exercise not in exercises:
            raise ValueError(f"is only for {' and '.join(exercises)} (this item is {exercise})")
        if value not in allowed:
            raise ValueError(f"{value!r} is unknown (use {' or '.join(allowed)})")
        return value

    @field_validator("reps", mode="before")
    @classmethod
    def _reps(cls, value: Any) -> Any:
        return _as_range(value, "reps")

    @field_validator("switch_every_s", mode="before")
    @classmethod
    def _switch(cls, value: Any, info: ValidationInfo) -> Any:
        if value is not None and info.data.get("style") != "single_leg_alternating":
            raise ValueError('is only for jump_rope with style = "single_leg_alternating"')
        return _as_range(value, "seconds")

    @model_validator(mode="after")
    def _target(self) -> Item:
        if self.reps is None and self.duration_s is None:
            raise ValueError("give reps or duration_s")
        if self.reps is not None and self.duration_s is not None:
            raise ValueError("give reps or duration_s, not both")
        if self.duration_s is not None and self.sets > 1:
            raise ValueError("sets with duration_s is not supported: write one item per set")
        return self

    @property
    def label(self) -> str:
        """What the item is, e.g. "Ankle rotations, left foot, clockwise"."""
        words = [EXERCISE_WORDS[self.exercise]]
        if self.foot:
            words.append(f"{self.foot} foot")
        if self.direction:
            words.append(DIRECTION_WORDS[self.direction])
        if self.style:
            words.append(STYLE_WORDS[self.style])
        return ", ".join(words)

    @property
    def target(self) -> str:
        """The per-set target in words, e.g. "10–15 reps" or "60 s"."""
        if self.reps is not None:
            return f"{self.reps} reps"
        return f"{_number(self.duration_s or 0)} s"


class Routine(_Frozen):
    """A named list of `Item`s, in the order they are meant to be done."""

    model_config = ConfigDict(validate_by_name=True, validate_by_alias=True)

    name: str = "Routine"
    items: tuple[Item, ...] = Field(validation_alias="item", min_length=1)

    @field_validator("items", mode="before")
    @classmethod
    def _list(cls, value: Any) -> Any:
        return tuple(value) if isinstance(value, list) else value


def describe(routine: Routine) -> list[str]:
    """The routine in words, one line per item, e.g. "Ankle rotations, left foot, clockwise: 10–15 reps"."""
    lines = []
    for item in routine.items:
        text = f"{item.label}: {item.target}" if item.sets == 1 else f"{item.label}: {item.sets} sets of {item.target}"
        if item.rest_s and item.sets > 1:
            text += f", {_number(item.rest_s)} s rest"
        if item.switch_every_s is not None:
            text += f", switching legs every {item.switch_every_s} s"
        lines.append(text)
    return lines


# --- reading -------------------------------------------------------------------------

_ITEM_HEADER = re.compile(r"^\s*\[\[\s*item\s*\]\]")
_TABLE_HEADER = re.compile(r"^\s*\[")


def _key_line(lines: list[str], start: int, key: str) -> int | None:
    """The 0-based line where ``key = ...`` (or ``[key]``/``[[key]]``) is set, from ``start`` to the next table."""
    pattern = re.compile(rf"^\s*(\[\[?\s*)?[\"']?{re.escape(key)}[\"']?\s*(=|\]\]?)")
    for n in range(start, len(lines)):
        if n > start and _TABLE_HEADER.match(lines[n]):
            if pattern.match(lines[n]):
                return n
            break
        if pattern.match(lines[n]):
            return n
    return None


def _error_line(text: str, loc: tuple[int | str, ...]) -> int | None:
    """The 1-based line an error at ``loc`` points to: the key's line, else its item's header."""
    lines = text.splitlines()
    if loc and loc[0] == "item" and len(loc) > 1 and isinstance(loc[1], int):
        headers = [n for n, line in enumerate(lines) if _ITEM_HEADER.match(line)]
        if loc[1] >= len(headers):
            return None
        header = headers[loc[1]]
        key = _key_line(lines, header + 1, str(loc[2])) if len(loc) > 2 else None
        return (key if key is not None else header) + 1
    if loc:
        key = _key_line(lines, 0, str(loc[0]))
        return None if key is None else key + 1
    return None


def _problem(error: Any) -> str:
    """One pydantic error in words, without the file and line."""
    loc = tuple(error["loc"])
    in_item = len(loc) > 1 and loc[0] == "item" and isinstance(loc[1], int)
    prefix = f"item {loc[1] + 1}: " if in_item else ""
    path = [str(p) for p in (loc[2:] if in_item else loc)]
    where = " ".join(path)
    kind, value = error["type"], error.get("input")
    if kind == "extra_forbidden":
        fields = Item.model_fields if in_item and len(path) == 1 else None if in_item else {"name": 0, "item": 0}
        allowed = f" (keys: {', '.join(fields)})" if fields else ""
        return f"{prefix}unknown key {path[-1]!r}{allowed}"
    if loc == ("item",) and kind in ("missing", "too_short"):
        return "no items: add at least one item table (see 'repcount routine new')"
    if kind == "missing":
        return f"{prefix}{where} is missing"
    if kind == "value_error":
        message = str(error["ctx"]["error"])
        return f"{prefix}{where} {message}" if where else f"{prefix}{message}"
    if kind in ("greater_than_equal", "greater_than"):
        bound = error["ctx"].get("ge", error["ctx"].get("gt"))
        word = "at least" if kind == "greater_than_equal" else "above"
        return f"{prefix}{where} must be {word} {_number(bound)} (got {value!r})"
    wanted = {
        "int_type": "a whole number",
        "int_from_float": "a whole number",
        "float_type": "a number",
        "string_type": "text in quotes",
        "model_type": "a number or { min = ..., max = ... }",
        "tuple_type": "a list of item tables",
    }
    if kind in wanted:
        return f"{prefix}{where} must be {wanted[kind]} (got {value!r})"
    return f"{prefix}{where}: {error['msg']}"


def parse_routine(text: str, source: str = "<string>") -> Routine:
    """Read a routine from TOML text; ``source`` names it in errors.

    Raises:
        RoutineError: one line, e.g. ``routine.toml line 7: item 2: reps min (15) is above max (10)``.
    """
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise RoutineError(f"{source}: not valid TOML: {e}") from None
    try:
        return Routine.model_validate(data, by_alias=True, by_name=False)
    except ValidationError as e:
        errors = e.errors()
        # A misspelt key also leaves a key missing: name the typo, it is the cause.
        first = next((x for x in errors if x["type"] == "extra_forbidden"), errors[0])
        line = _error_line(text, tuple(first["loc"]))
        where = f"{source} line {line}" if line else source
        raise RoutineError(f"{where}: {_problem(first)}") from None


def routine_from(spec: str | Path) -> Routine:
    """The routine a user named: ``"default"`` (the article's, `DEFAULT_ROUTINE`) or a file."""
    return DEFAULT_ROUTINE if str(spec) == "default" else load_routine(spec)


def load_routine(path: str | Path) -> Routine:
    """Read a routine file (DESIGN.md §5). Raises `RoutineError` with one line for the user."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise RoutineError(f"{path}: no such file: check the path, or write one with 'repcount routine new'") from None
    except IsADirectoryError:
        raise RoutineError(f"{path} is a folder: give the routine's .toml file") from None
    except UnicodeDecodeError:
        raise RoutineError(f"{path}: not UTF-8 text, so not a routine file") from None
    return parse_routine(text, source=str(path))


# --- writing and the default ---------------------------------------------------------


def _toml_value(value: Any) -> str:
    if isinstance(value, (RepRange, SecondsRange)):
        if value.min == value.max:
            return _toml_value(value.min)
        return f"{{ min = {_toml_value(value.min)}, max = {_toml_value(value.max)} }}"
    if isinstance(value, str):
        # JSON's string escapes are all valid in TOML; TOML also wants DEL escaped.
        return json.dumps(value, ensure_ascii=False).replace("\x7f", "\\u007f")
    if isinstance(value, float):
        return _number(value) if value == int(value) and abs(value) < 1e15 else repr(value)
    return str(value)


def to_toml(routine: Routine, comments: tuple[str, ...] = ()) -> str:
    """The routine as TOML text that `parse_routine` reads back equal; ``comments[i]`` goes above item i."""
    out = [f"name = {_toml_value(routine.name)}"]
    for i, item in enumerate(routine.items):
        out.append("")
        if i < len(comments) and comments[i]:
            out.extend(f"# {line}" for line in comments[i].splitlines())
        out.append("[[item]]")
        for key, value in item.model_dump(exclude_defaults=True).items():
            out.append(f"{key} = {_toml_value(getattr(item, key))}")
    return "\n".join(out) + "\n"


def _item(**values: Any) -> Item:
    return Item.model_validate(values)


# The article (Nathan Koch, in "Why Runners Need Foot and Ankle Mobility") gives the
# rotation counts (10–15 each way), the rope's leg switch (every 5–10 s) and the split
# jumps (2 sets of 10). Where it gives no number, the comment says what we chose.
_DEFAULT_ITEMS: tuple[tuple[str, Item], ...] = (
    ("Article: rotate your ankle clockwise 10–15 times, then counterclockwise 10–15 times (each foot).",
     _item(exercise="ankle_rotations", foot="left", direction="cw", reps={"min": 10, "max": 15})),
    ("", _item(exercise="ankle_rotations", foot="left", direction="ccw", reps={"min": 10, "max": 15})),
    ("", _item(exercise="ankle_rotations", foot="right", direction="cw", reps={"min": 10, "max": 15})),
    ("", _item(exercise="ankle_rotations", foot="right", direction="ccw", reps={"min": 10, "max": 15})),
    ("Article: jump up and down with both legs until you can do it for a minute or two.\n"
     "Chosen: one minute.",
     _item(exercise="two_leg_hops", duration_s=60)),
    ("Article: 2–3 sets of single-leg hopping before moving on to the rope; it gives no reps.\n"
     "Chosen: 2 sets of 20 on each foot, 30 s rest.",
     _item(exercise="single_leg_hops", foot="left", sets=2, reps=20, rest_s=30)),
    ("", _item(exercise="single_leg_hops", foot="right", sets=2, reps=20, rest_s=30)),
    ("Article: single-leg jump roping, alternating legs every 5–10 seconds.\n"
     "Chosen: one minute. style: two_foot, alternate_foot or single_leg_alternating.",
     _item(exercise="jump_rope", style="single_leg_alternating", duration_s=60,
           switch_every_s={"min": 5, "max": 10})),
    ("Article: start with 2 sets of 10. Chosen: 60 s rest between sets.",
     _item(exercise="split_jumps", sets=2, reps=10, rest_s=60)),
)  # fmt: skip

DEFAULT_ROUTINE = Routine(name="Runner foot & ankle", items=tuple(item for _, item in _DEFAULT_ITEMS))
"""The article's routine: ankle rotations both ways on each foot, two-leg hops, single-leg
hops on each foot, single-leg alternating jump rope, split jumps."""

_HEADER = f"""\
# A repcount routine (DESIGN.md §5). Check it with: repcount routine check FILE
#
# Each [[item]] is one exercise, done in this order. Keys:
#   exercise        {", ".join(EXERCISES)}
#   foot            left or right (ankle_rotations: the working foot; single_leg_hops: the foot hopped on)
#   direction       cw or ccw, as you look down at your own foot (ankle_rotations only)
#   style           {", ".join(STYLES)} (jump_rope only)
#   sets            how many sets (default 1)
#   reps            per set: a number, or a range {{ min = 10, max = 15 }}
#   rest_s          rest between sets, seconds
#   duration_s      how long, seconds (instead of reps)
#   switch_every_s  change legs this often: seconds, or {{ min = 5, max = 10 }} (single_leg_alternating rope)
# Source: "Why Runners Need Foot and Ankle Mobility" (Marc Lindsay, with Nathan Koch, PT).

"""


def default_toml() -> str:
    """`DEFAULT_ROUTINE` as a commented TOML file, the starting point for your own."""
    return _HEADER + to_toml(DEFAULT_ROUTINE, tuple(comment for comment, _ in _DEFAULT_ITEMS))
