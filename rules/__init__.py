"""bidcheck's built-in rules, one module per family of recommendations.

This package is installed as ``bidcheck_rules`` and registered under the ``bidcheck.rules``
entry-point group, exactly like a third-party plugin; it uses only ``bidcheck.api``.
"""
