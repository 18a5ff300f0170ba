"""Schedule perturbations for flake classification, each fully determined by one seed.

A seed picks a switch interval (the 5 ms default or 1 us, which forces far more thread switches),
CPU affinity (all usable cores, or one), the default multiprocessing start method and the seed of
``random``. The grader passes the choice to the sandboxed runner through PERTURB_ENV;
``grader.sandboxed.perturb`` applies it there before pytest starts, so
``grader validate --perturb --seed S`` reproduces a run exactly.
"""

from __future__ import annotations

import json
import multiprocessing
import random
from dataclasses import asdict, dataclass

from grader.sandboxed.protocol import PERTURB_ENV

SWITCH_INTERVALS = (5e-3, 1e-6)
START_METHODS = (None, "fork", "spawn", "forkserver")


@dataclass(frozen=True)
class Perturbation:
    seed: int
    switch_interval: float
    one_core: bool
    start_method: str | None

    @classmethod
    def from_seed(cls, seed: int) -> Perturbation:
        rng = random.Random(seed)
        available = [m for m in START_METHODS if m is None or m in multiprocessing.get_all_start_methods()]
        return cls(seed, rng.choice(SWITCH_INTERVALS), rng.random() < 0.5, rng.choice(available))

    def env(self) -> dict[str, str]:
        return {PERTURB_ENV: json.dumps(asdict(self))}

    def describe(self) -> str:
        cores = "one core" if self.one_core else "all cores"
        method = self.start_method or "default"
        return f"seed {self.seed}: switch interval {self.switch_interval:g} s, {cores}, start method {method}"
