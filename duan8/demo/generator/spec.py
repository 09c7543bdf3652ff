"""The generator's settings: scales, the mark of demo rows, what communes and villages do, and
small random helpers."""

import datetime
import random
from collections import Counter
from dataclasses import dataclass, field
from itertools import accumulate, repeat, starmap

from duan8.activities.models import (
    Event,
)
from duan8.orgunits.models import REFORM_DATE

DEMO_MARK = "Dữ liệu mô phỏng (duan8 generate_demo), không phải văn bản thật."
PROJECT = "1719.GD1.DA8"
BATCH = 2000
FLUSH_EVENTS = 20_000  # write after this many events are built
OLD_END = REFORM_DATE - datetime.timedelta(days=1)


@dataclass(frozen=True)
class Scale:
    communes: int | None  # None: every commune of the map
    villages: tuple[int, int]  # villages per commune (low, high)
    village_events: tuple[int, int]  # events per village and year
    commune_events: tuple[int, int]  # events held by the commune per year
    copy_villages: bool  # give new communes a copy of their predecessors' villages


SCALES = {
    "commune": Scale(1, (10, 30), (5, 10), (8, 14), True),
    "province": Scale(100, (30, 30), (4, 8), (6, 10), True),
    "national": Scale(None, (2, 2), (1, 2), (2, 3), False),
}

# Activities and the kinds of event that answer them (see activities/data/indicator_rules.json).
A = "1719.GD1.DA8."
VILLAGE_WORK = [  # (weight, kind, activity)
    (10, Event.Kind.COMMUNICATION, A + "ND1.HD2.2"),
    (2, Event.Kind.CAMPAIGN, A + "ND1.HD1.1"),
    (1, Event.Kind.DIALOGUE, A + "ND3.HD1.2"),
    (1, Event.Kind.COMMUNICATION, A + "ND4.2"),
]
COMMUNE_WORK = [
    (2, Event.Kind.TRAINING, A + "ND1.HD1.3"),
    (1, Event.Kind.NOMINATION, A + "ND1.HD4.2"),
    (1, Event.Kind.TRAINING, A + "ND3.HD1.1"),
    (1, Event.Kind.TRAINING, A + "ND3.HD2.2"),
    (1, Event.Kind.NOMINATION, A + "ND3.HD4.1"),
    (1, Event.Kind.TRAINING, A + "ND4.1"),
    (1, Event.Kind.TRAINING, A + "ND4.3"),
    (3, Event.Kind.BROADCAST, A + "ND3.HD1.3"),
    (1, Event.Kind.BROADCAST, A + "ND1.HD2.1"),
    (1, Event.Kind.CONTEST, A + "ND1.HD3.1"),
    (1, Event.Kind.REVIEW, A + "ND1.HD3.2"),
    (1, Event.Kind.REVIEW, A + "ND1.HD4.1"),
    (2, Event.Kind.SUPERVISION, A + "ND1.HD4.3"),
    (1, Event.Kind.REVIEW, A + "ND3.HD2.1"),
    (1, Event.Kind.REVIEW, A + "ND3.HD3.1"),
    (2, Event.Kind.DIALOGUE, A + "ND3.HD1.2"),
]
# People at an event: (low, high) total, share of women, share of children.
CROWD: dict[str, tuple[tuple[int, int], tuple[float, float], tuple[float, float]]] = {
    Event.Kind.COMMUNICATION: ((20, 60), (0.55, 0.75), (0.0, 0.15)),
    Event.Kind.CAMPAIGN: ((30, 80), (0.5, 0.7), (0.05, 0.2)),
    Event.Kind.DIALOGUE: ((25, 50), (0.5, 0.7), (0.0, 0.1)),
    Event.Kind.TRAINING: ((2, 6), (0.7, 1.0), (0.0, 0.0)),
    Event.Kind.NOMINATION: ((1, 4), (0.8, 1.0), (0.0, 0.0)),
    Event.Kind.CONTEST: ((10, 30), (0.6, 0.8), (0.1, 0.4)),
    Event.Kind.SUPERVISION: ((3, 8), (0.5, 0.8), (0.0, 0.0)),
    Event.Kind.REVIEW: ((10, 25), (0.5, 0.8), (0.0, 0.0)),
}
TITLES = {
    Event.Kind.COMMUNICATION: "Truyền thông về {topic}",
    Event.Kind.CAMPAIGN: "Chiến dịch truyền thông về {topic}",
    Event.Kind.DIALOGUE: "Đối thoại chính sách về {topic}",
    Event.Kind.TRAINING: "Tham gia tập huấn cấp trên",
    Event.Kind.NOMINATION: "Cử cán bộ tham gia tập huấn",
    Event.Kind.BROADCAST: "Phát thanh về {topic}",
    Event.Kind.CONTEST: "Hội thi tìm hiểu về {topic}",
    Event.Kind.SUPERVISION: "Giám sát thực hiện Dự án 8",
    Event.Kind.REVIEW: "Sơ kết, đánh giá kết quả thực hiện Dự án 8",
}
# Minority groups by old province code (QĐ 124/2004): Quảng Ngãi 51, Kon Tum 62; elsewhere a
# general list. Codes of QĐ 121-TCTK.
MINORITIES = {"51": ["19", "19", "19", "30", "14"], "62": ["14", "14", "13", "27", "52", "54"]}
MINORITIES_ELSEWHERE = ["03", "02", "07", "08", "09", "06", "13", "14", "10", "12", "05", "29"]


@dataclass
class GenerateResult:
    scale: str
    seed: int
    years: tuple[int, int]
    communes: int = 0
    new_communes: int = 0
    villages_created: int = 0
    skipped: list[str] = field(default_factory=list)
    deleted: int = 0
    rows: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0


_CUMULATIVE: dict[int, tuple[list[tuple], list[int]]] = {}


def pick(rng: random.Random, weighted: list[tuple]) -> tuple:
    """One of ``weighted`` (weight first) at random; the cumulative weights are summed once per
    list (``choices`` draws the same with them as with the weights)."""
    known = _CUMULATIVE.get(id(weighted))
    if known is None or known[0] is not weighted:
        known = _CUMULATIVE[id(weighted)] = (weighted, list(accumulate(w[0] for w in weighted)))
    return rng.choices(weighted, cum_weights=known[1])[0]


def day_between(rng: random.Random, start: datetime.date, end: datetime.date) -> datetime.date:
    return start + datetime.timedelta(days=rng.randint(0, max((end - start).days, 0)))


def split(rng: random.Random, total: int, share: float) -> tuple[int, int]:
    """``total`` parted by one draw each: those drawn under ``share``, and the rest (the loop
    runs in C: ``share > draw`` for ``total`` draws of ``rng.random``)."""
    first = sum(map(float(share).__gt__, starmap(rng.random, repeat((), total))))
    return first, total - first
