"""YAML as editors and bidcheck read it, for tests that load tender files with PyYAML.

PyYAML follows YAML 1.1, where `on`, `off`, `yes` and `no` are booleans: `decision: {by: ..., on:
2026-11-10}` would come back with the key True. Here only true/false are booleans and dates stay
text (YAML 1.2, as yaml-language-server sees them; bidcheck itself keeps every scalar as text).
"""

from __future__ import annotations

import re
from typing import Any

import yaml


class YamlAsEditorsReadIt(yaml.SafeLoader):
    """A SafeLoader with YAML 1.2's booleans and no timestamps."""


YamlAsEditorsReadIt.yaml_implicit_resolvers = {
    first: [resolver for resolver in resolvers if resolver[0] not in ("tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:bool")]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
YamlAsEditorsReadIt.add_implicit_resolver("tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))


def load_yaml(text: str) -> Any:
    return yaml.load(text, Loader=YamlAsEditorsReadIt)
