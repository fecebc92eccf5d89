"""bidcheck: bid/no-bid decisions that count the impact on communities and the power you hold.

The pipeline, one module per stage: ``read`` (YAML with positions) -> ``validate`` (typed
models) -> ``evaluate`` (rules) -> ``decide`` (verdict) -> ``render`` (text, JSON, ...).
Rule authors use :mod:`bidcheck.api` and nothing else.
"""

__version__ = "0.1.0"
