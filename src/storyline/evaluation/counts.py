"""Match counts shared by the scorers: precision, recall, F1 and per-field accuracy."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class MatchCounts:
    """Gold and predicted items, how many matched, and per field how many matches had it right."""

    gold: int = 0
    pred: int = 0
    matched: int = 0
    correct: dict[str, int] = field(default_factory=dict)

    @property
    def precision(self) -> float:
        return self.matched / self.pred if self.pred else 0.0

    @property
    def recall(self) -> float:
        return self.matched / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def accuracy(self, name: str) -> float:
        return self.correct[name] / self.matched if self.matched else 0.0
