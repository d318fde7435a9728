"""Other councils' plans as they wrote them: Word tables and spreadsheets with their own headers,
merged cells, bulleted steps, "Name, Role" owners, status words and numbers, council dates."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from council_files import borset_xlsx, kestrel_docx, torbay_docx, wexham_csv
from plan_store_helpers import Run
from sqlmodel import Session, col, select

from store.db import make_engine
from store.models import Action, Area, Plan, Role, StatusUpdate, Step
from store.queries.roles import owner_roles

ROLES = """
roles:
  - name: "Head of Children in Care"
    head_of_service: true
    aliases: ["Head of CiC"]
  - name: "Head of Quality Assurance"
    head_of_service: true
  - name: "Director of Children's Services"
    aliases: ["DCS"]
"""


@pytest.fixture
def roles_file(tmp_path: Path) -> Path:
    path = tmp_path / "roles.yaml"
    path.write_text(ROLES, encoding="utf-8")
    return path


def _store(url: str, planbot: Run) -> None:
    result = planbot(url, "db", "upgrade", "--no-seed")
    assert result.code == 0, result.err


def _plan(url: str, key: str) -> dict[str, dict[str, object]]:
    """Each action of a plan: its area title, title, steps, owners, due and latest status."""
    engine = make_engine(url)
    try:
        with Session(engine) as session:
            plan = session.exec(select(Plan).where(Plan.key == key)).one()
            areas = {a.id: a for a in session.exec(select(Area).where(Area.plan_id == plan.id))}
            out: dict[str, dict[str, object]] = {}
            actions = session.exec(
                select(Action).where(Action.plan_id == plan.id).order_by(col(Action.id))
            )
            for action in actions:
                steps = session.exec(
                    select(Step).where(Step.action_id == action.id).order_by(col(Step.number))
                )
                updates = list(
                    session.exec(select(StatusUpdate).where(StatusUpdate.action_id == action.id))
                )
                out[action.ref] = {
                    "area": areas[action.area_id].title,
                    "title": action.title,
                    "steps": [s.text for s in steps],
                    "owners": [r.name for r in owner_roles(session, action.id or 0)],
                    "due": action.planned_due,
                    "timescale": action.timescale,
                    "status": action.status,
                    "rag": action.declared_rag,
                    "notes": [u.note for u in updates],
                    "at": [u.at.date() for u in updates],
                }
            return out
    finally:
        engine.dispose()


def test_a_torbay_style_word_plan(
    tmp_path: Path, fresh_url: str, planbot: Run, roles_file: Path
) -> None:
    _store(fresh_url, planbot)
    path = torbay_docx(tmp_path / "torbay.docx")
    result = planbot(fresh_url, "import", str(path), "--roles", str(roles_file), "--prefix", "TB")
    assert result.code == 0, result.err
    out = result.out
    assert "table 1 skipped: no column maps to a reference or action" in out
    assert "column 'Who' -> owner (synonym table)" in out
    assert "table 3 repeats the header of the table before" in out
    assert "Jane Smith for Director of Children's Services (TB1.1); not assigned" in out
    assert "New roles (nothing in the directory was close): Head of Fostering" in out

    plan = _plan(fresh_url, "torbay")
    assert list(plan) == ["TB1.1", "TB1.2", "TB2.1", "TB2.2"]
    first = plan["TB1.1"]
    assert first["area"] == "Leadership and governance"
    assert first["steps"] == ["Refresh terms of reference", "Add an independent chair"]
    # The curly apostrophe and "Name, Role" still reach the directory's role.
    assert first["owners"] == ["Director of Children's Services"]
    assert first["due"] == date(2003, 10, 31)
    assert (first["status"], first["rag"]) == ("done", "blue")
    second = plan["TB1.2"]
    # A row split onto the next page (no number, only a bullet) adds a step to the row before.
    assert second["steps"] == ["Agree the audit tool", "Run moderation", "Report to scrutiny"]
    assert second["owners"] == ["Head of Quality Assurance"]  # written in curly quotes
    assert second["due"] == date(2023, 12, 31)
    assert (second["status"], second["rag"]) == ("in_progress", "green")
    care = plan["TB2.1"]
    assert care["area"] == "Children in care"
    assert care["owners"] == ["Head of Children in Care"]
    assert (care["due"], care["timescale"]) == (None, "Ongoing")
    assert (care["status"], care["rag"]) == ("in_progress", "red")  # 4 = not achieved
    assert plan["TB2.2"]["due"] == date(2024, 5, 31)
    assert plan["TB2.2"]["rag"] == "amber"


def test_a_spreadsheet_with_its_own_headers_and_merged_areas(
    tmp_path: Path, fresh_url: str, planbot: Run, roles_file: Path
) -> None:
    _store(fresh_url, planbot)
    path = borset_xlsx(tmp_path / "borset.xlsx")
    result = planbot(
        fresh_url, "import", str(path), "--roles", str(roles_file), "--keep-extra",
        "--as-of", "2023-11-01",
    )  # fmt: skip
    assert result.code == 0, result.err
    assert "column 'Targt date' -> due (close to 'target date'" in result.out
    assert "column 'Budget' is not a plan field; kept as extra text" in result.out
    plan = _plan(fresh_url, "borset")
    assert [(ref, a["area"]) for ref, a in plan.items()] == [
        ("B1.1", "Front door"),
        ("B1.2", "Front door"),
        ("B2.1", "Care leavers"),
        ("B2.2", "Care leavers"),
    ]
    # The curly-quoted owner is the existing role, not a new one.
    assert plan["B1.1"]["owners"] == ["Head of Children in Care"]
    assert plan["B1.2"]["owners"] == ["Head of MASH"]
    assert plan["B1.2"]["due"] == date(2023, 12, 31)  # "end of Q3" in the plan's year
    assert plan["B2.1"]["due"] == date(2024, 2, 16)  # w/c Monday 12 Feb: its Friday
    assert plan["B2.2"]["due"] == date(2023, 9, 30)
    assert [plan[r]["rag"] for r in plan] == ["green", "amber", "red", "blue"]
    assert plan["B2.2"]["status"] == "done"
    # Progress is the note of the first update, dated at --as-of, not the wall clock.
    assert plan["B1.1"]["notes"] == ["Thresholds agreed at board"]
    assert plan["B1.1"]["at"] == [date(2023, 11, 1)]
    engine = make_engine(fresh_url)
    with Session(engine) as session:
        names = [r.name for r in session.exec(select(Role))]
        text = session.exec(select(Action).where(Action.ref == "B1.1")).one().text
    engine.dispose()
    assert not any("“" in name or "”" in name for name in names)
    assert "Budget: £2k" in text


def test_a_csv_with_status_words_and_dated_rows(
    tmp_path: Path, fresh_url: str, planbot: Run
) -> None:
    _store(fresh_url, planbot)
    path = wexham_csv(tmp_path / "wexham.csv")
    result = planbot(fresh_url, "import", str(path), "--prefix", "WX")
    assert result.code == 0, result.err
    plan = _plan(fresh_url, "wexham")
    assert list(plan) == ["WX1.1", "WX1.2", "WX2.1"]
    assert plan["WX1.1"]["steps"] == ["Open the third hub"]
    assert plan["WX1.1"]["due"] == date(2024, 3, 31)
    assert plan["WX1.2"]["due"] == date(2024, 3, 31)  # 2023/24: the financial year's end
    assert plan["WX2.1"]["due"] == date(2024, 8, 31)
    assert [plan[r]["status"] for r in plan] == ["in_progress", "done", "blocked"]
    # Each row's "Last updated" dates its status.
    assert plan["WX1.1"]["at"] == [date(2023, 11, 1)]
    assert plan["WX2.1"]["at"] == [date(2023, 10, 15)]
    assert plan["WX2.1"]["notes"] == ["Market is tight"]


def test_a_word_plan_with_a_merged_theme_and_bulleted_action_cells(
    tmp_path: Path, fresh_url: str, planbot: Run
) -> None:
    _store(fresh_url, planbot)
    path = kestrel_docx(tmp_path / "kestrel.docx")
    result = planbot(fresh_url, "import", str(path), "--prefix", "KS", "--dry-run")
    assert result.code == 0 and "Dry run: nothing was written." in result.out
    assert "column 'Theme' -> area" in result.out
    assert planbot(fresh_url, "db", "status").out.endswith("Plans: none.\n")
    assert planbot(fresh_url, "import", str(path), "--prefix", "KS").code == 0
    plan = _plan(fresh_url, "kestrel")
    assert {a["area"] for a in plan.values()} == {"Practice quality"}
    assert plan["KS1.1"]["title"] == "Improve supervision"
    assert plan["KS1.1"]["steps"] == ["Agree a supervision policy", "Audit records"]
    assert plan["KS1.3"]["due"] == date(2024, 11, 30)
    assert [plan[r]["rag"] for r in plan] == ["amber", "red", "green"]


def test_map_and_status_map_override_the_tables(
    tmp_path: Path, fresh_url: str, planbot: Run
) -> None:
    _store(fresh_url, planbot)
    path = tmp_path / "odd.csv"
    path.write_text(
        "Item,Thing to do,Person,Finish,Score,Whatever\n"
        "1.1,Write the policy,Head of Policy,30/06/2024,5,x\n"
        "1.2,Consult on it,Head of Policy,31/07/2024,Partly,y\n",
        encoding="utf-8",
    )
    bare = planbot(fresh_url, "import", str(path), "--dry-run")
    assert bare.code == 1  # without --map nothing says which column is the action
    assert "(headers found: the sheet: Item, Thing to do, Person, Finish" in bare.err
    result = planbot(
        fresh_url, "import", str(path), "--prefix", "OD",
        "--map", "Thing to do=action,Person=owners,Finish=due,Score=status,Whatever=skip",
        "--status-map", "5=done,Partly=in_progress:amber",
    )  # fmt: skip
    assert result.code == 0, result.err
    assert "column 'Person' -> owner (--map)" in result.out
    assert "column 'Whatever' skipped (--map)" in result.out
    plan = _plan(fresh_url, "odd")
    assert [(p["status"], p["rag"]) for p in plan.values()] == [
        ("done", None),
        ("in_progress", "amber"),
    ]
    assert plan["OD1.1"]["owners"] == ["Head of Policy"]


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (
            "Name,Colour,Size\nA,red,1\n",
            "no table is a plan: no column maps to a reference or action (headers found: "
            "the sheet: Name, Colour, Size)",
        ),
        (
            "Ref,Action,Target date,Deadline\n1.1,Do it,01/01/2024,02/02/2024\n",
            "columns 'Target date' and 'Deadline' both read as due; say which with --map",
        ),
        (
            "Ref,Action,Status\n1.1,Do it,Sort of\n",
            "row 2 of the sheet, column status: status 'Sort of' is not in the status table",
        ),
    ],
    ids=["not a plan", "two columns one field", "unknown status"],
)
def test_tables_that_cannot_be_read_say_why_and_change_nothing(
    tmp_path: Path, fresh_url: str, planbot: Run, content: str, expected: str
) -> None:
    _store(fresh_url, planbot)
    path = tmp_path / "bad.csv"
    path.write_text(content, encoding="utf-8")
    result = planbot(fresh_url, "import", str(path))
    assert result.code == 1
    assert expected in " ".join(result.err.split())
    assert planbot(fresh_url, "db", "status").out.endswith("Plans: none.\n")


def test_corrupt_and_password_protected_documents_are_refused(
    tmp_path: Path, fresh_url: str, planbot: Run
) -> None:
    _store(fresh_url, planbot)
    corrupt = tmp_path / "plan.docx"
    corrupt.write_bytes(b"PK\x03\x04 this is not really a document")
    locked = tmp_path / "locked.xlsx"
    locked.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    first = planbot(fresh_url, "import", str(corrupt))
    assert first.code == 1 and "is not a readable Word .docx document" in first.err
    second = planbot(fresh_url, "import", str(locked))
    assert second.code == 1 and "is password-protected" in second.err


def test_a_document_of_many_tables_imports_the_plan_ones(
    tmp_path: Path, fresh_url: str, planbot: Run
) -> None:
    from council_files import docx_table
    from docx import Document

    _store(fresh_url, planbot)
    document = Document()
    for number in range(37):
        docx_table(document, [("Budget line", "Amount"), (f"Line {number}", "10")])
    for area in range(1, 4):
        docx_table(
            document,
            [("Ref", "Action", "Lead", "Due"), (f"{area}.1", f"Action {area}", "Head of X", "")],
        )
    path = tmp_path / "many.docx"
    document.save(str(path))
    result = planbot(fresh_url, "import", str(path), "--prefix", "MT")
    assert result.code == 0, result.err
    assert result.out.count("skipped: no column maps") == 37
    plan = _plan(fresh_url, "many")
    assert list(plan) == ["MT1.1", "MT2.1", "MT3.1"]


def test_an_ambiguous_merged_action_cell_is_named(
    tmp_path: Path, fresh_url: str, planbot: Run
) -> None:
    from council_files import docx_table, merge_down
    from docx import Document

    _store(fresh_url, planbot)
    document = Document()
    table = docx_table(
        document,
        [("Ref", "Action", "Lead"), ("1.1", "", "Head of X"), ("1.2", "", "Head of Y")],
    )
    merge_down(table, 1, 1, 2, "One action over two references")
    path = tmp_path / "merged.docx"
    document.save(str(path))
    result = planbot(fresh_url, "import", str(path))
    assert result.code == 1
    assert "row 3 of table 1, column action: a merged action cell spans rows" in result.err


def test_no_seed_stores_never_get_york(tmp_path: Path, fresh_url: str, planbot: Run) -> None:
    _store(fresh_url, planbot)
    for command in (("roles", "list"), ("ask", "what is overdue?"), ("digest", "--dry-run")):
        planbot(fresh_url, *command)
    upgrade = planbot(fresh_url, "db", "upgrade")
    assert "created with --no-seed: York's plans are not loaded" in upgrade.out
    assert planbot(fresh_url, "db", "status").out.endswith("Plans: none.\n")
    path = wexham_csv(tmp_path / "wexham.csv")
    assert planbot(fresh_url, "import", str(path)).code == 0
    assert planbot(fresh_url, "db", "status").out.endswith("Plans: wexham.\n")
    # York comes in only when asked for.
    york = planbot(fresh_url, "import", "--york")
    assert york.code == 0, york.err
    assert "ofsted-2022" in planbot(fresh_url, "db", "status").out


def test_statuses_are_dated_at_the_files_date_and_the_summary_agrees(
    tmp_path: Path, fresh_url: str, planbot: Run
) -> None:
    _store(fresh_url, planbot)
    path = tmp_path / "dated.csv"
    path.write_text(
        "Ref,Action,Lead officer,Target date,Progress,Status\n"
        "1.1,Fix the front door,Head of MASH,31/03/2023,Waiting for the new system,Blocked\n"
        "1.2,Write the strategy,Head of MASH,31/01/2023,Signed off in January,Completed\n",
        encoding="utf-8",
    )
    result = planbot(fresh_url, "import", str(path), "--as-of", "2023-02-15", "--prefix", "DT")
    assert result.code == 0, result.err
    plan = _plan(fresh_url, "dated")
    assert plan["DT1.1"]["at"] == [date(2023, 2, 15)]
    summary = planbot(fresh_url, "ask", "--as-of", "2023-02-15", "summary")
    assert "Blocked 1" in summary.out and "50% complete" in summary.out
    # The progress text is what answers show as the latest word on the item.
    answer = planbot(fresh_url, "ask", "--as-of", "2023-02-15", "DT1.1")
    assert "Latest: Waiting for the new system" in answer.out
    assert "Status set by import" not in answer.out


def test_owners_close_to_a_role_are_matched_and_people_assigned_only_when_asked(
    tmp_path: Path, fresh_url: str, planbot: Run, roles_file: Path
) -> None:
    _store(fresh_url, planbot)
    path = tmp_path / "people.csv"
    path.write_text(
        "Ref,Action,Who\n"
        "1.1,Visit every child,Head of Childrens in Care\n"
        '1.2,Audit the visits,"U0CIC0009, Head of Children in Care"\n'
        "1.3,Report the visits,Head of Residential Homes\n",
        encoding="utf-8",
    )
    dry = planbot(fresh_url, "import", str(path), "--roles", str(roles_file), "--dry-run")
    assert (
        "owner 'Head of Childrens in Care' is not a role in the directory; did you mean "
        "'Head of Children in Care'?" in dry.out
    )
    assert "New roles (nothing in the directory was close): Head of Residential Homes" in dry.out
    assert "U0CIC0009 for Head of Children in Care (P1.2); not assigned without" in dry.out
    result = planbot(fresh_url, "import", str(path), "--roles", str(roles_file), "--assign-people")
    assert result.code == 0, result.err
    assert "U0CIC0009 now holds Head of Children in Care (P1.2)" in result.out
    plan = _plan(fresh_url, "people")
    assert plan["P1.1"]["owners"] == ["Head of Children in Care"]
    listing = planbot(fresh_url, "roles", "list", "Head of Children in Care")
    assert "@U0CIC0009" in listing.out and "<@" not in listing.out  # plain terminal text


def test_a_misspelt_column_of_planbots_own_format_gets_did_you_mean(
    tmp_path: Path, fresh_url: str, planbot: Run
) -> None:
    path = tmp_path / "own.csv"
    path.write_text("plan_key,kind,ref,title,ownrs\nx,area,X1,Area\n", encoding="utf-8")
    result = planbot(fresh_url, "import", str(path))
    assert result.code == 1
    assert "unknown column 'ownrs' (column 5); did you mean 'owners'?" in result.err


def test_a_table_split_across_pages_without_its_header_continues(
    tmp_path: Path, fresh_url: str, planbot: Run
) -> None:
    from council_files import docx_table
    from docx import Document

    _store(fresh_url, planbot)
    document = Document()
    docx_table(
        document,
        [
            ("Ref", "Action", "Lead", "Target date"),
            ("1.1", "Hold a practice week", "Principal Social Worker", "Summer term 2024"),
            ("1.2", "Publish the practice standards", "Principal Social Worker", "31/01/2024"),
        ],
    )
    document.add_page_break()
    docx_table(
        document,
        [
            ("", "- Share them with partners", "", ""),
            ("2.1", "Review the front door", "Head of MASH", "Q1 2024/25"),
        ],
    )
    docx_table(document, [("Signed", "Date", "Role", "Notes"), ("A. N. Other", "", "", "")])
    path = tmp_path / "split.docx"
    document.save(str(path))
    result = planbot(fresh_url, "import", str(path), "--prefix", "SP")
    assert result.code == 0, result.err
    assert "table 2 has no header row; read as the continuation of the table before" in result.out
    assert "table 3 skipped" in result.out
    plan = _plan(fresh_url, "split")
    assert list(plan) == ["SP1.1", "SP1.2", "SP2.1"]
    assert plan["SP1.2"]["steps"] == ["Share them with partners"]
    assert plan["SP1.1"]["due"] == date(2024, 7, 31)
    assert plan["SP2.1"]["due"] == date(2024, 6, 30)
    assert plan["SP2.1"]["area"] == "Area 2"


def test_a_curly_quoted_owner_in_planbots_own_format_is_the_existing_role(
    tmp_path: Path, fresh_url: str, planbot: Run
) -> None:
    _store(fresh_url, planbot)
    path = tmp_path / "own.csv"
    path.write_text(
        "plan_key,plan_title,plan_prefix,kind,ref,title,owners\n"
        "qt,Quotes,Q,area,Q1,Area,\n"
        "qt,,,action,Q1.1,Known role,“Head of MASH”\n"
        "qt,,,action,Q1.2,New role,“Head of Quotes”\n",
        encoding="utf-8",
    )
    york_roles = Path(__file__).resolve().parents[3] / "store" / "plans" / "york-roles.yaml"
    result = planbot(fresh_url, "import", str(path), "--roles", str(york_roles))
    assert result.code == 0, result.err
    plan = _plan(fresh_url, "qt")
    assert plan["Q1.1"]["owners"] == ["Head of MASH"]
    assert plan["Q1.2"]["owners"] == ["Head of Quotes"]
    assert "New roles (nothing in the directory was close): Head of Quotes" in result.out


def test_importing_the_same_council_file_again_adds_nothing(
    tmp_path: Path, fresh_url: str, planbot: Run, roles_file: Path
) -> None:
    _store(fresh_url, planbot)
    path = borset_xlsx(tmp_path / "borset.xlsx")
    first = planbot(
        fresh_url, "import", str(path), "--roles", str(roles_file), "--as-of", "2023-11-01"
    )
    assert "status updates added: 4" in first.out
    again = planbot(
        fresh_url, "import", str(path), "--roles", str(roles_file), "--as-of", "2023-12-01"
    )
    assert again.code == 0, again.err
    assert "Rows added: 0; changed: 0; status updates added: 0" in again.out
    assert _plan(fresh_url, "borset")["B1.1"]["at"] == [date(2023, 11, 1)]


def test_a_dry_run_into_a_new_store_leaves_it_open_to_york(
    tmp_path: Path, fresh_url: str, planbot: Run
) -> None:
    path = wexham_csv(tmp_path / "wexham.csv")
    assert planbot(fresh_url, "import", str(path), "--dry-run").code == 0
    upgrade = planbot(fresh_url, "db", "upgrade")
    assert "Seeded City of York's plans." in upgrade.out


def test_a_council_tracker_holding_a_childs_details_is_refused_naming_the_field(
    tmp_path: Path, fresh_url: str, planbot: Run
) -> None:
    _store(fresh_url, planbot)
    path = tmp_path / "tracker.csv"
    path.write_text(
        "Ref,Action,Lead officer,Target date,Progress,RAG\n"
        "1.1,Review the front door,Head of MASH,31/03/2024,On track,G\n"
        "1.2,Audit missing episodes,Head of MASH,30/06/2024,"
        '"Delayed by Jayden Smith (12/03/2015), NHS 943 476 5919",A\n',
        encoding="utf-8",
    )
    result = planbot(fresh_url, "import", str(path))
    assert result.code == 1
    said = " ".join(result.err.split())
    assert "child's details" in said and "progress" in said
    for detail in ("Jayden", "12/03/2015", "943 476 5919"):
        assert detail not in result.err + result.out
    assert planbot(fresh_url, "db", "status").out.endswith("Plans: none.\n")
