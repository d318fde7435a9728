"""Finding a child's details in free text, so that planbot never stores, shows or logs them.

The plans are about services: nothing planbot keeps may identify a child. `redact(text)` replaces
each identifier it finds with its kind (`[NHS number]`, `[child's name]`…) and says what it
removed; every note from a person (replies, buttons, the Add-note form, measures' commentary)
and every text field of an imported plan passes through it before it is stored. It looks for:

- NHS numbers (ten digits, spaced or not, passing the mod-11 check) and Unique Pupil Numbers
  (python-stdnum checks both);
- dates of birth ("DOB 12/03/2015", "born 3 May 2016", "d.o.b.") and a name written with one;
- a name in a child's context ("child Jayden", "YP Amelia Smith", "Tyler (aged 7)", "Mia's mum");
- UK postcodes and street addresses ("14 Acacia Avenue");
- case-system numbers next to words such as Mosaic, case, child, LAC, CP, CIN.

It works on the text alone (no names list): a capitalised word counts as a name only where the
words around it say a child is meant, and words the plans use for roles and services are never
names. York's two plans pass it with no finding (tests/store/test_personal_data.py).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from stdnum.gb import nhs, upn

NHS_NUMBER = "[NHS number]"
PUPIL_NUMBER = "[pupil number]"
DATE_OF_BIRTH = "[date of birth]"
CHILD_NAME = "[child's name]"
POSTCODE = "[postcode]"
ADDRESS = "[address]"
CASE_NUMBER = "[case number]"


@dataclass(frozen=True)
class Finding:
    """One identifier: its kind (the placeholder it becomes) and where it was in the text."""

    kind: str
    start: int
    end: int
    value: str


@dataclass(frozen=True)
class Redacted:
    """The text with every identifier replaced by its kind, and what was found."""

    text: str
    findings: tuple[Finding, ...] = ()

    @property
    def kinds(self) -> tuple[str, ...]:
        """The kinds removed, each once, in the order first met."""
        return tuple(dict.fromkeys(f.kind for f in self.findings))


_DAY = r"\d{1,2}(?:st|nd|rd|th)?"
_MONTH_NAME = (
    r"(?i:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_DATE = (
    rf"(?:\d{{1,2}}[/.\-]\d{{1,2}}[/.\-]\d{{2,4}}|{_DAY}\s+{_MONTH_NAME}\.?,?\s+\d{{2,4}}|"
    rf"{_MONTH_NAME}\s+{_DAY},?\s+\d{{4}})"
)
_NAME_WORD = r"[A-Z][a-z]+(?:[-'][A-Z]?[a-z]+)?"
_NAME = rf"{_NAME_WORD}(?:\s+{_NAME_WORD}){{0,2}}"
_FLAGS = re.IGNORECASE

_DOB_LABEL = re.compile(
    rf"\b(?:d\.?\s?o\.?\s?b\.?|date\s+of\s+birth|born(?:\s+on|\s+in)?|birthday)\s*[:\-]?\s*"
    rf"(?P<date>{_DATE})",
    _FLAGS,
)
# "Jayden Smith (12/03/2015)", "Jayden Smith dob 12/03/2015", "Jayden, born 12.03.15"; a name
# and a date with nothing between them is too often "signed off by Sarah 12/01/2023".
_NAME_THEN_DATE = re.compile(
    rf"\b(?P<name>{_NAME})\s*(?:\(\s*(?:(?i:d\.?\s?o\.?\s?b\.?|born)\s*[:\-]?\s*)?"
    rf"|,?\s*(?i:d\.?\s?o\.?\s?b\.?|born(?:\s+on)?)\s*[:\-]?\s*)"
    rf"(?P<date>{_DATE})\s*\)?"
)
_CHILD_WORDS = (
    r"child|children|kid|young\s+person|yp|cyp|boy|girl|baby|infant|toddler|teenager|son|"
    r"daughter|sibling|brother|sister|pupil|student|care\s+leaver|looked\s+after\s+child|"
    r"lac|cla|cic|cin|cp\s+child|unborn"
)
# "child Jayden", "YP Amelia Smith", "a child called Tyler", "her son Kai"
_NAME_AFTER_CHILD = re.compile(
    rf"\b(?i:{_CHILD_WORDS})\s*(?i:called|named|known\s+as|:|-|,)?\s+(?P<name>{_NAME})"
)
# "Tyler (aged 7)", "Tyler, 7,", "Tyler aged 7", "Tyler (7)", "Tyler who is 7"
_NAME_WITH_AGE = re.compile(
    rf"\b(?P<name>{_NAME})\s*(?i:\(\s*(?:aged?\s+)?\d{{1,2}}(?:\s*(?:yrs?|years?(?:\s+old)?))?\s*\)"
    rf"|,?\s+aged?\s+\d{{1,2}}\b|,\s*\d{{1,2}}\s*(?:yrs?|years?\s+old|y/?o)\b"
    rf"|\s+who\s+is\s+\d{{1,2}}\b)"
)
# "Mia's mum", "Kai's foster carer", "Leo's school"
_NAME_POSSESSIVE = re.compile(
    rf"\b(?P<name>{_NAME_WORD})['’]s\s+(?i:mum|mother|dad|father|parents?|carers?|foster\s+carers?|"
    r"nan|gran|grandparents?|school|social\s+worker|placement|siblings?|brother|sister|"
    r"case|plan|file|referral|dob|birthday|address)\b"
)
_NHS_CANDIDATE = re.compile(r"(?<![\d.])(\d{3})[\s\-]?(\d{3})[\s\-]?(\d{4})(?![\d.])")
_UPN_CANDIDATE = re.compile(r"\b[A-Z]\d{11}[0-9A-Z]\b")
_POSTCODE = re.compile(
    r"\b(?:[A-PR-UWYZ][A-HK-Y]?\d[A-HJKPSTUW\d]?|[A-PR-UWYZ]\d[A-HJKPSTUW])\s?\d[ABD-HJLNP-UW-Z]{2}\b",
    _FLAGS,
)
_STREET_TYPES = (
    r"road|rd|street|st|lane|ln|avenue|ave|close|drive|dr|way|crescent|cres|terrace|grove|"
    r"place|court|ct|gardens|gdns|walk|row|mews|square|sq|parade|rise|hill|green|vale|park"
)
_ADDRESS = re.compile(
    rf"\b(?i:flat\s+\d+[a-z]?,?\s+)?\d{{1,4}}[a-z]?,?\s+(?:{_NAME_WORD}\s+){{1,3}}"
    rf"(?i:{_STREET_TYPES})\b\.?",
)
_STREET_TYPE_WORDS = re.compile(rf"^(?:{_STREET_TYPES})$", _FLAGS)
_CASE_NUMBER = re.compile(
    r"\b(?:mosaic|liquidlogic|lcs|eclipse|case|child|client|person|lac|cla|cp|cin|ehcp|"
    r"carefirst|care\s+first)\s*(?:id|no\.?|number|num|ref(?:erence)?|record)?\s*[:#\-]?\s*"
    r"(?P<number>\d{5,10})\b",
    _FLAGS,
)

# Capitalised words that start sentences or name roles, services and plans: never a child's name.
_NOT_NAME_WORDS = """
a about after all also an and any april are as at august be been before being but by can
care child children corporate council court december did director do done due during each
early family february for foster fostering friday from front gp had has have he head help
her here his i if in is it its january july june just leaver leavers looked mash march
may monday mosaic my new no not november october of on or our panel parenting please
practice principal qa quality reviewed safeguarding saturday send september she so social
some sunday team that the their them then there these they this thursday to today tuesday
update was we wednesday were what when which who will with worker yes york you young
act advocacy advocate assessment board centre champion conference contact development
education engagement exploitation forum group health home homes hub lead leads manager
meeting mental missing officer participation partnership people placement placements plan
plans poverty practitioner practitioners protection residential review rights service
services strategy trauma voice
"""
NOT_NAMES = frozenset(_NOT_NAME_WORDS.split())


def screen(text: str) -> tuple[Finding, ...]:
    """Every child identifier found in `text`, in order, overlaps resolved to the longest."""
    if not text:
        return ()
    found: list[Finding] = []
    found += _dates_of_birth(text)
    found += _names(text)
    found += _numbers(text)
    found += _places(text)
    return _without_overlaps(found)


def redact(text: str) -> Redacted:
    """`text` with each identifier replaced by its kind."""
    findings = screen(text)
    if not findings:
        return Redacted(text)
    parts: list[str] = []
    at = 0
    for finding in findings:
        parts.append(text[at : finding.start])
        parts.append(finding.kind)
        at = finding.end
    parts.append(text[at:])
    return Redacted("".join(parts), findings)


def fingerprint(value: str, salt: str) -> str:
    """A salted hash of an identifier, for a log line that must not carry the identifier."""
    return hashlib.sha256(f"{salt}\x00{value}".encode()).hexdigest()[:12]


def _is_name(candidate: str) -> bool:
    words = candidate.split()
    return bool(words) and all(w.lower().strip("'’") not in NOT_NAMES for w in words[:1])


def _trim_name(name: str) -> str:
    """A name cut before the first word that is not one ("Amelia Smith Head" -> "Amelia Smith")."""
    kept: list[str] = []
    for word in name.split():
        if word.lower() in NOT_NAMES or _STREET_TYPE_WORDS.match(word):
            break
        kept.append(word)
    return " ".join(kept)


def _name_finding(text: str, match: re.Match[str]) -> Finding | None:
    name = _trim_name(match.group("name"))
    if not name or not _is_name(name):
        return None
    start = match.start("name")
    return Finding(CHILD_NAME, start, start + len(name), text[start : start + len(name)])


def _dates_of_birth(text: str) -> list[Finding]:
    found = [
        Finding(DATE_OF_BIRTH, m.start("date"), m.end("date"), m.group("date"))
        for m in _DOB_LABEL.finditer(text)
    ]
    for match in _NAME_THEN_DATE.finditer(text):
        name = _name_finding(text, match)
        if name is None or name.end != match.start("name") + len(match.group("name")):
            continue  # a date after a word that is not a name is a due date
        found.append(name)
        found.append(Finding(DATE_OF_BIRTH, match.start("date"), match.end("date"), match["date"]))
    return found


def _names(text: str) -> list[Finding]:
    found: list[Finding] = []
    for pattern in (_NAME_AFTER_CHILD, _NAME_WITH_AGE, _NAME_POSSESSIVE):
        for match in pattern.finditer(text):
            finding = _name_finding(text, match)
            if finding is not None:
                found.append(finding)
    return found


def _numbers(text: str) -> list[Finding]:
    found: list[Finding] = []
    for match in _NHS_CANDIDATE.finditer(text):
        if nhs.is_valid("".join(match.groups())):
            found.append(Finding(NHS_NUMBER, match.start(), match.end(), match.group(0)))
    for match in _UPN_CANDIDATE.finditer(text):
        if upn.is_valid(match.group(0)):
            found.append(Finding(PUPIL_NUMBER, match.start(), match.end(), match.group(0)))
    for match in _CASE_NUMBER.finditer(text):
        number = match.group("number")
        found.append(Finding(CASE_NUMBER, match.start("number"), match.end("number"), number))
    return found


def _places(text: str) -> list[Finding]:
    found = [
        Finding(POSTCODE, m.start(), m.end(), m.group(0))
        for m in _POSTCODE.finditer(text)
        if any(c.isdigit() for c in m.group(0)[:4]) and not m.group(0)[:1].isdigit()
    ]
    found += [
        Finding(ADDRESS, m.start(), m.end(), m.group(0).rstrip("."))
        for m in _ADDRESS.finditer(text)
    ]
    return found


def _without_overlaps(found: list[Finding]) -> tuple[Finding, ...]:
    """Keep the longest of overlapping findings; the result is in text order."""
    kept: list[Finding] = []
    for finding in sorted(found, key=lambda f: (f.start, -(f.end - f.start))):
        if kept and finding.start < kept[-1].end:
            if finding.end - finding.start > kept[-1].end - kept[-1].start:
                kept[-1] = finding
            continue
        kept.append(finding)
    return tuple(kept)
