"""The governance report of the strategy for a chosen period: a PDF (fpdf2, with charts) and an xlsx (openpyxl).

Both read the same `report_data`:

- the tree (axes, sub-axes, the 14 objectives, with progress bars) — progress as of the report's date, since
  statuses and weights are not dated; the actions only for people who may see them (`perms.can_view_actions`);
- every indicator with its regional measurements dated within the period (a line chart against the target and the
  baseline) and, for a computed indicator, its value computed over the period (or « pas de donnée »);
- the committees' decisions (meetings held within the period, and decisions still open from before), the overdue
  ones flagged — for the same people as the actions;
- what changed since the previous committee (the history between the last two meetings held by the report's end,
  or since the last one) — for the same people as the actions;
- demo records labelled « démo », and a warning on the title page when the report holds any.
"""

import io
import math
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from fpdf import FPDF, FontFace
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill

from maille.core.exports import FORMATS, append_text_safe
from maille.territories.selectors import zone_labels

from . import indicators as computations
from . import selectors
from .enums import ActionStatus, DecisionStatus, Direction, IndicatorSource
from .io import MEASUREMENT_COLUMNS, export_actions, export_measurements, format_decimal
from .models import Action, Decision, Indicator, Measurement, Strategy
from .perms import can_view_actions

FONT_DIR = Path(__file__).parent / "fonts"
FONT = "DejaVu"
DEMO = "démo"
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

# Colours (RGB)
INK = (30, 30, 30)
MUTED = (110, 110, 110)
BAR_BACK = (225, 228, 235)
BAR_FILL = (0, 0, 145)  # the French government's blue, contrast-safe
TARGET = (200, 90, 0)
BASELINE = (140, 140, 140)
ALERT = (190, 0, 0)


# Data


@dataclass
class IndicatorData:
    indicator: Indicator
    series: list[Measurement]  # regional totals within the period, oldest first
    breakdowns: int  # measurements of a territory within the period
    computed: computations.Result | None = None
    computed_error: str = ""

    @property
    def latest(self) -> Measurement | None:
        return self.series[-1] if self.series else None

    @property
    def is_demo(self) -> bool:
        return self.indicator.is_demo or bool(self.computed and self.computed.includes_demo)


@dataclass
class ReportData:
    strategy: Strategy
    start: date
    end: date
    generated: date
    tree: dict
    show_actions: bool
    actions: list[Action] = field(default_factory=list)
    indicators: list[IndicatorData] = field(default_factory=list)
    measurements: list[Measurement] = field(default_factory=list)
    decisions: list[Decision] = field(default_factory=list)
    changes: dict = field(default_factory=dict)

    @property
    def has_demo(self) -> bool:
        return (
            any(a.is_demo for a in self.actions)
            or any(i.is_demo for i in self.indicators)
            or any(d.meeting.is_demo for d in self.decisions)
        )

    def overdue(self, decision: Decision) -> bool:
        return is_overdue(decision, self.generated)


def is_overdue(decision: Decision, today: date) -> bool:
    """An open decision whose due date has passed."""
    return (
        decision.status == DecisionStatus.OPEN and decision.due_date is not None and decision.due_date < today
    )


def report_data(strategy: Strategy, start: date, end: date, user) -> ReportData:
    if start > end:
        raise ValueError(_("La date de fin doit suivre la date de début."))
    show_actions = can_view_actions(user)
    tree = selectors.strategy_tree(strategy)
    if not show_actions:
        for axis in tree["axes"]:
            for sub_axis in axis["sub_axes"]:
                for objective in sub_axis["objectives"]:
                    objective["actions"] = []
    data = ReportData(strategy, start, end, timezone.localdate(), tree, show_actions)
    in_period = Measurement.objects.filter(indicator__strategy=strategy, date__gte=start, date__lte=end)
    data.measurements = list(
        in_period.select_related("indicator").order_by("indicator__name", "date", "zone_level", "zone_code")
    )
    for indicator in selectors.indicators(strategy).prefetch_related("actions"):
        own = [m for m in data.measurements if m.indicator_id == indicator.pk]
        item = IndicatorData(
            indicator, [m for m in own if not m.zone_level], sum(1 for m in own if m.zone_level)
        )
        if indicator.source == IndicatorSource.COMPUTED:
            try:
                item.computed = computations.compute_indicator(indicator, start, end)
            except computations.ComputationError as exc:
                item.computed_error = str(exc)
        data.indicators.append(item)
    if show_actions:
        data.actions = list(
            Action.objects.filter(strategy=strategy, archived_at__isnull=True).prefetch_related(
                "objectives", "pilots", "partners"
            )
        )
        data.changes = selectors.changes_since_committee(strategy, until=end)
        data.decisions = list(
            Decision.objects.filter(meeting__strategy=strategy, meeting__date__lte=end)
            .filter(Q(meeting__date__gte=start) | Q(status=DecisionStatus.OPEN))
            .select_related("meeting", "owner_organisation")
            .prefetch_related("actions")
            .order_by("meeting__date", "due_date", "pk")
        )
    return data


def _day(value: date | None) -> str:
    return date_format(value, "SHORT_DATE_FORMAT") if value else "—"


def _number(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:.1f}".rstrip("0").rstrip(".").replace(".", ",")
    return format_decimal(value).replace(".", ",") if hasattr(value, "normalize") else str(value)


def _progress(value: float | None) -> str:
    return _("n. d.") if value is None else f"{_number(float(value))} %"


def _demo_suffix(text: str, is_demo: bool) -> str:
    return f"{text} ({DEMO})" if is_demo and DEMO not in text.lower() else text


def _period_text(data: ReportData) -> str:
    return _("du %(start)s au %(end)s") % {"start": _day(data.start), "end": _day(data.end)}


def _computed_text(item: IndicatorData) -> str:
    if item.computed_error:
        return item.computed_error
    result = item.computed
    if result is None:
        return ""
    if result.value is None:
        return _("Pas de donnée — %(note)s") % {"note": result.note or _("rien à mesurer sur la période")}
    text = f"{_number(result.value)} {item.indicator.unit}".strip()
    if result.note:
        text += f" — {result.note}"
    return _demo_suffix(text, result.includes_demo)


# PDF


class _ReportPDF(FPDF):
    def __init__(self, footer_text: str):
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.footer_text = footer_text
        self.add_font(FONT, "", str(FONT_DIR / "DejaVuSans.ttf"))
        self.add_font(FONT, "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
        self.set_auto_page_break(True, margin=18)
        self.set_margins(18, 16, 18)
        self.set_text_color(*INK)

    def footer(self):
        self.set_y(-12)
        self.set_font(FONT, "", 8)
        self.set_text_color(*MUTED)
        self.cell(0, 6, f"{self.footer_text} · page {self.page_no()}/{{nb}}", align="C")
        self.set_text_color(*INK)

    # Text helpers

    def text_block(self, text: str, size: float = 10, bold: bool = False, color=INK, height: float = 5):
        self.set_font(FONT, "B" if bold else "", size)
        self.set_text_color(*color)
        self.multi_cell(0, height, text, align="L", new_x="LMARGIN", new_y="NEXT")
        self.set_text_color(*INK)

    def heading(self, text: str, level: int = 0, size: float = 15):
        if self.get_y() > self.h - 40:
            self.add_page()
        self.start_section(text, level=level)
        self.ln(2)
        self.text_block(text, size=size, bold=True, height=size * 0.5)
        self.ln(1)

    def ensure_space(self, height: float):
        if self.get_y() + height > self.h - self.b_margin:
            self.add_page()

    # Drawing helpers

    def progress_row(self, label: str, progress: float | None, size: float = 10, bold: bool = False):
        """A label (wrapped) on the left, a progress bar and its figure on the right."""
        bar_w, figure_w, gap = 45, 22, 3
        label_w = self.epw - bar_w - figure_w - gap
        self.set_font(FONT, "B" if bold else "", size)
        height = self.multi_cell(label_w, size * 0.5, label, align="L", dry_run=True, output="HEIGHT")
        self.ensure_space(max(height, 5) + 1)
        top = self.get_y()
        self.multi_cell(label_w, size * 0.5, label, align="L", new_x="LMARGIN", new_y="NEXT")
        bottom = self.get_y()
        x = self.l_margin + label_w + gap
        self.progress_bar(x, top + 0.6, bar_w, 3.6, progress)
        self.set_xy(x + bar_w + 1, top)
        self.set_font(FONT, "", size - 1)
        self.set_text_color(*(MUTED if progress is None else INK))
        self.cell(figure_w - 1, size * 0.5, _progress(progress), align="R")
        self.set_text_color(*INK)
        self.set_xy(self.l_margin, max(bottom, top + 5) + 1)

    def progress_bar(self, x: float, y: float, w: float, h: float, progress: float | None):
        self.set_fill_color(*BAR_BACK)
        self.rect(x, y, w, h, style="F")
        if progress:
            self.set_fill_color(*BAR_FILL)
            self.rect(x, y, w * max(0.0, min(100.0, float(progress))) / 100.0, h, style="F")
        self.set_draw_color(*MUTED)
        self.set_line_width(0.2)
        self.rect(x, y, w, h, style="D")

    def line_chart(self, item: IndicatorData, start: date, end: date, w: float = 120, h: float = 42):
        """Measurements (line and points) against the target (dashed) and the baseline (dotted), over the period."""
        indicator = item.indicator
        points = [(m.date, float(m.value)) for m in item.series]
        references = [float(v) for v in (indicator.target_value, indicator.baseline_value) if v is not None]
        values = [v for _d, v in points] + references
        ticks = axis_ticks(min([0.0, *values]), max([0.0, *values]))
        low, high = float(ticks[0]), float(ticks[-1])
        self.ensure_space(h + 14)
        left = self.l_margin + 16
        top = self.get_y() + 2
        span = max((end - start).days, 1)

        def to_x(day: date) -> float:
            return left + w * min(max((day - start).days, 0), span) / span

        def to_y(value: float) -> float:
            return top + h - h * (value - low) / (high - low)

        # Frame and axes labels
        self.set_draw_color(*MUTED)
        self.set_line_width(0.2)
        self.line(left, top, left, top + h)
        self.line(left, top + h, left + w, top + h)
        self.set_font(FONT, "", 7)
        self.set_text_color(*MUTED)
        for tick in ticks:
            self.set_xy(self.l_margin, to_y(float(tick)) - 2)
            self.cell(15, 4, tick_label(tick), align="R")
            self.set_draw_color(*BAR_BACK)
            self.line(left, to_y(float(tick)), left + w, to_y(float(tick)))
        self.set_xy(left - 8, top + h + 0.5)
        self.cell(20, 4, _day(start), align="L")
        self.set_xy(left + w - 12, top + h + 0.5)
        self.cell(20, 4, _day(end), align="R")
        # Reference lines
        for value, color, dash, label in (
            (indicator.target_value, TARGET, (1.6, 1.2), _("cible")),
            (indicator.baseline_value, BASELINE, (0.4, 0.8), _("départ")),
        ):
            if value is None:
                continue
            self.set_draw_color(*color)
            self.set_line_width(0.4)
            self.set_dash_pattern(dash=dash[0], gap=dash[1])
            self.line(left, to_y(float(value)), left + w, to_y(float(value)))
            self.set_dash_pattern()
            self.set_text_color(*color)
            self.set_xy(left + w + 1, to_y(float(value)) - 2)
            self.cell(30, 4, f"{label} {_number(value)}")
        # Series
        self.set_draw_color(*BAR_FILL)
        self.set_fill_color(*BAR_FILL)
        self.set_line_width(0.6)
        coordinates = [(to_x(day), to_y(value)) for day, value in points]
        if len(coordinates) > 1:
            self.polyline(coordinates)
        for x, y in coordinates:
            self.rect(x - 0.9, y - 0.9, 1.8, 1.8, style="F")
        if not coordinates:
            self.set_text_color(*MUTED)
            self.set_xy(left, top + h / 2 - 2)
            self.cell(w, 4, _("Aucune mesure régionale sur la période"), align="C")
        # Legend
        self.set_text_color(*MUTED)
        self.set_xy(left, top + h + 5)
        self.set_font(FONT, "", 7)
        self.cell(
            w, 4, _("Trait plein : mesures · tirets : cible · pointillés : valeur de départ"), align="C"
        )
        self.set_text_color(*INK)
        self.set_line_width(0.2)
        self.set_xy(self.l_margin, top + h + 11)


TICK_MULTIPLIERS = (1, 2, 5, 10)


def axis_ticks(low: float, high: float, intervals: int = 5) -> list[Decimal]:
    """Rounded ticks of a value axis from `low` to `high` included: a step of 1, 2 or 5 × 10^k, the fewest ticks
    with at most about `intervals` intervals, the first tick at or below `low` and the last at or above `high`.

    `axis_ticks(0, 127)` → 0, 50, 100, 150; `axis_ticks(0, 0.73)` → 0, 0.2, 0.4, 0.6, 0.8 (exact decimals).
    """
    low, high = sorted((float(low), float(high)))
    if high == low:
        high = low + 1
    raw = (high - low) / intervals
    exponent = math.floor(math.log10(raw))
    step = next(
        Decimal(m).scaleb(exponent) for m in TICK_MULTIPLIERS if m * 10.0**exponent >= raw * (1 - 1e-9)
    )
    if step == Decimal(10).scaleb(exponent):
        step = Decimal(1).scaleb(exponent + 1)
    first = math.floor(low / float(step) + 1e-9)
    last = math.ceil(high / float(step) - 1e-9)
    return [step * n for n in range(first, last + 1)]


def tick_label(value: Decimal) -> str:
    """A tick's label in French: « 1 500 », « 0,2 », « -5 » (no trailing zeros, no exponent)."""
    text = format(value.normalize() if value else Decimal(0), "f")
    sign, text = ("-", text[1:]) if text.startswith("-") else ("", text)
    whole, _dot, decimals = text.partition(".")
    groups = []
    while len(whole) > 3:
        whole, groups = whole[:-3], [whole[-3:], *groups]
    whole = "\u00a0".join([whole, *groups])
    return sign + whole + ("," + decimals if decimals else "")


def build_pdf(strategy: Strategy, start: date, end: date, user, compress: bool = True) -> bytes:
    """The governance report as a PDF (A4). `compress=False` leaves the page streams readable (tests)."""
    data = report_data(strategy, start, end, user)
    pdf = _ReportPDF(
        _("Rapport de gouvernance · %(start)s – %(end)s") % {"start": _day(start), "end": _day(end)}
    )
    pdf.set_compression(compress)
    pdf.set_title(f"{strategy.name} — {_('rapport de gouvernance')}")
    pdf.set_lang("fr")
    pdf.set_creator("Maille")
    pdf.set_creation_date(datetime.combine(data.generated, datetime.min.time()).astimezone())
    _title_page(pdf, data)
    _tree_pages(pdf, data)
    _indicator_pages(pdf, data)
    if data.show_actions:
        _decision_pages(pdf, data)
        _change_pages(pdf, data)
    return bytes(pdf.output())


def _title_page(pdf: _ReportPDF, data: ReportData) -> None:
    pdf.add_page()
    pdf.set_y(60)
    pdf.text_block(_("Rapport de gouvernance"), size=13, color=MUTED, height=7)
    pdf.ln(2)
    pdf.start_section(data.strategy.name, level=0)
    pdf.text_block(data.strategy.name, size=22, bold=True, height=10)
    pdf.ln(4)
    pdf.text_block(_("Période : %(period)s") % {"period": _period_text(data)}, size=13, height=7)
    pdf.text_block(
        _("Stratégie %(period)s — rapport établi le %(date)s")
        % {"period": data.strategy.period.replace("-", "–"), "date": _day(data.generated)},
        size=11,
        color=MUTED,
        height=6,
    )
    pdf.ln(10)
    tree = data.tree
    pdf.progress_row(_("Avancement de la stratégie"), tree["progress"], size=12, bold=True)
    pdf.text_block(
        _("%(with_data)s objectifs sur %(count)s ont un avancement connu.")
        % {"with_data": tree["objectives_with_data"], "count": tree["objectives_count"]},
        size=9,
        color=MUTED,
    )
    pdf.ln(8)
    notes = [
        _(
            "L'avancement est celui du jour du rapport (statuts, poids et dernières mesures) ; les mesures et les "
            "indicateurs calculés portent sur la période."
        ),
        _(
            "Objectif : moyenne des avancements de ses actions pondérée par leur poids (une action sans avancement "
            "compte 0). Sous-axe, axe et stratégie : moyenne simple de leurs enfants qui ont une donnée. "
            "« n. d. » : pas de donnée (aucune action saisie)."
        ),
    ]
    if not data.show_actions:
        notes.append(
            _(
                "Les actions et les décisions des comités ne sont pas publiques : elles ne figurent pas dans ce "
                "rapport. L'avancement est pourtant calculé sur toutes les actions."
            )
        )
    if data.has_demo:
        notes.append(
            _("Ce rapport contient des données de démonstration (fictives), marquées « %(demo)s ».")
            % {"demo": DEMO}
        )
    for note in notes:
        pdf.text_block(note, size=9, color=MUTED, height=4.5)
        pdf.ln(1.5)


def _tree_pages(pdf: _ReportPDF, data: ReportData) -> None:
    pdf.add_page()
    pdf.heading(_("Objectifs et avancement"), level=0)
    for axis in data.tree["axes"]:
        pdf.ln(2)
        pdf.start_section(f"{axis['code']} — {axis['title']}", level=1)
        pdf.progress_row(f"{axis['code']} — {axis['title']}", axis["progress"], size=12, bold=True)
        for sub_axis in axis["sub_axes"]:
            pdf.ln(1)
            pdf.set_x(pdf.l_margin)
            pdf.progress_row(sub_axis["title"], sub_axis["progress"], size=10.5, bold=True)
            for objective in sub_axis["objectives"]:
                pdf.start_section(f"{objective['code']} — {objective['title']}", level=2)
                pdf.progress_row(
                    f"{objective['code']} — {objective['title']}", objective["progress"], size=10
                )
                if data.show_actions:
                    _action_rows(pdf, objective)
    if data.show_actions:
        orphans = [a for a in data.actions if not a.objectives.all()]
        if orphans:
            pdf.ln(2)
            pdf.text_block(_("Actions sans objectif"), size=10.5, bold=True)
        for action in orphans:
            pdf.progress_row(_demo_suffix(f"{action.code} — {action.title}", action.is_demo), None, size=9)


def _action_rows(pdf: _ReportPDF, objective: dict) -> None:
    if not objective["actions"]:
        pdf.text_block("      " + _("Aucune action saisie pour cet objectif."), size=8.5, color=MUTED)
        pdf.ln(1)
        return
    for action in objective["actions"]:
        label = f"      {action['code']} — {action['title']}"
        label += f" · {ActionStatus(action['status']).label} · {_('poids')} {_number(action['weight'])}"
        pdf.progress_row(_demo_suffix(label, action["is_demo"]), action["progress"], size=8.5)


def _indicator_pages(pdf: _ReportPDF, data: ReportData) -> None:
    pdf.add_page()
    pdf.heading(_("Indicateurs"), level=0)
    if not data.indicators:
        pdf.text_block(_("Aucun indicateur n'est encore défini."), color=MUTED)
        return
    for item in data.indicators:
        indicator = item.indicator
        pdf.ensure_space(80)
        pdf.ln(3)
        title = _demo_suffix(indicator.name, item.is_demo)
        pdf.start_section(title, level=1)
        pdf.text_block(title, size=11.5, bold=True, height=6)
        facts = [
            _("Objectif %(code)s") % {"code": indicator.objective.code} if indicator.objective else "",
            _("unité : %(unit)s") % {"unit": indicator.unit} if indicator.unit else "",
            _("départ %(value)s (%(date)s)")
            % {"value": _number(indicator.baseline_value), "date": _day(indicator.baseline_date)},
            _("cible %(value)s (%(date)s)")
            % {"value": _number(indicator.target_value), "date": _day(indicator.target_date)},
            _("à la hausse") if indicator.direction == Direction.UP else _("à la baisse"),
            str(IndicatorSource(indicator.source).label),
        ]
        if data.show_actions and indicator.actions.all():
            facts.append(
                _("actions : %(codes)s") % {"codes": ", ".join(a.code for a in indicator.actions.all())}
            )
        pdf.text_block(" · ".join(f for f in facts if f), size=8.5, color=MUTED, height=4.5)
        if indicator.source == IndicatorSource.COMPUTED:
            pdf.text_block(
                _("Valeur calculée sur la période : %(value)s") % {"value": _computed_text(item)}, size=9.5
            )
        pdf.line_chart(item, data.start, data.end)
        _measurement_table(pdf, item)


def _measurement_table(pdf: _ReportPDF, item: IndicatorData) -> None:
    if item.series:
        pdf.set_font(FONT, "", 8.5)
        pdf.set_fill_color(255, 255, 255)  # the charts leave their marker colour behind
        with pdf.table(
            headings_style=FontFace(emphasis="BOLD", fill_color=(235, 239, 248)),
            cell_fill_mode="NONE",
            col_widths=(25, 30, 119),
            text_align=("LEFT", "RIGHT", "LEFT"),
            line_height=4.5,
            first_row_as_headings=True,
        ) as table:
            header = table.row()
            for text in (_("Date"), _("Valeur"), _("Source")):
                header.cell(text)
            for measurement in item.series:
                row = table.row()
                row.cell(_day(measurement.date))
                row.cell(_number(measurement.value))
                row.cell(measurement.source_note or "—")
    if item.breakdowns:
        pdf.text_block(
            _("Et %(count)s mesures par territoire sur la période (feuille « Mesures » du tableur).")
            % {"count": item.breakdowns},
            size=8.5,
            color=MUTED,
        )
    pdf.ln(2)


def _decision_pages(pdf: _ReportPDF, data: ReportData) -> None:
    pdf.add_page()
    pdf.heading(_("Décisions des comités"), level=0)
    pdf.text_block(
        _(
            "Réunions tenues %(period)s, et décisions antérieures encore en cours. En retard : en cours, échéance passée."
        )
        % {"period": _period_text(data)},
        size=9,
        color=MUTED,
    )
    pdf.ln(2)
    if not data.decisions:
        pdf.text_block(_("Aucune décision sur la période."), color=MUTED)
        return
    overdue = sum(data.overdue(d) for d in data.decisions)
    if overdue:
        pdf.text_block(
            _("%(count)s décision(s) en retard.") % {"count": overdue}, size=10.5, bold=True, color=ALERT
        )
        pdf.ln(1)
    for decision in data.decisions:
        pdf.ensure_space(22)
        meeting = decision.meeting
        late = data.overdue(decision)
        heading = _demo_suffix(str(meeting), meeting.is_demo)
        if late:
            heading = f"{_('EN RETARD')} · {heading}"
        pdf.text_block(heading, size=9.5, bold=True, color=ALERT if late else INK)
        pdf.text_block(decision.text, size=9.5)
        details = [
            _("responsable : %(owner)s") % {"owner": decision.owner or "—"},
            _("échéance : %(date)s") % {"date": _day(decision.due_date)},
            _("statut : %(status)s") % {"status": DecisionStatus(decision.status).label},
        ]
        if decision.actions.all():
            details.append(
                _("actions : %(codes)s") % {"codes": ", ".join(a.code for a in decision.actions.all())}
            )
        pdf.text_block(" · ".join(details), size=8.5, color=ALERT if late else MUTED)
        pdf.ln(2.5)


def _changes_intro(data: ReportData) -> str:
    changes = data.changes
    if not changes.get("since"):
        return _("Aucun comité n'est encore enregistré : pas de point de comparaison.")
    return _(
        "Modifications du %(since)s au %(until)s (depuis le comité précédent), les plus anciennes d'abord."
    ) % {
        "since": _day(changes["since"]),
        "until": _day(changes["until"]),
    }


def change_lines(change) -> list[str]:
    """The fields of one change as « champ : ancien → nouveau » lines."""
    lines = []
    for item in change.fields:
        old, new = item["old"] or "—", item["new"] or "—"
        lines.append(f"{item['label']} : {old} → {new}")
    return lines


def _change_pages(pdf: _ReportPDF, data: ReportData) -> None:
    pdf.add_page()
    pdf.heading(_("Ce qui a changé depuis le comité précédent"), level=0)
    pdf.text_block(_changes_intro(data), size=9, color=MUTED)
    pdf.ln(2)
    changes = data.changes.get("changes", [])
    if data.changes.get("since") and not changes:
        pdf.text_block(_("Aucune modification sur cette période."), color=MUTED)
    for change in changes:
        pdf.ensure_space(14)
        who = change.actor.get_full_name() or change.actor.email if change.actor else _("import ou système")
        pdf.text_block(
            f"{_day(change.at.date())} · {change.get_kind_display()} · {change.get_target_type_display()} "
            f"« {change.target_label} » · {who}",
            size=9.5,
            bold=True,
        )
        lines = change_lines(change)
        if lines:
            pdf.text_block("\n".join(line[:300] for line in lines), size=8.5, color=MUTED)
        pdf.ln(1.5)


# xlsx

_BOLD = Font(bold=True)
_ALERT_FILL = PatternFill("solid", fgColor="F8D7DA")


def _sheet(
    workbook: Workbook, title: str, headers: list[str], rows: list[list], widths: dict[int, int] | None = None
):
    sheet = workbook.create_sheet(title)
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = _BOLD
    for row in rows:
        append_text_safe(sheet, row)
    sheet.freeze_panes = "A2"
    for index, width in (widths or {}).items():
        sheet.column_dimensions[sheet.cell(1, index).column_letter].width = width
    return sheet


def _restricted_sheet(workbook: Workbook, title: str) -> None:
    sheet = workbook.create_sheet(title)
    sheet.append(
        [_("Réservé aux pilotes et à l'équipe : les actions et les décisions ne sont pas publiques.")]
    )


def _float(value) -> float | None:
    return None if value is None else float(value)


def build_xlsx(strategy: Strategy, start: date, end: date, user) -> bytes:
    """The governance report as a workbook: sheets Objectifs, Actions, Indicateurs, Mesures, Décisions."""
    data = report_data(strategy, start, end, user)
    workbook = Workbook()
    workbook.remove(workbook.active)
    objective_rows = [
        [axis["code"], sub_axis["title"], objective["code"], objective["title"], objective["progress"]]
        for axis in data.tree["axes"]
        for sub_axis in axis["sub_axes"]
        for objective in sub_axis["objectives"]
    ]
    _sheet(
        workbook,
        _("Objectifs"),
        [_("axe"), _("sous-axe"), _("code"), _("intitulé"), _("avancement (%)")],
        objective_rows,
        {2: 45, 4: 90, 5: 16},
    )

    if data.show_actions:
        headers, rows = export_actions(strategy)
        progress = {
            a["code"]: a["progress"]
            for axis in data.tree["axes"]
            for sub_axis in axis["sub_axes"]
            for objective in sub_axis["objectives"]
            for a in objective["actions"]
        }
        code_index = headers.index("code")
        _sheet(
            workbook,
            _("Actions"),
            [*headers, _("avancement (%)")],
            [[*row, progress.get(row[code_index])] for row in rows],
            {2: 60, 3: 60},
        )
    else:
        _restricted_sheet(workbook, _("Actions"))

    indicator_rows = []
    for item in data.indicators:
        indicator, latest, result = item.indicator, item.latest, item.computed
        indicator_rows.append(
            [
                indicator.pk,
                indicator.name,
                indicator.unit,
                indicator.objective.code if indicator.objective else "",
                str(IndicatorSource(indicator.source).label),
                indicator.computation,
                _float(indicator.baseline_value),
                indicator.baseline_date,
                _float(indicator.target_value),
                indicator.target_date,
                str(Direction(indicator.direction).label),
                _float(latest.value) if latest else None,
                latest.date if latest else None,
                result.value if result else None,
                _computed_text(item) if indicator.source == IndicatorSource.COMPUTED else "",
                _("oui") if item.is_demo else _("non"),
            ]
        )
    _sheet(
        workbook,
        _("Indicateurs"),
        [
            _("id"),
            _("nom"),
            _("unité"),
            _("objectif"),
            _("source"),
            _("calcul"),
            _("valeur de départ"),
            _("date de départ"),
            _("cible"),
            _("échéance"),
            _("sens"),
            _("dernière mesure (période)"),
            _("date de la dernière mesure"),
            _("valeur calculée (période)"),
            _("note du calcul"),
            _("démo"),
        ],
        indicator_rows,
        {2: 60, 15: 50},
    )

    headers, rows = export_measurements(strategy, data.measurements)
    labels = zone_labels({(m.zone_level, m.zone_code) for m in data.measurements if m.zone_level})
    _sheet(
        workbook,
        _("Mesures"),
        [*MEASUREMENT_COLUMNS, _("nom du territoire"), _("démo")],
        [
            [*row, labels.get((m.zone_level, m.zone_code), ""), _("oui") if m.indicator.is_demo else _("non")]
            for row, m in zip(rows, data.measurements, strict=True)
        ],
        {1: 60, 6: 40},
    )

    if data.show_actions:
        sheet = _sheet(
            workbook,
            _("Décisions"),
            [
                _("réunion"),
                _("instance"),
                _("décision"),
                _("responsable"),
                _("échéance"),
                _("statut"),
                _("en retard"),
                _("actions"),
                _("démo"),
            ],
            [
                [
                    d.meeting.date,
                    d.meeting.get_kind_display(),
                    d.text,
                    d.owner,
                    d.due_date,
                    d.get_status_display(),
                    _("oui") if data.overdue(d) else _("non"),
                    "|".join(a.code for a in d.actions.all()),
                    _("oui") if d.meeting.is_demo else _("non"),
                ]
                for d in data.decisions
            ],
            {3: 70, 4: 30},
        )
        for row_number, decision in enumerate(data.decisions, start=2):
            if data.overdue(decision):
                for cell in sheet[row_number]:
                    cell.fill = _ALERT_FILL
    else:
        _restricted_sheet(workbook, _("Décisions"))

    if data.show_actions:
        rows = [
            [
                change.at.date(),
                change.get_kind_display(),
                change.get_target_type_display(),
                change.target_label,
                (change.actor.get_full_name() or change.actor.email) if change.actor else "",
                "\n".join(change_lines(change)),
            ]
            for change in data.changes.get("changes", [])
        ]
        sheet = _sheet(
            workbook,
            _("Changements"),  # what changed since the previous committee
            [_("date"), _("changement"), _("objet"), _("libellé"), _("par"), _("détail")],
            rows,
            {4: 50, 6: 90},
        )
        sheet.append([])
        sheet.append([_changes_intro(data)])
    else:
        _restricted_sheet(workbook, _("Changements"))

    for sheet in workbook.worksheets:
        for row in sheet.iter_rows(min_row=2):
            for cell in row:
                if isinstance(cell.value, date):
                    cell.number_format = "DD/MM/YYYY"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def filename(start: date, end: date, extension: str) -> str:
    """`rapport-gouvernance-2025-01-01-2025-12-31.pdf`."""
    return f"rapport-gouvernance-{start.isoformat()}-{end.isoformat()}.{extension}"


CONTENT_TYPES = {"pdf": "application/pdf", "xlsx": FORMATS["xlsx"]}


def period_from_query(query, strategy: Strategy) -> tuple[date, date]:
    """The period of `?from=AAAA-MM-JJ&to=AAAA-MM-JJ`; by default from the strategy's first day to today.

    Raise ValueError with a French message for a bad date or an inverted period.
    """
    today = timezone.localdate()
    period = {"from": date(strategy.period_start, 1, 1), "to": min(today, date(strategy.period_end, 12, 31))}
    for name in period:
        raw = (query.get(name) or "").strip()
        if raw:
            try:
                if not ISO_DATE.match(raw):
                    raise ValueError
                period[name] = date.fromisoformat(raw)
            except ValueError:
                raise ValueError(
                    _(
                        "« %(value)s » n'est pas une date valide : écrivez-la AAAA-MM-JJ, par exemple 2025-01-31."
                    )
                    % {"value": raw}
                ) from None
    if period["from"] > period["to"]:
        raise ValueError(_("La date de fin doit suivre la date de début."))
    return period["from"], period["to"]


def _iso_or_blank(raw) -> str:
    raw = (raw or "").strip()
    return raw if ISO_DATE.match(raw) else ""


def report_response(request, fmt: str) -> HttpResponse:
    """The download of the current strategy's report (`fmt`: pdf or xlsx) for `?from=&to=`, as `request.user` may
    see it (actions and decisions for pilots and staff only). 404 without a strategy, 400 for bad dates."""
    strategy = selectors.current_strategy()
    if strategy is None or fmt not in CONTENT_TYPES:
        raise Http404(_("Aucune stratégie n'est chargée."))
    try:
        start, end = period_from_query(request.GET, strategy)
    except ValueError as exc:
        # Inside the site's layout, with the form again (the typed dates kept when the date field can show them).
        context = {
            "report_error": str(exc),
            "report_from": _iso_or_blank(request.GET.get("from")),
            "report_to": _iso_or_blank(request.GET.get("to")),
        }
        return render(request, "strategy/report_error.html", context, status=400)
    build = build_pdf if fmt == "pdf" else build_xlsx
    response = HttpResponse(build(strategy, start, end, request.user), content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{filename(start, end, fmt)}"'
    response["Cache-Control"] = "private, no-store"
    return response
