"""Message components (action rows, buttons, selects): Discord's limits and look-ups."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from .replies import field_error

ACTION_ROW, BUTTON, STRING_SELECT = 1, 2, 3
# User, role, mentionable and channel selects: like a string select, one per row.
_SELECTS = {STRING_SELECT, 5, 6, 7, 8}
LINK, PREMIUM = 5, 6
IS_COMPONENTS_V2 = 1 << 15

MAX_ROWS = 5
MAX_ROW_WIDTH = 5
MAX_CUSTOM_ID = 100
MAX_LABEL = 80
MAX_OPTIONS = 25
MAX_PLACEHOLDER = 150
MAX_OPTION_TEXT = 100

Path = tuple[str, ...]


class ComponentNotAvailableError(AssertionError):
    """A user could not use this component: not on the message, disabled, or not visible."""


class _Errors:
    """Discord's nested `errors` object: {"components": {"0": {"custom_id": {"_errors": ...}}}}."""

    def __init__(self) -> None:
        self.tree: dict[str, Any] = {}

    def add(self, path: Path, code: str, message: str) -> None:
        node = self.tree
        for key in path:
            node = node.setdefault(key, {})
        node.setdefault("_errors", []).extend(field_error(code, message)["_errors"])


def component_errors(body: dict[str, Any]) -> dict[str, Any]:
    """Errors Discord reports for the `components` of a message body, keyed like its answers.

    Covers classic messages (action rows of buttons and selects). Messages flagged
    IS_COMPONENTS_V2 use the layout components, which the emulator does not check.
    """
    components = body.get("components")
    if not isinstance(components, list) or (body.get("flags") or 0) & IS_COMPONENTS_V2:
        return {}
    errors = _Errors()
    if len(components) > MAX_ROWS:
        errors.add(
            ("components",), "BASE_TYPE_MAX_LENGTH", f"Must be {MAX_ROWS} or fewer in length."
        )
    seen: set[str] = set()
    for r, row in enumerate(components):
        _check_row(row, ("components", str(r)), errors, seen)
    return errors.tree


def _check_row(row: Any, path: Path, errors: _Errors, seen: set[str]) -> None:
    if not isinstance(row, dict) or row.get("type") != ACTION_ROW:
        errors.add((*path, "type"), "UNION_TYPE_CHOICES", "Value must be an action row (1).")
        return
    children = row.get("components") or []
    if not 1 <= len(children) <= MAX_ROW_WIDTH:
        errors.add(
            (*path, "components"),
            "BASE_TYPE_BAD_LENGTH",
            f"Must be between 1 and {MAX_ROW_WIDTH} in length.",
        )
    if len(children) > 1 and any(
        c.get("type") in _SELECTS for c in children if isinstance(c, dict)
    ):
        errors.add(
            (*path, "components"),
            "COMPONENT_LAYOUT_WIDTH_EXCEEDED",
            "The specified component exceeds the maximum width",
        )
    for c, child in enumerate(children):
        where = (*path, "components", str(c))
        if not isinstance(child, dict):
            continue
        if child.get("type") == BUTTON:
            _check_button(child, where, errors)
        elif child.get("type") == STRING_SELECT:
            _check_select(child, where, errors)
        custom_id = child.get("custom_id")
        if isinstance(custom_id, str):
            if custom_id in seen:
                errors.add(
                    (*where, "custom_id"),
                    "COMPONENT_CUSTOM_ID_DUPLICATED",
                    "Component custom id cannot be duplicated",
                )
            seen.add(custom_id)


def _check_custom_id(component: dict[str, Any], path: Path, errors: _Errors) -> None:
    custom_id = component.get("custom_id")
    if not isinstance(custom_id, str) or not 1 <= len(custom_id) <= MAX_CUSTOM_ID:
        errors.add(
            (*path, "custom_id"),
            "BASE_TYPE_BAD_LENGTH",
            f"Must be between 1 and {MAX_CUSTOM_ID} in length.",
        )


def _check_button(button: dict[str, Any], path: Path, errors: _Errors) -> None:
    style = button.get("style")
    label = button.get("label")
    if isinstance(label, str) and len(label) > MAX_LABEL:
        errors.add(
            (*path, "label"), "BASE_TYPE_MAX_LENGTH", f"Must be {MAX_LABEL} or fewer in length."
        )
    if style == LINK:
        if not button.get("url"):
            errors.add((*path, "url"), "BASE_TYPE_REQUIRED", "This field is required")
        if button.get("custom_id") is not None:
            errors.add(
                (*path, "custom_id"),
                "BUTTON_COMPONENT_CUSTOM_ID_NOT_ALLOWED",
                "A custom id cannot be specified for link buttons",
            )
    elif style != PREMIUM:
        _check_custom_id(button, path, errors)
        if button.get("url") is not None:
            errors.add(
                (*path, "url"),
                "BUTTON_COMPONENT_URL_NOT_ALLOWED",
                "A url can only be specified for link buttons",
            )
    if style != PREMIUM and not label and not button.get("emoji"):
        errors.add(
            path,
            "BUTTON_COMPONENT_LABEL_OR_EMOJI_REQUIRED",
            "A label or an emoji is required",
        )


def _check_select(select: dict[str, Any], path: Path, errors: _Errors) -> None:
    _check_custom_id(select, path, errors)
    options = select.get("options") or []
    if not 1 <= len(options) <= MAX_OPTIONS:
        errors.add(
            (*path, "options"),
            "BASE_TYPE_BAD_LENGTH",
            f"Must be between 1 and {MAX_OPTIONS} in length.",
        )
    placeholder = select.get("placeholder")
    if isinstance(placeholder, str) and len(placeholder) > MAX_PLACEHOLDER:
        errors.add(
            (*path, "placeholder"),
            "BASE_TYPE_MAX_LENGTH",
            f"Must be {MAX_PLACEHOLDER} or fewer in length.",
        )
    values: set[str] = set()
    for o, option in enumerate(options):
        if not isinstance(option, dict):
            continue
        for key in ("label", "value", "description"):
            text = option.get(key)
            if isinstance(text, str) and len(text) > MAX_OPTION_TEXT:
                errors.add(
                    (*path, "options", str(o), key),
                    "BASE_TYPE_MAX_LENGTH",
                    f"Must be {MAX_OPTION_TEXT} or fewer in length.",
                )
        if option.get("value") in values:
            errors.add(
                (*path, "options", str(o), "value"),
                "SELECT_COMPONENT_OPTION_VALUE_DUPLICATED",
                "Select component option values cannot be duplicated",
            )
        values.add(option.get("value"))
    low, high = select_bounds(select)
    if high > max(len(options), 1):
        errors.add(
            (*path, "max_values"),
            "BASE_TYPE_MAX",
            f"Must be less than or equal to {len(options)}.",
        )
    if low > high:
        errors.add(
            (*path, "min_values"),
            "SELECT_COMPONENT_MIN_VALUES_GREATER_THAN_MAX",
            "min_values must be less than or equal to max_values",
        )


def select_bounds(select: dict[str, Any]) -> tuple[int, int]:
    """How many values a user may pick: (min_values, max_values), both defaulting to 1."""
    low = select.get("min_values")
    high = select.get("max_values")
    return (1 if low is None else int(low), 1 if high is None else int(high))


def walk(components: list[Any]) -> Iterator[dict[str, Any]]:
    """Every component of a message, rows first, then their children, depth first."""
    for component in components or []:
        if isinstance(component, dict):
            yield component
            yield from walk(component.get("components") or [])


def find(message: dict[str, Any], custom_id: str, component_type: int) -> dict[str, Any] | None:
    """The component of this type and custom_id on a stored message, if it is there."""
    return next(
        (
            c
            for c in walk(message.get("components") or [])
            if c.get("type") == component_type and c.get("custom_id") == custom_id
        ),
        None,
    )


def check_usable(
    component: dict[str, Any] | None, custom_id: str, kind: int, values: list[str] | None
) -> None:
    """Raise ComponentNotAvailableError unless a user could click or pick this in Discord."""
    what = "button" if kind == BUTTON else "select menu"
    if component is None:
        raise ComponentNotAvailableError(f"no {what} with custom_id {custom_id!r} on the message")
    if component.get("disabled"):
        raise ComponentNotAvailableError(f"the {what} {custom_id!r} is disabled")
    if values is None:
        return
    offered = [o.get("value") for o in component.get("options") or []]
    unknown = [v for v in values if v not in offered]
    low, high = select_bounds(component)
    if unknown or len(set(values)) != len(values) or not low <= len(values) <= high:
        raise ComponentNotAvailableError(
            f"cannot pick {values} in {custom_id!r}: offers {offered}, {low} to {high} values"
        )
