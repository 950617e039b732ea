"""The governance report: the PDF renders and holds the 14 objectives; the xlsx has its sheets; actions and
decisions only for pilots and staff; overdue decisions flagged; demo labelled; the `governance_report` command."""

import io
import re
from datetime import date, timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import CommandError, call_command
from django.utils import timezone
from openpyxl import load_workbook

from maille.strategy import demo
from maille.strategy.enums import DecisionStatus, IndicatorSource, MeetingKind
from maille.strategy.models import CommitteeMeeting, Decision, Indicator, Measurement, Objective
from maille.strategy.report import build_pdf, build_xlsx
from maille.strategy.selectors import current_strategy
from tests.factories import ProjectFactory, UserFactory

pytestmark = pytest.mark.django_db

START, END = date(2023, 1, 1), date(2025, 12, 31)


# A minimal reader of fpdf2's uncompressed output: page text through each font's ToUnicode map, and bookmarks.

_OBJECT = re.compile(rb"(\d+) 0 obj(.*?)endobj", re.S)
_HEX = re.compile(rb"<([0-9A-Fa-f]+)>")


def _objects(pdf: bytes) -> dict[int, bytes]:
    return {int(number): body for number, body in _OBJECT.findall(pdf)}


def _cmap(body: bytes) -> dict[int, str]:
    mapping = {}
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", body, re.S):
        for source, target in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            mapping[int(source, 16)] = bytes.fromhex(target.decode()).decode("utf-16-be")
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", body, re.S):
        for low, high, target in re.findall(
            rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block
        ):
            first = int(target, 16)
            for offset, gid in enumerate(range(int(low, 16), int(high, 16) + 1)):
                mapping[gid] = chr(first + offset)
    return mapping


def _literal(raw: bytes) -> bytes:
    """The bytes of a PDF literal string (without its parentheses)."""
    out, i = bytearray(), 0
    escapes = {ord("n"): 10, ord("r"): 13, ord("t"): 9, ord("b"): 8, ord("f"): 12}
    while i < len(raw):
        byte = raw[i]
        if byte == 0x5C:  # backslash
            nxt = raw[i + 1]
            if nxt in escapes:
                out.append(escapes[nxt])
                i += 2
            elif 0x30 <= nxt <= 0x37:
                digits = re.match(rb"[0-7]{1,3}", raw[i + 1 : i + 4]).group()
                out.append(int(digits, 8))
                i += 1 + len(digits)
            else:
                out.append(nxt)
                i += 2
        else:
            out.append(byte)
            i += 1
    return bytes(out)


_TOKEN = re.compile(rb"/(F\d+)\s+[\d.]+\s+Tf|\(((?:[^()\\]|\\.)*)\)\s*Tj|\[(.*?)\]\s*TJ", re.S)


def pdf_text(pdf: bytes) -> str:
    """The text drawn on the pages, one string per text operation, joined with spaces."""
    objects = _objects(pdf)
    fonts = {}
    for body in objects.values():
        for name, number in re.findall(rb"/(F\d+)\s+(\d+)\s+0\s+R", body):
            font = objects.get(int(number), b"")
            to_unicode = re.search(rb"/ToUnicode\s+(\d+)\s+0\s+R", font)
            if to_unicode:
                fonts[name] = _cmap(objects[int(to_unicode.group(1))])
    pieces, font = [], {}
    for body in objects.values():
        if b"stream" not in body or b"BT" not in body:
            continue
        for match in _TOKEN.finditer(body):
            if match.group(1):
                font = fonts.get(match.group(1), {})
                continue
            strings = (
                [match.group(2)]
                if match.group(2) is not None
                else re.findall(rb"\(((?:[^()\\]|\\.)*)\)", match.group(3))
            )
            data = b"".join(_literal(s) for s in strings)
            pieces.append(
                "".join(font.get(int.from_bytes(data[i : i + 2], "big"), "?") for i in range(0, len(data), 2))
            )
    return " ".join(pieces)


def pdf_bookmarks(pdf: bytes) -> list[str]:
    titles = []
    for raw in re.findall(rb"/Title\s+(<[0-9A-Fa-f]+>|\((?:[^()\\]|\\.)*\))", pdf):
        if raw.startswith(b"<"):
            data = bytes.fromhex(raw[1:-1].decode())
            titles.append(
                data[2:].decode("utf-16-be") if data.startswith(b"\xfe\xff") else data.decode("latin-1")
            )
        else:
            titles.append(_literal(raw[1:-1]).decode("latin-1"))
    return titles


def page_count(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page\b(?!s)", pdf))


def _objectives():
    return list(Objective.objects.filter(sub_axis__axis__strategy=current_strategy()).order_by("order"))


@pytest.fixture
def staff():
    return UserFactory(is_staff=True)


@pytest.fixture
def demo_data():
    demo.load()
    return current_strategy()


def test_the_pdf_renders_and_holds_the_14_objectives(staff):
    strategy = current_strategy()
    content = build_pdf(strategy, START, END, staff, compress=False)
    assert content.startswith(b"%PDF")
    assert page_count(content) >= 1
    objectives = _objectives()
    assert [o.code for o in objectives] == [f"O{n}" for n in range(1, 15)]
    bookmarks = pdf_bookmarks(content)
    text = pdf_text(content)
    for objective in objectives:
        assert f"{objective.code} — {objective.title}" in bookmarks
        assert f"{objective.code} — {objective.title}" in text
    assert "œuvre" in text and "« classique »" in text  # the vendored Unicode font keeps French typography
    assert strategy.name in text
    assert "01/01/2023" in text and "31/12/2025" in text
    assert "Rapport de gouvernance · 01/01/2023 – 31/12/2025 · page 1/" in text


def test_the_compressed_pdf_renders_too(staff, demo_data):
    content = build_pdf(demo_data, START, END, staff)
    assert content.startswith(b"%PDF") and page_count(content) >= 3


def test_pilots_see_actions_decisions_and_demo_labels(staff, demo_data):
    meeting = CommitteeMeeting.objects.get(strategy=demo_data, kind=MeetingKind.COPIL)
    Decision.objects.filter(meeting=meeting).update(due_date=timezone.localdate() - timedelta(days=1))
    text = pdf_text(build_pdf(demo_data, START, END, staff, compress=False))
    assert "DEMO-1 — Parcours d'accompagnement" in text
    assert "Décisions des comités" in text
    assert "EN RETARD" in text and "1 décision(s) en retard." in text
    assert "données de démonstration" in text
    assert "(démo)" in text  # demo actions and the demo meeting are labelled
    assert "Structures de l'ESS accompagnées en consolidation (démo)" in text
    assert "cible 120" in text  # the chart's target line is labelled


@pytest.mark.parametrize("who", ["anonymous", "plain user"])
def test_the_public_gets_no_actions_nor_decisions(who, demo_data):
    user = AnonymousUser() if who == "anonymous" else UserFactory()
    content = build_pdf(demo_data, START, END, user, compress=False)
    text = pdf_text(content)
    assert "DEMO-" not in text and "Parcours d'accompagnement" not in text
    assert "Décisions des comités" not in text
    assert "ne sont pas publiques" in text
    for objective in _objectives():
        assert f"{objective.code} — {objective.title}" in text

    workbook = load_workbook(io.BytesIO(build_xlsx(demo_data, START, END, user)))
    assert workbook.sheetnames == [
        "Objectifs",
        "Actions",
        "Indicateurs",
        "Mesures",
        "Décisions",
        "Changements",
    ]
    for title in ("Actions", "Décisions"):
        values = [c for row in workbook[title].iter_rows(values_only=True) for c in row if c]
        assert len(values) == 1 and "pas publiques" in values[0]
    everything = " ".join(
        str(c)
        for sheet in workbook
        for row in sheet.iter_rows(values_only=True)
        for c in row
        if c is not None
    )
    assert "DEMO-" not in everything


def test_the_workbook_has_its_sheets_and_the_14_objectives(staff, demo_data):
    meeting = CommitteeMeeting.objects.get(strategy=demo_data, kind=MeetingKind.COPIL)
    Decision.objects.filter(meeting=meeting).update(due_date=date(2025, 9, 30), status=DecisionStatus.OPEN)
    workbook = load_workbook(io.BytesIO(build_xlsx(demo_data, START, END, staff)))
    assert workbook.sheetnames == [
        "Objectifs",
        "Actions",
        "Indicateurs",
        "Mesures",
        "Décisions",
        "Changements",
    ]
    objectives = list(workbook["Objectifs"].iter_rows(min_row=2, values_only=True))
    assert [(row[2], row[3]) for row in objectives] == [(o.code, o.title) for o in _objectives()]
    actions = list(workbook["Actions"].iter_rows(values_only=True))
    assert actions[0][0] == "code" and actions[0][-1] == "avancement (%)"
    assert {row[0] for row in actions[1:]} == {f"DEMO-{n}" for n in range(1, 8)}
    indicators = list(workbook["Indicateurs"].iter_rows(min_row=2, values_only=True))
    assert len(indicators) == Indicator.objects.filter(strategy=demo_data).count()
    measurements = list(workbook["Mesures"].iter_rows(min_row=2, values_only=True))
    in_period = Measurement.objects.filter(indicator__strategy=demo_data, date__range=(START, END)).count()
    assert len(measurements) == in_period and in_period > 0
    decisions = list(workbook["Décisions"].iter_rows(min_row=2, values_only=True))
    assert len(decisions) == 2 and decisions[0][6] == "oui"  # overdue (due 2025-09-30, still open)
    assert decisions[1][6] == "non"  # the COTECH's decision is due in 2028


def test_the_period_filters_measurements(staff, demo_data):
    workbook = load_workbook(io.BytesIO(build_xlsx(demo_data, date(2024, 1, 1), date(2024, 12, 31), staff)))
    dates = {row[1] for row in workbook["Mesures"].iter_rows(min_row=2, values_only=True)}
    assert dates == {"2024-06-30", "2024-12-31"}


def test_computed_indicators_show_their_value_or_no_data(staff, monkeypatch):
    # A computation without its source: the showcase's, as if the app were not installed.
    monkeypatch.setattr("maille.strategy.indicators.SHOWCASE_APP", "maille.absent")
    strategy = current_strategy()
    Indicator.objects.create(
        strategy=strategy,
        name="Projets créés",
        source=IndicatorSource.COMPUTED,
        computation="projects_oriented_creation",
        unit="projets",
    )
    Indicator.objects.create(
        strategy=strategy,
        name="Réussites",
        source=IndicatorSource.COMPUTED,
        computation="success_stories_published",
    )
    ProjectFactory()
    today = timezone.localdate()
    text = pdf_text(build_pdf(strategy, today.replace(month=1, day=1), today, staff, compress=False))
    assert "Valeur calculée sur la période : 1 projets" in text
    assert "Pas de donnée — Source pas encore disponible" in text
    workbook = load_workbook(io.BytesIO(build_xlsx(strategy, today.replace(month=1, day=1), today, staff)))
    rows = {row[1]: row for row in workbook["Indicateurs"].iter_rows(min_row=2, values_only=True)}
    assert rows["Projets créés"][13] == 1
    assert rows["Réussites"][13] is None and "Source pas encore disponible" in rows["Réussites"][14]


def test_the_command_writes_pdf_and_xlsx(tmp_path):
    out = io.StringIO()
    call_command(
        "governance_report",
        "--from",
        "2023-01-01",
        "--to",
        "2025-12-31",
        "--out",
        tmp_path / "r.pdf",
        stdout=out,
    )
    assert (tmp_path / "r.pdf").read_bytes().startswith(b"%PDF")
    call_command(
        "governance_report",
        "--from",
        "2023-01-01",
        "--to",
        "2025-12-31",
        "--out",
        tmp_path / "r.xlsx",
        stdout=out,
    )
    assert load_workbook(tmp_path / "r.xlsx").sheetnames[0] == "Objectifs"


@pytest.mark.parametrize(
    "args, message",
    [
        (["--from", "2025-13-01", "--to", "2025-12-31"], "date"),
        (["--from", "31/12/2025", "--to", "2025-12-31"], "AAAA-MM-JJ"),
        (["--from", "2025-12-31", "--to", "2025-01-01"], "suivre"),
        (["--from", "2025-01-01", "--to", "2025-12-31", "--out", "rapport.doc"], ".pdf"),
    ],
)
def test_the_command_refuses_bad_arguments_in_french(args, message, tmp_path):
    if "--out" not in args:
        args = [*args, "--out", str(tmp_path / "r.pdf")]
    with pytest.raises(CommandError, match=re.escape(message)):
        call_command("governance_report", *args)


def test_the_download_response_for_a_view(rf, staff, demo_data):
    from maille.strategy.report import report_response

    request = rf.get("/pilotage/rapport.pdf", {"from": "2024-01-01", "to": "2024-12-31"})
    request.user = AnonymousUser()
    response = report_response(request, "pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert 'filename="rapport-gouvernance-2024-01-01-2024-12-31.pdf"' in response["Content-Disposition"]

    request = rf.get("/pilotage/rapport.xlsx")
    request.user = staff
    response = report_response(request, "xlsx")
    assert response.status_code == 200
    assert load_workbook(io.BytesIO(response.content))["Actions"].max_row == 8

    request = rf.get("/pilotage/rapport.pdf", {"from": "01/01/2024"})
    request.user = staff
    response = report_response(request, "pdf")
    assert response.status_code == 400 and "AAAA-MM-JJ" in response.content.decode()
