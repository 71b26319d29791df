"""Horizontal bar charts drawn on the server as inline SVG: no JavaScript, no charting library.

A chart is a picture (role="img") named by its <title>; the page puts a table with the same
numbers beside it, which is what screen readers read. Bars have one colour, so nothing is
told by colour alone, and every bar carries its label and its value as text. Text takes the
page's colour (currentColor), so it follows the admin's light and dark themes.

Right to left: with `rtl=True` the chart is mirrored (labels on the right, bars growing to
the left) and its text is laid out right to left, for the Arabic pages.

`bar_chart` knows nothing of conferences (secretariat/figures.py draws the dashboard's
pictures with it); `percent_text` and `hours_text` write numbers as the dashboard shows them.
"""

import math
import re
import unicodedata

from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

# Contrast of at least 4:1 against the admin's white (#fff) and dark-mode (#121212) backgrounds.
BAR_COLOR = "#3a78c2"
WIDTH = 480  # with labels of LABEL_WIDTH; longer labels widen the chart, up to MAX_LABEL_WIDTH
PADDING = 8
LABEL_WIDTH = 180
MAX_LABEL_WIDTH = 380
VALUE_WIDTH = 84
GAP = 6
ROW_HEIGHT = 26
BAR_HEIGHT = 16
FONT_SIZE = 13
# Rough advance of a narrow character at FONT_SIZE; wide (CJK) characters count twice. Labels are given
# LABEL_ROOM times their estimated width, as capitals and some fonts run wider than the average.
CHARACTER_WIDTH = 7
LABEL_ROOM = 1.15
SAFE_ID = re.compile(r"^[A-Za-z][\w-]*$")


def bar_chart(pairs, *, chart_id, title, max_value=None, value_text=None, rtl=False):
    """An SVG bar chart of `pairs` [(label, value), ...], one bar a row, in the given order.

    `chart_id` makes the ids inside the SVG unique on the page; `max_value` fixes the length
    of a full bar (100 for percentages), else the largest value fills it; `value_text(value)`
    writes a value (by default the number, grouped as the active language groups digits);
    a value of None draws no bar.
    """
    if not SAFE_ID.match(chart_id):
        raise ValueError(f"Not a usable id for an SVG chart: {chart_id!r}")
    rows = [(str(label), value) for label, value in pairs]
    value_text = value_text or _grouped
    top = max_value or max((value or 0 for _label, value in rows), default=0) or 1
    height = 2 * PADDING + ROW_HEIGHT * len(rows)
    # Labels whole where they fit: the chart grows with the longest, and only past MAX_LABEL_WIDTH is one cut.
    longest = max((_units(label) for label, _value in rows), default=0) * CHARACTER_WIDTH * LABEL_ROOM
    label_width = min(max(LABEL_WIDTH, math.ceil(longest)), MAX_LABEL_WIDTH)
    width = WIDTH + label_width - LABEL_WIDTH
    bars_start = PADDING + label_width + GAP
    bars_span = width - bars_start - GAP - VALUE_WIDTH - PADDING
    place = _Mirror(rtl, width)
    elements = [
        format_html(
            '<line x1="{x}" y1="{top}" x2="{x}" y2="{bottom}" stroke="currentColor" stroke-width="1"/>',
            x=place.x(bars_start),
            top=PADDING,
            bottom=height - PADDING,
        )
    ]
    for index, (label, value) in enumerate(rows):
        middle = PADDING + index * ROW_HEIGHT + ROW_HEIGHT / 2
        length = min(max(value or 0, 0) / top, 1) * bars_span
        elements.append(_label(label, place.x(bars_start - GAP), middle))
        if length:
            elements.append(_bar(place.x(bars_start, length), middle - BAR_HEIGHT / 2, length))
        elements.append(
            format_html(
                '<text x="{}" y="{}" dominant-baseline="central" text-anchor="start">{}</text>',
                _number(place.x(bars_start + length + GAP)),
                _number(middle),
                value_text(value),
            )
        )
    svg = format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="{id}-title" '
        'width="{width}" height="{height}" viewBox="0 0 {width} {height}" direction="{direction}" '
        'font-size="{font}" fill="currentColor"><title id="{id}-title">{title}</title>',
        id=chart_id,
        width=width,
        height=height,
        direction="rtl" if rtl else "ltr",
        font=FONT_SIZE,
        title=title,
    )
    return mark_safe(svg + "".join(elements) + "</svg>")  # every part was escaped by format_html


class _Mirror:
    """x coordinates measured from the start of a line: from the left, or from the right when mirrored."""

    def __init__(self, rtl, width):
        self.rtl = rtl
        self.width = width

    def x(self, start, length=0):
        """Where to draw something `length` long that begins `start` from the line's start."""
        return self.width - start - length if self.rtl else start


def _label(label, x, middle):
    """The label, ending next to the bars; cut short with an ellipsis when too long (the table has it whole)."""
    shown = _shorten(label, int(MAX_LABEL_WIDTH / (CHARACTER_WIDTH * LABEL_ROOM)))
    tooltip = format_html("<title>{}</title>", label) if shown != label else ""
    return format_html(
        '<text x="{}" y="{}" dominant-baseline="central" text-anchor="end">{}{}</text>',
        _number(x),
        _number(middle),
        tooltip,
        shown,
    )


def _bar(x, y, length):
    return format_html(
        '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"/>',
        _number(x),
        _number(y),
        _number(length),
        BAR_HEIGHT,
        BAR_COLOR,
    )


def _units(text):
    """The width of `text` in narrow characters: a wide (CJK) character takes two."""
    return sum(2 if unicodedata.east_asian_width(character) in "WF" else 1 for character in text)


def _shorten(text, room):
    """`text` cut to fit `room` narrow characters (a wide character takes two), with an ellipsis."""
    used = 0
    for index, character in enumerate(text):
        used += _units(character)
        if used > room:
            return text[: max(index - 1, 0)].rstrip() + "…"
    return text


def _grouped(value):
    return "—" if value is None else number_format(value, force_grouping=True)


def _number(value):
    """A coordinate for SVG: a dot for decimals whatever the language, at most two decimals."""
    return f"{value:.2f}".rstrip("0").rstrip(".")


def percent_text(value):
    """45.5 as "45.5%" in English (translations place the sign); a dash when there is nothing to divide."""
    if value is None:
        return "—"
    return _("%(percent)s%%") % {"percent": number_format(value, decimal_pos=1)}


def hours_text(hours):
    """42.25 as "42 h 15 min", 3.0 as "3 h", 0.5 as "30 min": hours and minutes, as an agenda counts time,
    the same in the charts and the tables, with the active language's units and digit grouping."""
    whole, minutes = divmod(round(hours * 60), 60)
    if whole and minutes:
        return _("%(hours)s h %(minutes)s min") % {"hours": _grouped(whole), "minutes": minutes}
    if minutes:
        return _("%(minutes)s min") % {"minutes": minutes}
    return _("%(hours)s h") % {"hours": _grouped(whole)}
