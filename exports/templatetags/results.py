"""Template filters for results pages: a proportion as the public reads it."""

from django import template

register = template.Library()


@register.filter
def percent(value, decimals: int = 1) -> str:
    """0.1234 -> '12.3' (no sign); '-' for a missing value."""
    if value is None or value == "":
        return "-"
    return f"{float(value) * 100:.{int(decimals)}f}"
