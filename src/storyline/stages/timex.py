"""Temporal expressions: find them in text and resolve them on the calendar.

`find_timexes(text, anchor)` returns `TimeExpression`s with exact character offsets and
TIMEX3-style values (2025-08-15, 2025-08, 2025-W33, 2025-FA, 2025). Absolute
expressions ("15 August 2025", "Aug. 15", "2025-08-15") are resolved on their own
(a missing year comes from the anchor); relative ones ("on Monday", "yesterday",
"earlier this month", "three days ago") need the anchor, the date the text speaks from
(a live-blog section date, else the article's published date). With no anchor, a
relative expression keeps `value=None`: we never fall back to today's date.

Weekdays and bare month names need a direction. News convention, used here: in a
past-tense clause "on Friday" is the most recent Friday on or before the anchor (the
anchor day itself when it is a Friday: "confirmed on Saturday" in Saturday's report);
in a future clause ("will meet on Monday", "is scheduled for Monday") it is the next
one on or after the anchor. "last Friday" / "next Friday" are strictly before / after.
The tense comes from the governing verb in a spaCy Doc when one is given, else from
cue words in the clause (will, scheduled, plans to, upcoming …); the default is past.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from storyline import months
from storyline.model import TimeExpression

NAME = "timex.rules.v1"

MONTHS = months.MONTHS  # the one month table
WEEKDAYS = {"monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6}
SEASONS = {"spring": "SP", "summer": "SU", "autumn": "FA", "fall": "FA", "winter": "WI"}
SEASON_MONTHS = {"SP": (3, 5), "SU": (6, 8), "FA": (9, 11), "WI": (12, 2)}
NUMBERS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20,
    "thirty": 30, "several": None, "a few": None, "a couple of": 2, "few": None,
}
PART_CODE = {"morning": "TMO", "afternoon": "TAF", "evening": "TEV", "night": "TNI", "tonight": "TNI"}
UNIT_CODE = {"day": "D", "week": "W", "month": "M", "year": "Y", "hour": "H", "minute": "M", "decade": "DE"}

# --- regex building blocks --------------------------------------------------------

_MONTH_FULL = r"January|February|March|April|May|June|July|August|September|October|November|December"
_MONTH_ABBR = r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec"
MONTH = rf"(?:{_MONTH_FULL}|(?:{_MONTH_ABBR})\.?)"
# A month name alone is a date only when it is clearly one: May and March double as words.
MONTH_ALONE = r"(?:January|February|April|June|July|August|September|October|November|December)"
DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
YEAR = r"(?:1[89]\d\d|20\d\d)"
WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
PART = r"(?:morning|afternoon|evening|night)"
CLOCK = r"(?:[01]?\d|2[0-3])[:.][0-5]\d(?:\s?(?:GMT|UTC|CET|EST|ET))?"
NUM = r"(?:\d+(?:\.\d+)?|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|a few|a couple of|several)"
UNIT = r"(?:day|week|month|year|decade)s?"

# Each rule: (name, pattern). Flags: case-insensitive except where names must be capitalised.
_I = re.IGNORECASE
RULES: list[tuple[str, re.Pattern]] = [
    ("iso", re.compile(rf"\b(?P<y>{YEAR})-(?P<m>0[1-9]|1[0-2])-(?P<d>0[1-9]|[12]\d|3[01])(?:[T ](?:{CLOCK}))?\b")),
    ("iso_month", re.compile(rf"\b(?P<y>{YEAR})-(?P<m>0[1-9]|1[0-2])\b(?!-\d)")),
    ("d_month_y", re.compile(rf"\b(?P<d>{DAY})(?: of)? (?P<mon>{MONTH}),?(?: (?P<y>{YEAR}))?\b")),
    ("month_d_y", re.compile(
        rf"\b(?P<mon>{MONTH}) (?P<d>{DAY})(?!\d)(?:(?:,)? (?P<y>{YEAR})\b)?(?:,? (?P<clock>{CLOCK}))?(?! ?%)")),
    ("mod_month", re.compile(
        rf"\b(?P<mod>(?:early|mid|late|the end of|the beginning of|the start of|the middle of)[- ])"
        rf"(?P<mon>{_MONTH_FULL})(?:,? (?P<y>{YEAR}))?\b", _I)),
    ("month_y", re.compile(rf"\b(?P<mon>{MONTH}),? (?P<y>{YEAR})\b")),
    ("prep_month", re.compile(
        rf"\b(?:in|In|since|Since|until|by|during|of|from|From|to|through|before|after) "
        rf"(?P<t>(?P<mon>{_MONTH_FULL}))\b(?! \d)")),
    ("bare_month", re.compile(rf"\b(?P<mon>{MONTH_ALONE})\b(?!\s\d)")),
    ("rel_month", re.compile(
        rf"\b(?P<rel>earlier|later|early|late)(?: (?:in|this|that))? (?P<mon>{_MONTH_FULL})\b(?! \d)", _I)),
    ("weekday", re.compile(
        rf"\b(?:(?P<mod>late|early|earlier|later)(?: on)? )?(?:(?P<rel>last|next|this|on|coming|past) )?"
        rf"(?P<wd>{WEEKDAY})(?P<poss>['’]s\b)?(?: (?P<part>{PART}))?\b")),
    ("wd_on", re.compile(rf"\b(?P<wd>{WEEKDAY}) (?:morning|afternoon|evening|night)\b")),
    ("deictic", re.compile(
        r"\b(?P<w>the day before yesterday|the day after tomorrow|yesterday|today|tonight|tomorrow"
        r"|this (?:morning|afternoon|evening)|last night|earlier today|later today"
        r"|earlier in the day|later in the day|earlier on the day)\b", _I)),
    ("this_unit", re.compile(
        r"\b(?:(?P<rel>earlier|later|early|late) )?(?:(?:in|at) )?(?:the (?:start|end|beginning|middle) of )?"
        r"(?P<det>this|last|next|past|previous|coming|the past|the previous|the coming)"
        r" (?P<unit>week|weekend|month|year|spring|summer|autumn|fall|winter)\b", _I)),
    ("ago", re.compile(rf"\b(?P<n>{NUM}) (?P<unit>{UNIT}) ago\b", _I)),
    ("in_n", re.compile(rf"\b[Ii]n (?P<t>(?P<n>{NUM}) (?P<unit>{UNIT}))\b(?! ago)(?!['’])", _I)),
    ("season", re.compile(
        rf"\b(?:(?P<rel>early|late|mid)[- ])?(?:in )?(?:the )?(?P<s>spring|summer|autumn|fall|winter)"
        rf"(?: (?:of )?(?P<y>{YEAR}))?\b", _I)),
    ("year", re.compile(
        rf"\b(?:(?P<mod>early|late|mid|the end of|the start of)[- ])?(?P<y>{YEAR})\b(?![-/]\d)(?! ?%)(?!,\d)")),
    ("decade", re.compile(r"\b(?:the )?(?P<y>(?:19|20)\d0)s\b")),
    ("clock", re.compile(
        r"\b(?:at )?(?P<h>[01]?\d|2[0-3])(?:[:.](?P<mi>[0-5]\d))?\s?(?P<ap>a\.?m\.?|p\.?m\.?|аm)"
        r"(?: (?:local time|GMT|UTC))?(?=\W|$)", _I)),
    ("clock24", re.compile(r"\b(?P<h>[01]\d|2[0-3]):(?P<mi>[0-5]\d)(?: (?:GMT|UTC|local time))?\b")),
    ("refs", re.compile(r"\b(?P<w>now|currently|recently|nowadays|the past|the future|former(?:ly)?)\b", _I)),
    ("duration", re.compile(
        rf"\b(?P<n>{NUM}|\d+(?:\.\d+)?)(?:-| )(?P<unit>hours?|minutes?|days?|weeks?|months?|years?|decades?)\b"
        rf"(?! ago)(?! old)", _I)),
]

FUTURE_CUES = re.compile(
    r"\b(?:will|won['’]t|shall|['’]ll|going to|scheduled|set to|due to|expected to|plans? to|planned|"
    r"planning|intends? to|upcoming|would|is to|are to|to be held|to meet|to visit|to travel|next)\b",
    re.IGNORECASE,
)


@dataclass
class Anchor:
    """The date a text speaks from, with how precisely it is known."""

    day: date
    precision: str  # day | month | year

    @classmethod
    def parse(cls, value: Any) -> "Anchor | None":
        if value is None or value == "":
            return None
        if isinstance(value, Anchor):
            return value
        if isinstance(value, datetime):
            return cls(value.date(), "day")
        if isinstance(value, date):
            return cls(value, "day")
        text = str(value).strip()
        m = re.match(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", text)
        if not m:
            return None
        y, mo, d = int(m.group(1)), m.group(2), m.group(3)
        try:
            if d:
                return cls(date(y, int(mo), int(d)), "day")
            if mo:
                return cls(date(y, int(mo), 1), "month")
            return cls(date(y, 1, 1), "year")
        except ValueError:
            return None

    def iso(self) -> str:
        return fmt(self.day, self.precision)


def fmt(day: date, precision: str) -> str:
    if precision == "day":
        return day.isoformat()
    if precision == "month":
        return f"{day.year:04d}-{day.month:02d}"
    if precision == "week":
        y, w, _ = day.isocalendar()
        return f"{y:04d}-W{w:02d}"
    return f"{day.year:04d}"


def coarsen(day: date, precision: str, anchor: Anchor) -> tuple[str, str]:
    """A resolved day at the precision the anchor supports (a month anchor gives months)."""
    order = ["year", "month", "week", "day"]
    if anchor.precision != "day" and order.index(precision) > order.index(anchor.precision):
        precision = anchor.precision
        day = anchor.day
    return fmt(day, precision), precision


def add_months(day: date, months: int) -> date:
    idx = day.year * 12 + day.month - 1 + months
    return date(idx // 12, idx % 12 + 1, 1)


def month_number(name: str) -> int:
    return MONTHS[name.lower().rstrip(".")]


def number(word: str) -> int | float | None:
    word = word.lower()
    if word.isdigit():
        return int(word)
    if re.fullmatch(r"\d+\.\d+", word):
        return float(word)
    return NUMBERS.get(word)


# --- tense -------------------------------------------------------------------------

def tense_from_doc(doc: Any, start: int, end: int) -> str | None:
    """'past' / 'future' / 'present' from the verb that governs the span, or None."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return None
    token = span.root
    for _ in range(8):
        if token.pos_ in ("VERB", "AUX") or token.head.i == token.i:
            break
        token = token.head
    if token.pos_ not in ("VERB", "AUX"):
        return None
    return verb_tense(token)


def verb_tense(verb: Any) -> str:
    auxes = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
    words = {a.lower_ for a in auxes}
    if words & {"will", "'ll", "’ll", "shall", "wo", "would", "going"}:
        return "future"
    if verb.lemma_ in ("schedule", "set", "due", "expect", "plan", "intend", "prepare") and any(
        c.dep_ == "xcomp" for c in verb.children
    ):
        return "future"
    if verb.lemma_ in ("schedule", "set", "plan", "expect", "slate") and any(
        a.dep_ == "auxpass" and a.tag_ in ("VBZ", "VBP") for a in auxes
    ):
        return "future"  # "a conference is planned for the autumn"
    # "is to meet", "are due to travel": the governing verb is an xcomp of a present form.
    head = verb.head
    if verb.dep_ == "xcomp" and head.i != verb.i:
        if head.lemma_ in ("schedule", "set", "due", "expect", "plan", "intend", "be", "hope", "want", "agree"):
            return "future"
        return verb_tense(head)
    tags = [verb.tag_] + [a.tag_ for a in auxes]
    if any(t in ("VBD", "VBN") for t in tags) or "Past" in verb.morph.get("Tense"):
        return "past"
    if verb.tag_ == "VBG" and words & {"is", "are", "am", "'s", "’s", "'re"}:
        return "future"  # "is meeting on Monday"
    if verb.tag_ in ("VBZ", "VBP", "VB") or words & {"is", "are", "am"}:
        return "present"  # present and bare forms ("how the talks go on Monday") look ahead
    return "past"


def tense_from_cues(text: str, start: int, end: int) -> str | None:
    """Cue words in the clause around the span (used when no parse is given)."""
    left = max(text.rfind(". ", 0, start), text.rfind("\n", 0, start), text.rfind("; ", 0, start))
    clause = text[left + 1:start]
    clause = clause[-80:]
    right = text[end:end + 40]
    right = re.split(r"[.;\n]", right)[0]
    if FUTURE_CUES.search(clause) or re.match(r"^\s*(?:'s\s+)?(?:talks|summit|meeting|visit|vote)\s+will\b", right):
        return "future"
    return None


# --- resolvers ---------------------------------------------------------------------

def _weekday(anchor: Anchor, wd: int, rel: str | None, tense: str | None) -> date:
    base = anchor.day
    delta_back = (base.weekday() - wd) % 7
    delta_fwd = (wd - base.weekday()) % 7
    if rel == "last" or rel == "past":
        return base - timedelta(days=delta_back or 7)
    if rel in ("next", "coming"):
        return base + timedelta(days=delta_fwd or 7)
    if rel == "this":
        return base + timedelta(days=delta_fwd) if tense in ("future", "present") else base - timedelta(days=delta_back)
    if tense in ("future", "present"):
        return base + timedelta(days=delta_fwd)
    return base - timedelta(days=delta_back)


def _month_year(anchor: Anchor, month: int, tense: str | None) -> int:
    y = anchor.day.year
    if anchor.precision == "year":
        return y
    am = anchor.day.month
    if tense in ("future", "present"):
        return y if month >= am else y + 1
    return y if month <= am else y - 1


def _closest_year(anchor: Anchor, month: int, day: int, tense: str | None) -> int | None:
    """The year for a date given without one: the closest to the anchor, but in a past
    clause not more than a month ahead of it ("MOSCOW, March 3" written in October)."""
    cands = []
    for y in (anchor.day.year - 1, anchor.day.year, anchor.day.year + 1):
        try:
            cands.append(date(y, month, day))
        except ValueError:
            continue
    if not cands:
        return None
    cands.sort(key=lambda c: abs((c - anchor.day).days))
    best = cands[0]
    if tense not in ("future", "present") and (best - anchor.day).days > 31:
        past = [c for c in cands if c <= anchor.day]
        if past:
            best = max(past)
    return best.year


def _season_value(anchor: Anchor, code: str, det: str | None, tense: str | None) -> str:
    """TIMEX3 season value (2025-FA); winter belongs to the year of its December."""
    order = ["SP", "SU", "FA", "WI"]
    y, m = anchor.day.year, anchor.day.month
    cur_k = 3 if m in (12, 1, 2) else (m - 3) // 3
    cur = (y - 1 if m <= 2 else y) * 4 + cur_k
    k = order.index(code)
    back = cur - ((cur_k - k) % 4)  # most recent occurrence, current season included
    fwd = cur + ((k - cur_k) % 4)  # next occurrence, current season included
    if det == "this":
        idx = cur if k == cur_k else ((y - 1 if m <= 2 else y) * 4 + k)
    elif det in ("last", "past", "previous"):
        idx = back if back < cur else back - 4
    elif det in ("next", "coming"):
        idx = fwd if fwd > cur else fwd + 4
    elif k == cur_k:
        idx = cur
    elif tense in ("future", "present"):
        idx = fwd
    else:
        idx = back
    return f"{idx // 4}-{order[idx % 4]}"


class _Resolver:
    def __init__(self, text: str, anchor: Anchor | None, tense_hint: str | None, doc: Any, doc_offset: int):
        self.text = text
        self.anchor = anchor
        self.tense_hint = tense_hint
        self.doc = doc
        self.doc_offset = doc_offset

    def tense(self, start: int, end: int) -> str | None:
        if self.tense_hint:
            return self.tense_hint
        if self.doc is not None:
            t = tense_from_doc(self.doc, start - self.doc_offset, end - self.doc_offset)
            if t is not None:
                return t
        return tense_from_cues(self.text, start, end)

    def resolve(self, rule: str, m: re.Match) -> tuple[str | None, str | None, str] | None:
        """(value, precision, basis), or None when the match is not a time expression."""
        g = m.groupdict()
        a = self.anchor
        if rule == "iso":
            return self._day(int(g["y"]), int(g["m"]), int(g["d"]))
        if rule == "iso_month":
            return f"{g['y']}-{g['m']}", "month", "explicit"
        if rule in ("d_month_y", "month_d_y"):
            mon, d = month_number(g["mon"]), int(re.sub(r"\D", "", g["d"]))
            if g.get("y"):
                return self._day(int(g["y"]), mon, d)
            if a is None:
                return None, "day", "explicit"
            y = _closest_year(a, mon, d, self.tense(m.start(), m.end()))
            if y is None:
                return None
            if a.precision == "year" and y != a.day.year:
                y = a.day.year
            return self._day(y, mon, d)
        if rule == "month_y":
            return f"{int(g['y']):04d}-{month_number(g['mon']):02d}", "month", "explicit"
        if rule in ("prep_month", "bare_month", "mod_month", "rel_month"):
            mon = month_number(g["mon"])
            if g.get("y"):
                return f"{int(g['y']):04d}-{mon:02d}", "month", "explicit"
            if a is None:
                return None, "month", "explicit"
            y = _month_year(a, mon, self.tense(m.start(), m.end()))
            return f"{y:04d}-{mon:02d}", "month", "explicit"
        if rule in ("weekday", "wd_on"):
            if a is None:
                return None, "day", "relative"
            rel = (g.get("rel") or "").lower() or None
            if rel in ("on", None):
                rel = None
            wd = WEEKDAYS[g["wd"].lower()]
            day = _weekday(a, wd, rel, self.tense(m.start(), m.end()))
            value, precision = coarsen(day, "day", a)
            part = (g.get("part") or "").lower() or None
            if rule == "wd_on":
                part = m.group(0).split()[-1].lower()
            if part and precision == "day":
                value += PART_CODE[part]  # TIMEX3: 2026-03-07TMO
            return value, precision, "relative"
        if rule == "deictic":
            if a is None:
                return None, "day", "relative"
            w = g["w"].lower()
            offset = {"yesterday": -1, "last night": -1, "tomorrow": 1, "the day before yesterday": -2,
                      "the day after tomorrow": 2}.get(w, 0)
            value, precision = coarsen(a.day + timedelta(days=offset), "day", a)
            part = {"tonight": "tonight", "last night": "night"}.get(w) or (w.split()[-1] if w.startswith("this ") else None)
            if part and precision == "day":
                value += PART_CODE[part]
            return value, precision, "relative"
        if rule == "this_unit":
            return self._this_unit(g, m)
        if rule == "ago":
            n = number(g["n"])
            unit = g["unit"].lower().rstrip("s")
            if a is None or n is None:
                return None, _unit_precision(unit), "relative"
            if not float(n).is_integer():  # "3.5 years ago": count in the next smaller unit
                if unit != "year":
                    return None, _unit_precision(unit), "relative"
                return self._shift("month", -round(n * 12))
            return self._shift(unit, -int(n))
        if rule == "in_n":
            n = number(g["n"])
            unit = g["unit"].lower().rstrip("s")
            if n is None or not float(n).is_integer():
                return None
            # "in two weeks": a point ahead in future clauses, else a duration.
            if self.tense(m.start(), m.end()) == "future" and a is not None:
                return self._shift(unit, n)
            return f"P{n}{UNIT_CODE[unit]}", None, "relative"
        if rule == "season":
            code = SEASONS[g["s"].lower()]
            if g.get("y"):
                return f"{g['y']}-{code}", "season", "explicit"
            # A bare "fall" or "summer" is a verb or an adjective more often than a season.
            if not re.match(r"(?i)(?:early|late|mid|in|the)\b", m.group(0)):
                return None
            if a is None:
                return None, "season", "relative"
            return _season_value(a, code, None, self.tense(m.start(), m.end())), "season", "relative"
        if rule == "year":
            return g["y"], "year", "explicit"
        if rule == "decade":
            return g["y"][:3], "decade", "explicit"
        if rule in ("clock", "clock24"):
            h = int(g["h"])
            mi = int(g.get("mi") or 0)
            ap = (g.get("ap") or "").lower().replace(".", "")
            if ap.startswith("p") and h < 12:
                h += 12
            if ap.startswith(("a", "а")) and h == 12:
                h = 0
            if a is None or a.precision != "day":
                return None, "time", "relative"
            return f"{a.day.isoformat()}T{h:02d}:{mi:02d}", "time", "relative"
        if rule == "duration":
            n = number(g["n"])
            unit = g["unit"].lower().rstrip("s")
            count = "X" if n is None else (int(n) if float(n).is_integer() else n)
            if unit in ("hour", "minute"):
                return f"PT{count}{'H' if unit == 'hour' else 'M'}", None, "explicit"
            if unit == "decade":
                return f"P{count}DE", None, "explicit"
            return f"P{count}{UNIT_CODE[unit]}", None, "explicit"
        if rule == "refs":
            w = g["w"].lower()
            if w in ("former", "formerly"):
                return None
            value = {"now": "PRESENT_REF", "currently": "PRESENT_REF", "nowadays": "PRESENT_REF",
                     "recently": "PAST_REF", "the past": "PAST_REF", "the future": "FUTURE_REF"}[w]
            return value, None, "relative"
        return None

    def _day(self, y: int, mon: int, d: int):
        try:
            return date(y, mon, d).isoformat(), "day", "explicit"
        except ValueError:
            return None

    def _shift(self, unit: str, n: int):
        a = self.anchor
        if unit == "day":
            value, precision = coarsen(a.day + timedelta(days=n), "day", a)
        elif unit == "week":
            value, precision = coarsen(a.day + timedelta(weeks=n), "week", a)
        elif unit == "month":
            if a.precision == "year":
                return fmt(a.day, "year"), "year", "relative"
            value, precision = fmt(add_months(a.day, n), "month"), "month"
        elif unit == "decade":
            return f"{(a.day.year + 10 * n) // 10:03d}", "decade", "relative"
        else:
            value, precision = f"{a.day.year + n:04d}", "year"
        return value, precision, "relative"

    def _this_unit(self, g: dict, m: re.Match):
        a = self.anchor
        unit = g["unit"].lower()
        det = g["det"].lower().replace("the ", "")
        if unit in SEASONS:
            if a is None:
                return None, "season", "relative"
            return _season_value(a, SEASONS[unit], det, self.tense(m.start(), m.end())), "season", "relative"
        if a is None:
            return None, _unit_precision(unit), "relative"
        step = {"this": 0, "last": -1, "past": -1, "previous": -1, "next": 1, "coming": 1}[det]
        if unit in ("week", "weekend"):
            if a.precision != "day":
                return fmt(a.day, a.precision), a.precision, "relative"
            day = a.day + timedelta(weeks=step)
            value = fmt(day, "week") + ("-WE" if unit == "weekend" else "")
            return value, "week", "relative"
        return self._shift(unit, step) if step else (
            (fmt(a.day, "month"), "month", "relative") if unit == "month" and a.precision != "year"
            else (fmt(a.day, "year"), "year", "relative")
        )


def _unit_precision(unit: str) -> str:
    return {"day": "day", "week": "week", "weekend": "week", "month": "month", "year": "year"}.get(unit, "year")


# Rules tried in this order; on overlapping matches the longer one wins, then the earlier rule.
_PRIORITY = {name: i for i, (name, _) in enumerate(RULES)}

# Cheap gates: a rule runs only when the text has what it needs (most paragraphs have
# no digits or no month names), which keeps the stage fast on long articles.
_HAS_MONTH = re.compile(rf"\b(?:{_MONTH_FULL}|{_MONTH_ABBR})\b", re.IGNORECASE)
_HAS_WEEKDAY = re.compile(rf"\b{WEEKDAY}\b")
_NEEDS = {
    "iso": "digit", "iso_month": "digit", "d_month_y": "digit", "month_d_y": "digit", "year": "digit",
    "decade": "digit", "clock": "digit", "clock24": "digit", "month_y": "digit",
    "mod_month": "month", "prep_month": "month", "bare_month": "month", "rel_month": "month",
    "weekday": "weekday", "wd_on": "weekday",
}


def find_timexes(
    text: str,
    anchor: date | str | None = None,
    tense_hint: str | None = None,
    *,
    doc: Any = None,
    doc_offset: int = 0,
) -> list[TimeExpression]:
    """Temporal expressions in `text`, in order, with TIMEX3-style values.

    `anchor`: the date the text speaks from (date, or ISO string; "2025-11" means the
    month is known but not the day). `tense_hint`: 'past' or 'future' to force the
    direction of weekdays and bare months. `doc`: a spaCy Doc over `text[doc_offset:]`
    whose parse decides the tense per expression.
    """
    anc = Anchor.parse(anchor)
    resolver = _Resolver(text, anc, tense_hint, doc, doc_offset)
    candidates: list[tuple[int, int, str, re.Match]] = []
    has = {"digit": any(ch.isdigit() for ch in text), "month": bool(_HAS_MONTH.search(text)),
           "weekday": bool(_HAS_WEEKDAY.search(text))}
    for name, pattern in RULES:
        need = _NEEDS.get(name)
        if need and not has[need]:
            continue
        for m in pattern.finditer(text):
            start, end = m.span("t") if "t" in pattern.groupindex else m.span()
            while end > start and text[end - 1] in " ,":
                end -= 1
            if end > start:
                candidates.append((start, end, name, m))
    candidates.sort(key=lambda c: (-(c[1] - c[0]), _PRIORITY[c[2]], c[0]))
    taken_starts: list[int] = []  # the spans taken so far, disjoint, sorted by start
    taken_ends: list[int] = []
    found: list[TimeExpression] = []
    for start, end, name, m in candidates:
        i = bisect.bisect_left(taken_starts, end)  # spans starting before `end`: only the last can overlap
        if i > 0 and taken_ends[i - 1] > start:
            continue
        resolved = resolver.resolve(name, m)
        if resolved is None:
            continue
        value, precision, basis = resolved
        start, end = _trim(text, start, end, name)
        k = bisect.bisect_left(taken_starts, start)
        taken_starts.insert(k, start)
        taken_ends.insert(k, end)
        found.append(TimeExpression(start, end, text[start:end], value, precision, basis,
                                    anc.iso() if anc else None))
    found.sort(key=lambda t: t.start)
    return found


def _trim(text: str, start: int, end: int, rule: str) -> tuple[int, int]:
    """Leave leading prepositions ('on', 'at', 'in') out of the span, as TIMEX3 does."""
    span = text[start:end]
    m = re.match(r"^(?:on|at|in) ", span, re.IGNORECASE)
    if m and rule not in ("this_unit",):
        start += m.end()
    if rule == "weekday" and text[start:end].endswith(("'s", "’s")):
        end -= 2  # "Friday's summit": the TIMEX3 is "Friday"
    return start, end
