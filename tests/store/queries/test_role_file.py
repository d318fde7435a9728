"""The role directory as a file: imported from YAML or CSV, exported back, one transaction."""

from __future__ import annotations

from pathlib import Path

import yaml
from plan_store_helpers import Run

ROLES_CSV = (
    "role,aliases,head of service,group,manager,holders\n"
    "Director of Children's Services,DCS,no,no,,U0DCS0001\n"
    "Head of Children in Care,Head of CiC; CiC,yes,no,Director of Children's Services,"
    "U0CIC0001; U0CIC0002\n"
    "All HoS,Heads of Service,no,yes,,\n"
)


def test_a_csv_role_file_round_trips_through_yaml(
    tmp_path: Path, fresh_url: str, planbot: Run
) -> None:
    assert planbot(fresh_url, "db", "upgrade", "--no-seed").code == 0
    source = tmp_path / "roles.csv"
    source.write_text(ROLES_CSV, encoding="utf-8")
    result = planbot(fresh_url, "roles", "import", str(source))
    assert result.code == 0, result.err
    assert "Roles added: 3; changed: 0; aliases added: 4; holders added: 3" in result.out
    listing = planbot(fresh_url, "roles", "list", "Head of CiC")
    assert "@U0CIC0001, @U0CIC0002" in listing.out and "<@" not in listing.out

    exported = planbot(fresh_url, "roles", "export")
    roles = {entry["name"]: entry for entry in yaml.safe_load(exported.out)["roles"]}
    cic = roles["Head of Children in Care"]
    assert cic["head_of_service"] is True
    assert cic["manager"] == "Director of Children's Services"
    assert cic["aliases"] == ["CiC", "Head of CiC"]
    assert roles["All HoS"]["group"] is True

    # The YAML export imports into another store as the same directory.
    copy = tmp_path / "roles.yaml"
    copy.write_text(exported.out, encoding="utf-8")
    other = f"sqlite:///{tmp_path / 'other.db'}"
    assert planbot(other, "db", "upgrade", "--no-seed").code == 0
    assert planbot(other, "roles", "import", str(copy)).code == 0
    assert planbot(other, "roles", "export").out == exported.out
    csv_out = planbot(other, "roles", "export", "--format", "csv").out
    assert "Head of Children in Care,CiC; Head of CiC,yes,no,Director of Children's" in csv_out


def test_a_bad_role_file_changes_nothing(tmp_path: Path, fresh_url: str, planbot: Run) -> None:
    assert planbot(fresh_url, "db", "upgrade", "--no-seed").code == 0
    bad = tmp_path / "roles.yaml"
    bad.write_text(
        "roles:\n"
        "  - name: Head of A\n    aliases: [A]\n"
        "  - name: Head of B\n    manager: Head of Nowhere\n",
        encoding="utf-8",
    )
    result = planbot(fresh_url, "roles", "import", str(bad))
    assert result.code == 1
    assert "roles[1].manager: 'Head of Nowhere' is not a role; nothing was changed" in result.err
    assert planbot(fresh_url, "roles", "export").out.strip() == "roles: []"
    holders = tmp_path / "holders.csv"
    holders.write_text("role,holders\nHead of A,Jane Smith\n", encoding="utf-8")
    result = planbot(fresh_url, "roles", "import", str(holders))
    assert result.code == 1
    assert "row 2.holders: 'Jane Smith' is not a Slack user id" in result.err
