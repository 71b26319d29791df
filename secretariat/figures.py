"""The dashboard's figures: each a picture beside a table with the same numbers.

`dashboard_figures` turns what secretariat/dashboard.py counted into `Figure`s, which one
template (templates/secretariat/dashboard/figure.html) draws: a section with its heading,
an optional note, the chart, and the table that screen readers read. Numbers are written
here, in the active language, so the template only places them.
"""

import dataclasses

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from conference.choices import Gender
from secretariat.charts import bar_chart, hours_text, percent_text
from secretariat.dashboard import DelegationRow, grouped


@dataclasses.dataclass(frozen=True)
class Row:
    label: str
    cells: tuple
    url: str = ""


@dataclasses.dataclass(frozen=True)
class Figure:
    section_id: str
    heading: str
    chart: str
    caption: str
    columns: tuple  # the header of each column, the rows' labels first
    rows: tuple
    total: Row | None = None
    note: str = ""


def dashboard_figures(dashboard, link, *, rtl=False, delegations_link=None):
    """The figures of the page by name; `link(**filters)` is the address of the matching participants,
    `delegations_link(**filters)` that of the matching delegations. Those of delegations are None for a
    conference without any."""
    return {
        "status": _status(dashboard, link, rtl),
        "category": _category(dashboard, link, rtl),
        "represented": _represented(dashboard["represented"], rtl),
        "gender": _gender(
            dashboard["gender"],
            "gender",
            _("Gender of approved participants"),
            _("Approved participants by gender"),
            rtl,
        ),
        "speakers": _gender(
            dashboard["speakers_gender"],
            "speakers",
            _("Gender of the people who speak in sessions"),
            _(
                "Chairs, moderators, speakers and panellists of sessions not cancelled, by gender; "
                "a person who speaks in two sessions counts twice"
            ),
            rtl,
            chart_title=_("People who speak in sessions, by gender"),
        ),
        "pillars": _pillars(dashboard, rtl),
        "delegations": _delegations(dashboard, delegations_link or link, rtl) if dashboard["delegations"] else None,
        "heads": _heads(dashboard, rtl) if dashboard["delegations"] else None,
    }


def women_by_category_chart(dashboard, *, rtl=False):
    """Beside the table of gender by category (templates/secretariat/dashboard/gender_table.html)."""
    return bar_chart(
        [(row.label, row.share(Gender.FEMALE).percent) for row in dashboard["gender_by_category"]],
        chart_id="chart-women-by-category",
        title=_("Women among approved participants, by category (per cent)"),
        max_value=100,
        value_text=percent_text,
        rtl=rtl,
    )


def _status(dashboard, link, rtl):
    shares = dashboard["by_status"].shares
    return Figure(
        section_id="status",
        heading=_("Registrations by status"),
        chart=bar_chart(
            [(share.label, share.count) for share in shares],
            chart_id="chart-status",
            title=_("Registrations by status"),
            rtl=rtl,
        ),
        caption=_("Registrations by status"),
        columns=(_("Status"), _("Registrations"), _("Share")),
        rows=tuple(
            Row(share.label, (grouped(share.count), share.percent_text), link(status__exact=share.value))
            for share in shares
        ),
        total=Row(_("Total"), (grouped(dashboard["by_status"].total), "")),
    )


def _category(dashboard, link, rtl):
    rows = dashboard["by_category"]
    return Figure(
        section_id="category",
        heading=_("Registrations by category"),
        chart=bar_chart(
            [(row.label, row.registered) for row in rows],
            chart_id="chart-category",
            title=_("Registrations by category"),
            rtl=rtl,
        ),
        caption=_("Registrations by category, all statuses, and how many are approved"),
        columns=(_("Category"), _("Registrations"), _("Approved")),
        rows=tuple(
            Row(row.label, (grouped(row.registered), grouped(row.approved)), link(category__exact=row.value))
            for row in rows
        ),
        total=Row(_("Total"), (grouped(dashboard["by_status"].total), grouped(dashboard["approved"]))),
    )


def _represented(represented, rtl):
    kinds = [
        (_("Member States"), represented.member_states),
        (_("Observer States"), represented.observer_states),
        (_("International and regional organizations"), represented.international_organizations),
        (_("United Nations entities"), represented.un_entities),
        (_("Civil society organizations"), represented.civil_society_organizations),
    ]
    return Figure(
        section_id="represented",
        heading=_("States and organizations represented"),
        chart=bar_chart(
            kinds,
            chart_id="chart-represented",
            title=_("States and organizations represented by approved participants"),
            rtl=rtl,
        ),
        caption=_(
            "Represented by approved participants (organizations whose names differ only in capitals or spaces "
            "count once)"
        ),
        columns=(_("Represented"), _("Number")),
        rows=tuple(Row(label, (grouped(number),)) for label, number in kinds),
        total=Row(_("Approved participants"), (grouped(represented.participants),)),
    )


def _gender(breakdown, section_id, heading, caption, rtl, chart_title=None, note=""):
    return Figure(
        section_id=section_id,
        heading=heading,
        note=note,
        chart=bar_chart(
            [(share.label, share.percent) for share in breakdown.shares],
            chart_id=f"chart-{section_id}",
            title=chart_title or caption,
            max_value=100,
            value_text=percent_text,
            rtl=rtl,
        ),
        caption=caption,
        columns=(_("Gender"), _("Number"), _("Share")),
        rows=tuple(Row(share.label, (grouped(share.count), share.percent_text)) for share in breakdown.shares),
        total=Row(_("Total"), (grouped(breakdown.total), "")),
    )


def _pillars(dashboard, rtl):
    pillar_rows = dashboard["pillar_hours"]
    return Figure(
        section_id="pillars",
        heading=_("Agenda hours by pillar of the Strategy"),
        note=_(
            "Sessions not cancelled whose times are announced. A session with two pillars counts for both, so the "
            "pillars add up to more than the whole agenda."
        ),
        chart=bar_chart(
            [(row.label, row.hours) for row in pillar_rows],
            chart_id="chart-pillars",
            title=_("Agenda hours by pillar of the Strategy"),
            value_text=hours_text,
            rtl=rtl,
        ),
        caption=_("Scheduled hours by pillar"),
        columns=(_("Pillar"), _("Hours")),
        rows=tuple(Row(row.label, (row.hours_text,)) for row in [*pillar_rows, dashboard["hours_without_pillar"]]),
        total=Row(dashboard["hours_total"].label, (dashboard["hours_total"].hours_text,)),
    )


def _delegations(dashboard, link, rtl):
    rows = dashboard["delegations"]

    def used_of_given(used, given):
        return _("%(used)s of %(total)s") % {"used": grouped(used), "total": grouped(given)}

    def cells(row):
        return (
            grouped(row.delegations),
            grouped(row.nominated),
            grouped(row.registered),
            grouped(row.approved),
            used_of_given(row.in_person_used, row.in_person_given),
            used_of_given(row.online_used, row.online_given),
        )

    total = DelegationRow(
        "", "", *(sum(getattr(row, field.name) for row in rows) for field in dataclasses.fields(DelegationRow)[2:])
    )
    return Figure(
        section_id="delegations",
        heading=_("Delegations by category"),
        note=_(
            "Members withdrawn by their focal points are not counted. Registered: members whose registration is "
            "made, whatever its status."
        ),
        chart=bar_chart(
            [(row.label, row.nominated) for row in rows],
            chart_id="chart-delegations",
            title=_("Members of delegations nominated, by category"),
            rtl=rtl,
        ),
        caption=_("Delegations by category: their members, and their places used of those given"),
        columns=(
            _("Category"),
            _("Delegations"),
            _("Members nominated"),
            _("Registered"),
            _("Approved"),
            _("Places in person"),
            _("Places online"),
        ),
        rows=tuple(Row(row.label, cells(row), link(category__exact=row.value)) for row in rows),
        total=Row(_("Total"), cells(total)),
    )


def _heads(dashboard, rtl):
    waiting = dashboard["heads_not_registered"]
    note = ngettext(
        "%(count)s head of delegation has not registered yet and is not counted.",
        "%(count)s heads of delegation have not registered yet and are not counted.",
        waiting,
    ) % {"count": grouped(waiting)}
    return _gender(
        dashboard["heads_gender"],
        "heads",
        _("Gender of heads of delegation"),
        _("Heads of delegation by gender"),
        rtl,
        note=note if waiting else "",
    )
